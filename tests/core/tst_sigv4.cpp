#include "core/crypto/SigV4.h"

#include <QDateTime>
#include <QTest>
#include <QUrlQuery>

using namespace clusterra::sigv4;

namespace {
const Credentials kS3Example{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"};
const Credentials kSuite{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"};
qint64 at(const char *iso) {
    return QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate).toSecsSinceEpoch();
}

Received receivedFrom(const Presigned &p, const QByteArray &method) {
    Received r;
    r.method = method;
    r.path = p.url.path(QUrl::FullyDecoded).toUtf8();
    for (const auto &[k, v] : QUrlQuery(p.url).queryItems(QUrl::FullyDecoded))
        r.query.append({k.toUtf8(), v.toUtf8()});
    r.headers.append({"Host", p.url.host().toLatin1() + ':' + QByteArray::number(p.url.port())});
    r.headers += p.headers;
    return r;
}
} // namespace

class TestSigV4 : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void amzDatesRoundTrip() {
        for (const qint64 t :
             {qint64(0), qint64(1369353600), qint64(1790000000), qint64(253402300799)})
            QCOMPARE(parseAmzDate(amzDate(t)), std::optional<qint64>(t));
        QCOMPARE(amzDate(1369353600), QByteArray("20130524T000000Z"));
        for (const char *bad : {"20130524T000000", "20130231T000000Z", "20130524T240000Z",
                                "2013052XT000000Z", "20130524 000000Z", "+0130524T000000Z", ""})
            QVERIFY2(!parseAmzDate(bad), bad);
    }

    // The S3 documentation's presigned-URL example ("Authenticating Requests: Using Query
    // Parameters"): GET examplebucket/test.txt, 24 May 2013, one day.
    void s3PresignedUrlExample() {
        const Presigned p =
            presign("GET", QUrl(QStringLiteral("https://examplebucket.s3.amazonaws.com/test.txt")),
                    {}, {}, kS3Example, "us-east-1", "s3", at("2013-05-24T00:00:00Z"), 86400);
        QCOMPARE(
            p.url.toString(QUrl::FullyEncoded),
            QStringLiteral(
                "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
                "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
                "&X-Amz-Signature="
                "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"));
    }

    void s3ExampleStringToSign() {
        Request r;
        r.method = "GET";
        r.path = "/test.txt";
        r.headers = {{"host", "examplebucket.s3.amazonaws.com"}};
        r.query = {{"X-Amz-Algorithm", "AWS4-HMAC-SHA256"},
                   {"X-Amz-Credential", "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request"},
                   {"X-Amz-Date", "20130524T000000Z"},
                   {"X-Amz-Expires", "86400"},
                   {"X-Amz-SignedHeaders", "host"}};
        const Scope scope{"20130524", "us-east-1", "s3"};
        QCOMPARE(
            stringToSign("20130524T000000Z", scope, canonicalRequest(r, nullptr)),
            QByteArray("AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
                       "3bfa292879f6447bbcda7001decf97f4a54dc650c8942174ae0a9121cf58ad04"));
    }

    // AWS's SigV4 test suite (get-vanilla family), header authentication.
    void testSuite_data() {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("query");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("get-vanilla")
            << QByteArray("GET") << QByteArray("/") << QByteArray()
            << QByteArray("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
        QTest::newRow("get-vanilla-query-order-key-case")
            << QByteArray("GET") << QByteArray("/") << QByteArray("Param2=value2&Param1=value1")
            << QByteArray("b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
        QTest::newRow("get-utf8")
            << QByteArray("GET") << QByteArray("/\xE1\x88\xB4") << QByteArray()
            << QByteArray("8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85");
    }

    void testSuite() {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, query);
        QFETCH(QByteArray, expected);
        Request r;
        r.method = method;
        r.path = path;
        for (const QByteArray &item : query.split('&')) {
            if (!item.isEmpty())
                r.query.append({item.left(item.indexOf('=')), item.mid(item.indexOf('=') + 1)});
        }
        r.headers = {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}};
        r.payloadHash =
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"; // sha256("")
        QCOMPARE(signature(r, "20150830T123600Z", {"20150830", "us-east-1", "service"},
                           kSuite.secretKey),
                 expected);
    }

    void uriEncoding() {
        QCOMPARE(uriEncode("a b/c~d*é", false), QByteArray("a%20b/c~d%2A%C3%A9"));
        QCOMPARE(uriEncode("a/b", true), QByteArray("a%2Fb"));
    }

    void verification_data() {
        QTest::addColumn<QString>("tamper");
        QTest::addColumn<int>("verdict");
        QTest::newRow("untouched") << QString() << int(Verdict::Ok);
        QTest::newRow("signature flipped")
            << QStringLiteral("signature") << int(Verdict::BadSignature);
        QTest::newRow("other method") << QStringLiteral("method") << int(Verdict::BadSignature);
        QTest::newRow("other key") << QStringLiteral("path") << int(Verdict::BadSignature);
        QTest::newRow("content type changed")
            << QStringLiteral("header") << int(Verdict::BadSignature);
        QTest::newRow("signed header missing")
            << QStringLiteral("dropheader") << int(Verdict::BadSignature);
        QTest::newRow("expired") << QStringLiteral("late") << int(Verdict::Expired);
        QTest::newRow("from the future") << QStringLiteral("early") << int(Verdict::NotYetValid);
        QTest::newRow("unknown key") << QStringLiteral("key") << int(Verdict::UnknownKey);
        QTest::newRow("other region") << QStringLiteral("region") << int(Verdict::WrongScope);
        QTest::newRow("no auth at all") << QStringLiteral("strip") << int(Verdict::NotSigned);
        QTest::newRow("expires too long") << QStringLiteral("expires") << int(Verdict::Malformed);
    }

    void verification() {
        QFETCH(QString, tamper);
        QFETCH(int, verdict);
        const qint64 now = at("2026-11-22T10:00:00Z");
        const Credentials creds{"CLUSTERRAKEY", "secret-of-the-store"};
        const Presigned p = presign(
            "PUT", QUrl(QStringLiteral("http://127.0.0.1:8080/s3/bucket/data/a@b.c/x y.bin")),
            {{"partNumber", "2"}, {"uploadId", "u1"}},
            {{"content-type", "application/octet-stream"}}, creds, "local", "s3", now, 900);
        Received r = receivedFrom(p, "PUT");
        qint64 checkAt = now + 10;
        QByteArray region = "local";
        auto setQuery = [&r](const QByteArray &name, const QByteArray &value) {
            for (auto &[k, v] : r.query)
                if (k == name)
                    v = value;
        };
        if (tamper == QLatin1String("signature")) {
            for (auto &[k, v] : r.query)
                if (k == "X-Amz-Signature")
                    v[0] = v[0] == 'a' ? 'b' : 'a';
        } else if (tamper == QLatin1String("method")) {
            r.method = "DELETE";
        } else if (tamper == QLatin1String("path")) {
            r.path = "/s3/bucket/data/evil@b.c/x y.bin";
        } else if (tamper == QLatin1String("header")) {
            r.headers.last().second = "text/html";
        } else if (tamper == QLatin1String("dropheader")) {
            r.headers.removeLast();
        } else if (tamper == QLatin1String("late")) {
            checkAt = now + 901;
        } else if (tamper == QLatin1String("early")) {
            checkAt = now - 3600;
        } else if (tamper == QLatin1String("key")) {
            setQuery("X-Amz-Credential",
                     "SOMEONEELSE/" + shortDate(now) + "/local/s3/aws4_request");
        } else if (tamper == QLatin1String("region")) {
            region = "us-east-1";
        } else if (tamper == QLatin1String("strip")) {
            r.query = {{"partNumber", "2"}};
        } else if (tamper == QLatin1String("expires")) {
            setQuery("X-Amz-Expires", "604801");
        }
        const Verdict got = verifyPresigned(
            r, region, "s3",
            [&](const QByteArray &key) -> std::optional<QByteArray> {
                if (key == creds.accessKeyId)
                    return creds.secretKey;
                return std::nullopt;
            },
            checkAt);
        QCOMPARE(int(got), verdict);
    }
};

QTEST_GUILESS_MAIN(TestSigV4)
#include "tst_sigv4.moc"
