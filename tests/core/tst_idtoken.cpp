// ID-token verification: signatures (RS256, ES256), the claims checks of OIDC Core 3.1.3.7,
// and the failures a forged or misdirected token must produce. The fixtures were signed once
// with jose (tests/core/data/idtoken-fixtures.json); the checks vary what is expected.
#include "core/auth/IdToken.h"
#include "core/crypto/Crypto.h"
#include "core/crypto/Jwt.h"
#include "core/util/Json.h"

#include <QFile>
#include <QTest>

using namespace clusterra;
using oidc::IdTokenFailure;

class TstIdToken : public QObject {
    Q_OBJECT
    nlohmann::json m_fx;
    crypto::JwkSet m_keys;

    QByteArray token(const char *name) const {
        return QByteArray::fromStdString(m_fx[name].get<std::string>());
    }
    static oidc::IdTokenExpectations expected() {
        oidc::IdTokenExpectations e;
        e.issuer = QStringLiteral("https://idp.example");
        e.clientId = QStringLiteral("console");
        e.nonce = QStringLiteral("n-0S6_WzA2Mj");
        e.nowSecs = 1700000100;
        return e;
    }
    IdTokenFailure check(const QByteArray &t, const oidc::IdTokenExpectations &e) const {
        return oidc::verifyIdToken(t, m_keys, e).failure;
    }
    // The token with one part replaced (0 header, 1 payload, 2 signature).
    static QByteArray withPart(const QByteArray &t, int index, const nlohmann::json &value) {
        QList<QByteArray> parts = t.split('.');
        parts[index] = crypto::base64UrlEncode(dumpJson(value));
        return parts.join('.');
    }

private Q_SLOTS:
    void initTestCase() {
        QFile f(QStringLiteral(CLUSTERRA_TEST_DATA "/idtoken-fixtures.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        m_fx = parseJson(f.readAll());
        QVERIFY(m_fx.is_object());
        QStringList skipped;
        m_keys = crypto::JwkSet::fromJson(m_fx["jwks"], &skipped);
        QCOMPARE(m_keys.size(), 2);
        QVERIFY(skipped.isEmpty());
    }

    void acceptsRs256AndEs256() {
        for (const char *name : {"rs256", "es256"}) {
            const auto r = oidc::verifyIdToken(token(name), m_keys, expected());
            QVERIFY2(r.ok(), name);
            QCOMPARE(stringOr(r.claims, "email"), QStringLiteral("ada@example.org"));
            QCOMPARE(stringOr(r.claims, "sub"), QStringLiteral("248289761001"));
        }
    }

    void refusesForgedAndTamperedSignatures() {
        QCOMPARE(check(token("forged"), expected()), IdTokenFailure::BadSignature);
        // Same signature, payload edited to another e-mail.
        const jwt::Decoded d = jwt::decode(token("rs256"));
        nlohmann::json claims = d.claims;
        claims["email"] = "mallory@example.org";
        QCOMPARE(check(withPart(token("rs256"), 1, claims), expected()),
                 IdTokenFailure::BadSignature);
        QCOMPARE(check(withPart(token("es256"), 1, claims), expected()),
                 IdTokenFailure::BadSignature);
        // An ES256 signature cut short is refused, not read past its end.
        QByteArray cut = token("es256");
        cut.chop(10);
        QVERIFY(check(cut, expected()) != IdTokenFailure::None);
    }

    void refusesAlgorithmSwitches() {
        const jwt::Decoded d = jwt::decode(token("rs256"));
        // alg "none" with no signature, and HS256 keyed with something public.
        QCOMPARE(check(withPart(token("rs256"), 0, {{"alg", "none"}}), expected()),
                 IdTokenFailure::UnsupportedAlgorithm);
        QCOMPARE(check(jwt::signHs256(d.claims, "console"), expected()),
                 IdTokenFailure::UnsupportedAlgorithm);
        // An RS256 signature presented as ES256 for the RSA key's kid finds no such key.
        QCOMPARE(
            check(withPart(token("rs256"), 0, {{"alg", "ES256"}, {"kid", "rsa-1"}}), expected()),
            IdTokenFailure::UnknownKey);
    }

    void unknownKidAsksForARefetch() {
        const auto r = oidc::verifyIdToken(token("rotated"), m_keys, expected());
        QCOMPARE(r.failure, IdTokenFailure::UnknownKey);
        QCOMPARE(r.kid, QStringLiteral("rsa-9"));
    }

    void checksIssuerAudienceAndNonce() {
        auto e = expected();
        e.issuer = QStringLiteral("https://idp.example/");
        QCOMPARE(check(token("rs256"), e), IdTokenFailure::WrongIssuer);
        e = expected();
        e.clientId = QStringLiteral("another-app");
        QCOMPARE(check(token("es256"), e), IdTokenFailure::WrongAudience);
        QCOMPARE(check(token("audArrayNoAzp"), expected()), IdTokenFailure::WrongAudience);
        QCOMPARE(check(token("audArrayAzp"), expected()), IdTokenFailure::None);
        e = expected();
        e.nonce = QStringLiteral("n-0S6_WzA2Mk");
        QCOMPARE(check(token("rs256"), e), IdTokenFailure::NonceMismatch);
        e.nonce.clear(); // a client that sent no nonce cannot have this token
        QCOMPARE(check(token("rs256"), e), IdTokenFailure::NonceMismatch);
        QCOMPARE(oidc::unverifiedNonce(token("rs256")), QStringLiteral("n-0S6_WzA2Mj"));
    }

    void checksTimesWithSkew() {
        auto e = expected();
        e.nowSecs = 1700003600 + 60; // exp + skew: still fine
        QCOMPARE(check(token("rs256"), e), IdTokenFailure::None);
        e.nowSecs = 1700003600 + 61;
        QCOMPARE(check(token("rs256"), e), IdTokenFailure::Expired);
        e.nowSecs = 1700000000 - 61; // the token is dated ahead of this clock
        QCOMPARE(check(token("rs256"), e), IdTokenFailure::IssuedInFuture);
        e = expected();
        e.maxAgeSecs = 30;
        e.skewSecs = 0;
        QCOMPARE(check(token("rs256"), e), IdTokenFailure::TooOld);
    }

    void refusesMalformedTokensAndKeys() {
        for (const QByteArray &bad :
             {QByteArray(), QByteArray("abc"), QByteArray("a.b"), QByteArray("!!.??.**")})
            QCOMPARE(check(bad, expected()), IdTokenFailure::Malformed);
        QString why;
        QVERIFY(!crypto::PublicKey::fromJwk({{"kty", "RSA"}, {"n", "AQAB"}, {"e", "AQAB"}}, &why));
        QVERIFY(why.contains(QLatin1String("2048")));
        QVERIFY(!crypto::PublicKey::fromJwk({{"kty", "EC"},
                                             {"crv", "P-256"},
                                             {"x", std::string(43, 'A')},
                                             {"y", std::string(43, 'A')}},
                                            &why));
        QVERIFY(why.contains(QLatin1String("P-256")));
        QVERIFY(!crypto::PublicKey::fromJwk({{"kty", "oct"}, {"k", "c2VjcmV0"}}, &why));
        nlohmann::json encKey = m_fx["jwks"]["keys"][0];
        encKey["use"] = "enc";
        QVERIFY(!crypto::PublicKey::fromJwk(encKey, &why));
    }

    void describesEveryFailureWithoutTheToken() {
        for (int f = int(IdTokenFailure::Malformed); f <= int(IdTokenFailure::NoSubject); ++f)
            QVERIFY(!oidc::describe(IdTokenFailure(f)).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TstIdToken)
#include "tst_idtoken.moc"
