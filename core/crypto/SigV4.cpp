#include "core/crypto/SigV4.h"

#include "core/crypto/Crypto.h"

#include <QDateTime>
#include <algorithm>
#include <cstdio>

namespace clusterra::sigv4 {

namespace {
const QByteArray kAlgorithm = "AWS4-HMAC-SHA256";

QByteArray lower(QByteArrayView s) {
    return s.toByteArray().toLower();
}

// Header values: trimmed, runs of spaces folded to one.
QByteArray canonicalValue(QByteArrayView v) {
    return v.toByteArray().simplified();
}

QByteArray queryValue(const Pairs &query, const QByteArray &name) {
    for (const auto &[k, v] : query) {
        if (k == name)
            return v;
    }
    return {};
}

bool hasQuery(const Pairs &query, const QByteArray &name) {
    return std::any_of(query.begin(), query.end(), [&](const auto &p) { return p.first == name; });
}
} // namespace

QByteArray uriEncode(QByteArrayView text, bool encodeSlash) {
    static const char hex[] = "0123456789ABCDEF";
    QByteArray out;
    out.reserve(text.size() * 3);
    for (const char ch : text) {
        const auto c = uchar(ch);
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                                (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
                                c == '~';
        if (unreserved || (c == '/' && !encodeSlash)) {
            out += char(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0xF];
        }
    }
    return out;
}

QByteArray canonicalRequest(const Request &request, QByteArray *signedHeaders) {
    Pairs query;
    for (const auto &[k, v] : request.query) {
        if (k != "X-Amz-Signature")
            query.append({uriEncode(k, true), uriEncode(v, true)});
    }
    std::sort(query.begin(), query.end());
    QByteArray canonicalQuery;
    for (const auto &[k, v] : std::as_const(query)) {
        if (!canonicalQuery.isEmpty())
            canonicalQuery += '&';
        canonicalQuery += k + '=' + v;
    }
    // Headers with the same name are joined with commas, in order, as SigV4 says.
    QList<QPair<QByteArray, QByteArray>> headers;
    for (const auto &[k, v] : request.headers) {
        const QByteArray name = lower(k);
        auto it = std::find_if(headers.begin(), headers.end(),
                               [&](const auto &h) { return h.first == name; });
        if (it != headers.end())
            it->second += ',' + canonicalValue(v);
        else
            headers.append({name, canonicalValue(v)});
    }
    std::sort(headers.begin(), headers.end());
    QByteArray canonicalHeaders;
    QByteArray names;
    for (const auto &[k, v] : std::as_const(headers)) {
        canonicalHeaders += k + ':' + v + '\n';
        if (!names.isEmpty())
            names += ';';
        names += k;
    }
    if (signedHeaders)
        *signedHeaders = names;
    const QByteArray path = request.path.isEmpty() ? QByteArray("/") : request.path;
    return request.method + '\n' + uriEncode(path, false) + '\n' + canonicalQuery + '\n' +
           canonicalHeaders + '\n' + names + '\n' + request.payloadHash;
}

QByteArray stringToSign(const QByteArray &amzDate, const Scope &scope,
                        const QByteArray &canonical) {
    return kAlgorithm + '\n' + amzDate + '\n' + scope.toString() + '\n' +
           crypto::sha256(canonical).toHex();
}

QByteArray signingKey(const QByteArray &secretKey, const Scope &scope) {
    const QByteArray key = "AWS4" + secretKey;
    const QByteArray kDate = crypto::hmacSha256(key, scope.date);
    const QByteArray kRegion = crypto::hmacSha256(kDate, scope.region);
    const QByteArray kService = crypto::hmacSha256(kRegion, scope.service);
    return crypto::hmacSha256(kService, "aws4_request");
}

QByteArray signature(const Request &request, const QByteArray &amzDate, const Scope &scope,
                     const QByteArray &secretKey) {
    const QByteArray canonical = canonicalRequest(request, nullptr);
    return crypto::hmacSha256(signingKey(secretKey, scope), stringToSign(amzDate, scope, canonical))
        .toHex();
}

QByteArray authorizationHeader(Request &request, const Credentials &creds,
                               const QByteArray &amzDate, const Scope &scope) {
    request.headers.append({"x-amz-date", amzDate});
    request.headers.append({"x-amz-content-sha256", request.payloadHash});
    QByteArray signedHeaders;
    const QByteArray canonical = canonicalRequest(request, &signedHeaders);
    const QByteArray sig = crypto::hmacSha256(signingKey(creds.secretKey, scope),
                                              stringToSign(amzDate, scope, canonical))
                               .toHex();
    return kAlgorithm + " Credential=" + creds.accessKeyId + '/' + scope.toString() +
           ", SignedHeaders=" + signedHeaders + ", Signature=" + sig;
}

// Formatted and parsed by hand: QDateTime's format strings go through the locale machinery
// and cost more than the HMACs on every presigned request.
QByteArray amzDate(qint64 secs) {
    const QDateTime t = QDateTime::fromSecsSinceEpoch(secs, Qt::UTC);
    const QDate d = t.date();
    const QTime h = t.time();
    char text[32];
    const int n = std::snprintf(text, sizeof text, "%04d%02d%02dT%02d%02d%02dZ", d.year(),
                                d.month(), d.day(), h.hour(), h.minute(), h.second());
    return QByteArray(text, qBound(0, n, int(sizeof text) - 1));
}

std::optional<qint64> parseAmzDate(const QByteArray &text) {
    if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z')
        return std::nullopt;
    const auto digits = [&](int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; ++i) {
            if (text[i] < '0' || text[i] > '9')
                return -1;
            v = v * 10 + (text[i] - '0');
        }
        return v;
    };
    const int year = digits(0, 4), month = digits(4, 2), day = digits(6, 2);
    const int hour = digits(9, 2), minute = digits(11, 2), second = digits(13, 2);
    if (year < 0 || month < 0 || day < 0 || !QDate::isValid(year, month, day) ||
        !QTime::isValid(hour, minute, second))
        return std::nullopt;
    return QDateTime(QDate(year, month, day), QTime(hour, minute, second), Qt::UTC)
        .toSecsSinceEpoch();
}

QByteArray shortDate(qint64 secs) {
    return amzDate(secs).left(8);
}

Presigned presign(const QByteArray &method, const QUrl &base, const Pairs &extraQuery,
                  const Pairs &signedHeaders, const Credentials &creds, const QByteArray &region,
                  const QByteArray &service, qint64 nowSecs, int expiresSecs) {
    const Scope scope{shortDate(nowSecs), region, service};
    const QByteArray date = amzDate(nowSecs);
    QByteArray host = base.host().toLatin1();
    const int defaultPort = base.scheme() == QLatin1String("https") ? 443 : 80;
    if (base.port(defaultPort) != defaultPort)
        host += ':' + QByteArray::number(base.port());
    Request req;
    req.method = method;
    req.path = base.path(QUrl::FullyDecoded).toUtf8();
    req.headers.append({"host", host});
    for (const auto &h : signedHeaders)
        req.headers.append({lower(h.first), h.second});
    QByteArray names;
    canonicalRequest(req, &names); // computes the signed header list
    req.query = extraQuery;
    req.query.append({"X-Amz-Algorithm", kAlgorithm});
    req.query.append({"X-Amz-Credential", creds.accessKeyId + '/' + scope.toString()});
    req.query.append({"X-Amz-Date", date});
    req.query.append({"X-Amz-Expires", QByteArray::number(expiresSecs)});
    req.query.append({"X-Amz-SignedHeaders", names});
    const QByteArray sig = signature(req, date, scope, creds.secretKey);
    req.query.append({"X-Amz-Signature", sig});

    QByteArray encodedQuery;
    for (const auto &[k, v] : std::as_const(req.query)) {
        if (!encodedQuery.isEmpty())
            encodedQuery += '&';
        encodedQuery += uriEncode(k, true) + '=' + uriEncode(v, true);
    }
    Presigned out;
    QUrl url = base;
    url.setPath(QString::fromLatin1(uriEncode(req.path, false)), QUrl::StrictMode);
    url.setQuery(QString::fromLatin1(encodedQuery), QUrl::StrictMode);
    out.url = url;
    out.headers = signedHeaders;
    out.expiresAtSecs = nowSecs + expiresSecs;
    return out;
}

QByteArray verdictText(Verdict verdict) {
    switch (verdict) {
    case Verdict::Ok:
        return "ok";
    case Verdict::NotSigned:
        return "the request carries no SigV4 query authentication";
    case Verdict::Malformed:
        return "the SigV4 query parameters are malformed";
    case Verdict::UnknownKey:
        return "the access key is not known";
    case Verdict::WrongScope:
        return "the credential scope does not match this service";
    case Verdict::NotYetValid:
        return "the request is dated in the future";
    case Verdict::Expired:
        return "the presigned URL has expired";
    case Verdict::BadSignature:
        return "the signature does not match";
    }
    return {};
}

Verdict
verifyPresigned(const Received &received, const QByteArray &region, const QByteArray &service,
                const std::function<std::optional<QByteArray>(const QByteArray &)> &secretFor,
                qint64 nowSecs, QByteArray *accessKeyOut) {
    const Pairs &q = received.query;
    if (!hasQuery(q, "X-Amz-Signature") && !hasQuery(q, "X-Amz-Credential"))
        return Verdict::NotSigned;
    if (queryValue(q, "X-Amz-Algorithm") != kAlgorithm)
        return Verdict::Malformed;
    const QList<QByteArray> cred = queryValue(q, "X-Amz-Credential").split('/');
    const QByteArray date = queryValue(q, "X-Amz-Date");
    bool ok = false;
    const qint64 expires = queryValue(q, "X-Amz-Expires").toLongLong(&ok);
    const QByteArray given = queryValue(q, "X-Amz-Signature");
    const QList<QByteArray> signedNames = queryValue(q, "X-Amz-SignedHeaders").split(';');
    if (cred.size() != 5 || date.size() != 16 || !ok || expires < 1 ||
        expires > kMaxPresignSeconds || given.size() != 64)
        return Verdict::Malformed;
    const auto signedAt = parseAmzDate(date);
    if (!signedAt)
        return Verdict::Malformed;
    const Scope scope{cred[1], cred[2], cred[3]};
    if (cred[4] != "aws4_request" || scope.region != region || scope.service != service ||
        scope.date != date.left(8))
        return Verdict::WrongScope;
    if (accessKeyOut)
        *accessKeyOut = cred[0];
    const auto secret = secretFor(cred[0]);
    if (!secret)
        return Verdict::UnknownKey;
    const qint64 at = *signedAt;
    if (at > nowSecs + 300) // clock skew allowance, as S3 allows
        return Verdict::NotYetValid;
    if (nowSecs > at + expires)
        return Verdict::Expired;
    // Rebuild the request from what arrived, signing exactly the headers it claims to sign.
    Request req;
    req.method = received.method;
    req.path = received.path;
    req.query = q;
    if (!signedNames.contains("host"))
        return Verdict::Malformed;
    for (const QByteArray &name : signedNames) {
        bool found = false;
        for (const auto &[k, v] : received.headers) {
            if (lower(k) == name) {
                req.headers.append({name, v});
                found = true;
            }
        }
        if (!found)
            return Verdict::BadSignature;
    }
    const QByteArray expected = signature(req, date, scope, *secret);
    return crypto::constantTimeEquals(expected, given.toLower()) ? Verdict::Ok
                                                                 : Verdict::BadSignature;
}

} // namespace clusterra::sigv4
