#include "core/crypto/Crypto.h"
#include "core/crypto/Jwt.h"

#include <QTest>

using namespace clusterra;

class TestJwt : public QObject {
    Q_OBJECT
    const QByteArray secret = QByteArrayLiteral("0123456789abcdef0123456789abcdef");
    const nlohmann::json claims{{"sub", "1"}, {"exp", 2000}, {"iat", 1000}};

private Q_SLOTS:
    void roundTrip() {
        const QByteArray token = jwt::signHs256(claims, secret);
        const auto d = jwt::verifyHs256(token, secret, 1500);
        QCOMPARE(d.failure, jwt::Failure::None);
        QCOMPARE(d.claims["sub"].get<std::string>(), std::string("1"));
    }

    // RFC 7515 appendix A.1 key and token: an independent known answer for HS256.
    void rfc7515Example() {
        bool ok = false;
        const QByteArray key =
            crypto::base64UrlDecode("AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-"
                                    "1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow",
                                    &ok);
        QVERIFY(ok);
        const QByteArray token = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9."
                                 "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtc"
                                 "GxlLmNvbS9pc19yb290Ijp0cnVlfQ."
                                 "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        QCOMPARE(jwt::verifyHs256(token, key, 1300819380).failure, jwt::Failure::None);
        QCOMPARE(jwt::verifyHs256(token, key, 1300819380 + 3600).failure, jwt::Failure::Expired);
    }

    void failures_data() {
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<qint64>("now");
        QTest::addColumn<int>("failure");
        const QByteArray good = jwt::signHs256(claims, secret);
        // Same signature, claims re-encoded with more privileges.
        const auto parts = good.split('.');
        const QByteArray tampered =
            parts[0] + '.' + crypto::base64UrlEncode(R"({"sub":"1","exp":2000,"role":"admin"})") +
            '.' + parts[2];
        QByteArray badSig = good;
        badSig.chop(2);
        badSig += badSig.endsWith("AA") ? "BB" : "AA";
        const QByteArray noneAlg = crypto::base64UrlEncode(R"({"alg":"none"})") + '.' +
                                   crypto::base64UrlEncode(R"({"sub":"1","exp":9999999999})") + '.';
        QTest::newRow("expired") << good << qint64(2031) << int(jwt::Failure::Expired);
        QTest::newRow("within leeway") << good << qint64(2029) << int(jwt::Failure::None);
        QTest::newRow("tampered payload")
            << tampered << qint64(1500) << int(jwt::Failure::BadSignature);
        QTest::newRow("tampered signature")
            << badSig << qint64(1500) << int(jwt::Failure::BadSignature);
        QTest::newRow("other secret")
            << jwt::signHs256(claims, "other") << qint64(1500) << int(jwt::Failure::BadSignature);
        QTest::newRow("alg none") << noneAlg << qint64(1500)
                                  << int(jwt::Failure::UnsupportedAlgorithm);
        QTest::newRow("two parts")
            << QByteArray("a.b") << qint64(1500) << int(jwt::Failure::Malformed);
        QTest::newRow("garbage") << QByteArray("!!!.???.***") << qint64(1500)
                                 << int(jwt::Failure::Malformed);
    }

    void failures() {
        QFETCH(QByteArray, token);
        QFETCH(qint64, now);
        QFETCH(int, failure);
        QCOMPARE(int(jwt::verifyHs256(token, secret, now).failure), failure);
    }

    void constantTimeEquals() {
        QVERIFY(crypto::constantTimeEquals("abc", "abc"));
        QVERIFY(!crypto::constantTimeEquals("abc", "abd"));
        QVERIFY(!crypto::constantTimeEquals("abc", "abcd"));
    }

    void sha256KnownAnswer() {
        QCOMPARE(crypto::sha256("abc").toHex(),
                 QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    }
};

QTEST_GUILESS_MAIN(TestJwt)
#include "tst_jwt.moc"
