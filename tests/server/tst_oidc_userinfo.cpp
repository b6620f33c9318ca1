// An OpenID provider with its certified defaults (oidc-provider's, Okta's org server): an ID
// token issued with an access token carries no e-mail, UserInfo does. The server asks UserInfo
// with the access token the console sends, and believes only an answer about the ID token's
// own subject.
#include "tests/server/OidcProvider.h"
#include "tests/server/TestServer.h"

#include "core/crypto/Jwt.h"
#include "core/util/Json.h"

#include <QTest>

using nlohmann::json;

class TestOidcUserInfo : public QObject {
    Q_OBJECT
    OidcProvider idp;
    TestServer server;

    TestServer::Reply callback(const QByteArray &idToken, const QString &nonce,
                               const QByteArray &accessToken = {}) {
        json body{{"id_token", idToken.toStdString()}, {"nonce", nonce.toStdString()}};
        if (!accessToken.isNull())
            body["access_token"] = accessToken.toStdString();
        return server.request("POST", QStringLiteral("/v1/auth/callback"), body, QByteArray());
    }
    static QString message(const TestServer::Reply &r) {
        return r.json.is_object() && r.json.contains("error")
                   ? QString::fromStdString(r.json["error"].value("message", std::string()))
                   : QString::fromUtf8(r.body);
    }
    json flow(const QString &login, const QString &nonce) {
        QString why;
        const json tokens = idp.codeFlow(login, nonce, &why);
        if (tokens.is_discarded())
            qWarning("code flow: %s", qPrintable(why));
        return tokens;
    }

private Q_SLOTS:
    void initTestCase() {
        idp.setClaimsAtUserInfo(true);
        QString why;
        QVERIFY2(
            idp.startWithServer(
                server, {QStringLiteral("--allow-domain"), QStringLiteral("example.org")}, &why),
            qPrintable(why));
    }

    void theEmailComesFromUserInfo() {
        const json tokens = flow(QStringLiteral("ada@example.org"), QStringLiteral("n-1"));
        QVERIFY(!tokens.is_discarded());
        const QByteArray idToken = QByteArray::fromStdString(tokens["id_token"]);
        const QByteArray access = QByteArray::fromStdString(tokens["access_token"]);
        // The provider really is in that mode: no e-mail in the ID token.
        QVERIFY(!clusterra::jwt::decode(idToken).claims.contains("email"));
        QVERIFY(!access.isEmpty());

        const auto without = callback(idToken, QStringLiteral("n-1"));
        QCOMPARE(without.status, 403);
        QVERIFY2(message(without).contains(QLatin1String("e-mail")), qPrintable(message(without)));

        const auto r = callback(idToken, QStringLiteral("n-1"), access);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json["user"]["email"].get<std::string>(), std::string("ada@example.org"));
        QCOMPARE(r.json["user"]["org"].get<std::string>(), std::string("example.org"));
        const auto me =
            server.request("GET", QStringLiteral("/v1/users/me"), nullptr,
                           QByteArray::fromStdString(r.json["access_token"].get<std::string>()));
        QCOMPARE(me.json["email"].get<std::string>(), std::string("ada@example.org"));
    }

    // Someone holding their own access token cannot pair it with another person's ID token.
    void anotherSubjectsAnswerIsRefused() {
        const json bob = flow(QStringLiteral("bob@example.org"), QStringLiteral("n-b"));
        QVERIFY(!bob.is_discarded());
        const QByteArray bobAccess = QByteArray::fromStdString(bob["access_token"]);
        json claims = idp.claimsFor(QStringLiteral("ada@example.org"), QStringLiteral("n-m"));
        claims.erase("email");
        claims.erase("email_verified");
        const auto r = callback(idp.mint(claims), QStringLiteral("n-m"), bobAccess);
        QCOMPARE(r.status, 401);
        QVERIFY2(message(r).contains(QLatin1String("another subject")), qPrintable(message(r)));

        // With an at_hash, the access token must be the one issued with the ID token.
        claims["sub"] = "bob@example.org";
        claims["at_hash"] = "AAAAAAAAAAAAAAAAAAAAAA";
        const auto hashed = callback(idp.mint(claims), QStringLiteral("n-m"), bobAccess);
        QCOMPARE(hashed.status, 401);
        QVERIFY2(message(hashed).contains(QLatin1String("at_hash")), qPrintable(message(hashed)));
    }

    void aTokenTheProviderRefusesIsRefused() {
        const json tokens = flow(QStringLiteral("cy@example.org"), QStringLiteral("n-c"));
        QVERIFY(!tokens.is_discarded());
        json claims = clusterra::jwt::decode(QByteArray::fromStdString(tokens["id_token"])).claims;
        claims.erase("at_hash");
        const auto r = callback(idp.mint(claims), QStringLiteral("n-c"), "not-a-token");
        QCOMPARE(r.status, 401);
        QVERIFY2(message(r).contains(QLatin1String("did not accept")), qPrintable(message(r)));
        // It would go into a header of the request to the provider: no line breaks get there.
        const auto injected =
            callback(idp.mint(claims), QStringLiteral("n-c"), "abc\r\nX-Injected: 1");
        QCOMPARE(injected.status, 400);
        QCOMPARE(QString::fromStdString(injected.json["error"].value("field", std::string())),
                 QStringLiteral("access_token"));
    }
};

QTEST_GUILESS_MAIN(TestOidcUserInfo)
#include "tst_oidc_userinfo.moc"
