// The presigned-URL verifier the object store trusts: any request (method, path, query,
// headers) gets a verdict without crashing; a URL the server presigned for any path and query
// verifies as it arrives decoded from the wire, and changing any signed part of it breaks it.
#include "core/crypto/SigV4.h"
#include "fuzz/FuzzSupport.h"

#include <QUrl>
#include <QUrlQuery>

using namespace clusterra;
using namespace clusterra::sigv4;

namespace {

const Credentials kCreds{"AKIDFUZZ", "secret-for-the-fuzzer"};
constexpr qint64 kNow = 1'790'000'000;

Verdict verify(const Received &r, qint64 now) {
    return verifyPresigned(
        r, "us-east-1", "s3",
        [](const QByteArray &key) -> std::optional<QByteArray> {
            if (key == kCreds.accessKeyId)
                return kCreds.secretKey;
            return std::nullopt;
        },
        now);
}

// What the HTTP server hands the endpoint: the path and each query item percent-decoded.
Received asReceived(const QByteArray &method, const Presigned &p) {
    Received r;
    r.method = method;
    r.path = QByteArray::fromPercentEncoding(p.url.path(QUrl::FullyEncoded).toLatin1());
    const QByteArray query = p.url.query(QUrl::FullyEncoded).toLatin1();
    for (const QByteArray &item : query.split('&')) {
        if (item.isEmpty())
            continue;
        const qsizetype eq = item.indexOf('=');
        const QByteArray k = eq < 0 ? item : item.left(eq);
        const QByteArray v = eq < 0 ? QByteArray() : item.mid(eq + 1);
        r.query.append({QByteArray::fromPercentEncoding(k), QByteArray::fromPercentEncoding(v)});
    }
    QByteArray host = p.url.host().toLatin1();
    if (p.url.port() > 0)
        host += ':' + QByteArray::number(p.url.port());
    r.headers.append({"Host", host});
    for (const auto &h : p.headers)
        r.headers.append(h);
    return r;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    FuzzedDataProvider in(data, size);
    if (in.ConsumeBool()) {
        // Anything at all: one verdict, no crash.
        Received r;
        r.method = fuzz::bytes(in, 8);
        r.path = fuzz::bytes(in, 256);
        const int queries = in.ConsumeIntegralInRange(0, 10);
        for (int i = 0; i < queries; ++i) {
            static const QByteArray names[] = {"X-Amz-Algorithm",     "X-Amz-Credential",
                                               "X-Amz-Date",          "X-Amz-Expires",
                                               "X-Amz-SignedHeaders", "X-Amz-Signature"};
            const QByteArray name =
                in.ConsumeBool() ? names[in.ConsumeIntegralInRange(0, 5)] : fuzz::bytes(in, 32);
            r.query.append({name, fuzz::bytes(in, 128)});
        }
        const int headers = in.ConsumeIntegralInRange(0, 5);
        for (int i = 0; i < headers; ++i)
            r.headers.append({fuzz::bytes(in, 32), fuzz::bytes(in, 64)});
        const Verdict v = verify(r, in.ConsumeIntegralInRange<qint64>(0, qint64(1) << 40));
        (void)verdictText(v);
        // The hand-made date format reads back what it wrote, up to the year 9999.
        const qint64 t = in.ConsumeIntegralInRange<qint64>(0, 253402300799);
        FUZZ_CHECK(parseAmzDate(amzDate(t)) == t);
        (void)parseAmzDate(fuzz::bytes(in, 20));
        return 0;
    }
    // A URL this server presigned, for a path and query chosen by the input.
    const QByteArray method = in.ConsumeBool() ? "PUT" : "GET";
    const QString path = QLatin1Char('/') + fuzz::text(in, 200);
    Pairs extra;
    const int items = in.ConsumeIntegralInRange(0, 3);
    for (int i = 0; i < items; ++i) {
        QByteArray k = fuzz::text(in, 24).toUtf8();
        if (k.isEmpty() || k.startsWith("X-Amz-") || k.startsWith("x-amz-"))
            k.prepend('q');
        extra.append({k, fuzz::text(in, 64).toUtf8()});
    }
    Pairs signedHeaders;
    if (in.ConsumeBool())
        signedHeaders.append({"Content-Type", fuzz::text(in, 40).simplified().toUtf8()});
    const int expires = in.ConsumeIntegralInRange(1, kMaxPresignSeconds);
    QUrl base(QStringLiteral("http://127.0.0.1:9000"));
    base.setPath(path, QUrl::DecodedMode);
    if (!base.isValid())
        return 0;
    const Presigned p =
        presign(method, base, extra, signedHeaders, kCreds, "us-east-1", "s3", kNow, expires);
    const Received r = asReceived(method, p);
    FUZZ_CHECK(verify(r, kNow) == Verdict::Ok);
    // Then one change the input picks: it must not verify.
    Received other = r;
    Verdict expected = Verdict::BadSignature;
    qint64 at = kNow;
    switch (in.ConsumeIntegralInRange(0, 4)) {
    case 0:
        at = kNow + expires + 1;
        expected = Verdict::Expired;
        break;
    case 1:
        other.method = method == "PUT" ? "GET" : "PUT";
        break;
    case 2:
        other.path += 'x';
        break;
    case 3:
        if (extra.isEmpty())
            return 0;
        other.query[0].second += 'x';
        break;
    default:
        if (signedHeaders.isEmpty())
            return 0;
        other.headers.last().second += 'x';
        break;
    }
    FUZZ_CHECK(verify(other, at) == expected);
    return 0;
}
