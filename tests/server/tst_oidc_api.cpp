// OIDC mode against a real OpenID provider (oidc-provider on 127.0.0.1): the code flow with
// PKCE as the console runs it, then the server's checks of the ID token, the allow-lists,
// users, uids and roles.
#include "tests/server/OidcProvider.h"
#include "tests/server/TestServer.h"

#include <QFile>
#include <QTest>

using nlohmann::json;

class TestOidcApi : public QObject {
    Q_OBJECT
    OidcProvider idp;
    TestServer server;

    TestServer::Reply callback(const QByteArray &idToken, const QString &nonce) {
        return server.request("POST", QStringLiteral("/v1/auth/callback"),
                              {{"id_token", idToken.toStdString()}, {"nonce", nonce.toStdString()}},
                              QByteArray());
    }
    // Signs `email` in with a token the provider signed (no browser), for the role checks.
    QByteArray accessFor(const QString &email) {
        const auto r =
            callback(idp.mint(idp.claimsFor(email, QStringLiteral("n"))), QStringLiteral("n"));
        return QByteArray::fromStdString(r.json.value("access_token", ""));
    }
    static std::string errorType(const TestServer::Reply &r) {
        return r.json.is_object() && r.json.contains("error")
                   ? r.json["error"].value("type", std::string())
                   : std::string();
    }

private Q_SLOTS:
    void initTestCase() {
        server.setLogFile(server.dataDir() + QStringLiteral("/server.log"));
        QString why;
        QVERIFY2(
            idp.startWithServer(server,
                                {QStringLiteral("--admin"), QStringLiteral("boss@example.org"),
                                 QStringLiteral("--allow-domain"), QStringLiteral("example.org"),
                                 QStringLiteral("--allow-domain"), QStringLiteral("other.org"),
                                 QStringLiteral("--allow-email"), QStringLiteral("guest@gmail.com"),
                                 QStringLiteral("--log-requests"), QStringLiteral("yes")},
                                &why),
            qPrintable(why));
    }

    void configTellsClientsHowToSignIn() {
        const auto r = server.request("GET", QStringLiteral("/v1/auth/config"), nullptr, {});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json["mode"].get<std::string>(), std::string("oidc"));
        QCOMPARE(QString::fromStdString(r.json["issuer"].get<std::string>()), idp.issuer());
        QCOMPARE(r.json["client_id"].get<std::string>(), std::string("clusterra-console"));
        QVERIFY(r.json["scopes"].size() >= 2);
    }

    // The whole browser flow (login and consent pages of the real provider), then the server.
    void codeFlowSignsInAndKeepsTheUser() {
        QString why;
        const json tokens =
            idp.codeFlow(QStringLiteral("ada@example.org"), QStringLiteral("nonce-1"), &why);
        QVERIFY2(!tokens.is_discarded(), qPrintable(why));
        const QByteArray idToken = QByteArray::fromStdString(tokens["id_token"]);
        const auto r = callback(idToken, QStringLiteral("nonce-1"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json["user"]["email"].get<std::string>(), std::string("ada@example.org"));
        QCOMPARE(r.json["user"]["role"].get<std::string>(), std::string("user"));
        QCOMPARE(r.json["user"]["org"].get<std::string>(), std::string("example.org"));
        QCOMPARE(r.json["nonce"].get<std::string>(), std::string("nonce-1"));
        const qint64 uid = r.json["user"]["uid"];
        QVERIFY(uid >= 20000);
        QVERIFY(!r.json["refresh_token"].get<std::string>().empty());

        const QByteArray access = QByteArray::fromStdString(r.json["access_token"]);
        const auto me = server.request("GET", QStringLiteral("/v1/users/me"), nullptr, access);
        QCOMPARE(me.status, 200);
        QCOMPARE(me.json["uid"].get<qint64>(), uid);

        // Signing in again (a new browser flow) is the same user with the same uid; the next
        // person gets the next uid.
        const json again =
            idp.codeFlow(QStringLiteral("ada@example.org"), QStringLiteral("nonce-2"), &why);
        const auto r2 =
            callback(QByteArray::fromStdString(again["id_token"]), QStringLiteral("nonce-2"));
        QCOMPARE(r2.status, 200);
        QCOMPARE(r2.json["user"]["uid"].get<qint64>(), uid);
        QVERIFY(r2.json["user"]["id"] == r.json["user"]["id"]);
        const json bob =
            idp.codeFlow(QStringLiteral("bob@example.org"), QStringLiteral("nonce-3"), &why);
        const auto r3 =
            callback(QByteArray::fromStdString(bob["id_token"]), QStringLiteral("nonce-3"));
        QCOMPARE(r3.status, 200);
        QCOMPARE(r3.json["user"]["uid"].get<qint64>(), uid + 1);
    }

    void acceptsEs256Tokens() {
        const auto r = callback(
            idp.mint(idp.claimsFor(QStringLiteral("eve@example.org"), QStringLiteral("n-es")),
                     QStringLiteral("ES256")),
            QStringLiteral("n-es"));
        QCOMPARE(r.status, 200);
    }

    void refusesBadIdTokens_data() {
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<QString>("nonce");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("messagePart");
        const QString n = QStringLiteral("n-bad");
        const json good = idp.claimsFor(QStringLiteral("ada@example.org"), n);
        auto with = [&](const char *key, const json &value) {
            json c = good;
            c[key] = value;
            return idp.mint(c);
        };
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        QTest::newRow("foreign key, known kid")
            << idp.mint(good, QStringLiteral("RS256"), QStringLiteral("stranger")) << n << 401
            << QStringLiteral("signature");
        QTest::newRow("foreign ES256 key")
            << idp.mint(good, QStringLiteral("ES256"), QStringLiteral("stranger")) << n << 401
            << QStringLiteral("signature");
        QTest::newRow("wrong issuer") << with("iss", "https://accounts.example.com") << n << 401
                                      << QStringLiteral("different identity provider");
        QTest::newRow("wrong audience")
            << with("aud", "some-other-app") << n << 401 << QStringLiteral("different application");
        QTest::newRow("expired") << [&] {
            json c = good;
            c["iat"] = now - 7200;
            c["exp"] = now - 3600;
            return idp.mint(c);
        }() << n << 401 << QStringLiteral("expired");
        QTest::newRow("dated ahead")
            << with("iat", now + 3600) << n << 401 << QStringLiteral("future");
        QTest::newRow("nonce mismatch")
            << idp.mint(good) << QStringLiteral("n-other") << 401 << QStringLiteral("nonce");
        QTest::newRow("no nonce sent")
            << idp.mint(good) << QString() << 400 << QStringLiteral("required");
        QTest::newRow("unverified e-mail")
            << with("email_verified", false) << n << 403 << QStringLiteral("not verified");
        QTest::newRow("domain not allowed")
            << idp.mint(idp.claimsFor(QStringLiteral("carol@evil.org"), n)) << n << 403
            << QStringLiteral("may not sign in");
        QTest::newRow("no e-mail") << [&] {
            json c = good;
            c.erase("email");
            return idp.mint(c);
        }() << n << 403 << QStringLiteral("e-mail");
        QTest::newRow("garbage") << QByteArray("abc.def.ghi") << n << 401
                                 << QStringLiteral("malformed");
    }

    void refusesBadIdTokens() {
        QFETCH(QByteArray, token);
        QFETCH(QString, nonce);
        QFETCH(int, status);
        QFETCH(QString, messagePart);
        const auto r = callback(token, nonce);
        QCOMPARE(r.status, status);
        const QString message = QString::fromStdString(r.json["error"].value("message", ""));
        QVERIFY2(message.contains(messagePart, Qt::CaseInsensitive), qPrintable(message));
        QVERIFY(!r.json.contains("access_token"));
    }

    void refusesTheLocalTokenInOidcMode() {
        QFile f(server.dataDir() + QStringLiteral("/local-token"));
        QByteArray local = "anything";
        if (f.open(QIODevice::ReadOnly))
            local = f.readAll().trimmed();
        const auto r = server.request("POST", QStringLiteral("/v1/auth/callback"),
                                      {{"local_token", local.toStdString()}}, QByteArray());
        QCOMPARE(r.status, 400);
        QCOMPARE(errorType(r), std::string("ValidationError"));
    }

    // A token with a kid the server has not seen makes it fetch the keys once more.
    void followsKeyRotation() {
        const QString n = QStringLiteral("n-rot");
        const json claims = idp.claimsFor(QStringLiteral("rot@example.org"), n);
        QTest::qWait(OidcIssuerMinRefetchMs);
        QCOMPARE(
            callback(idp.mint(claims, QStringLiteral("RS256"), QStringLiteral("next")), n).status,
            401); // not published yet: refused even after the refetch
        QVERIFY(idp.rotateKeys());
        QTest::qWait(OidcIssuerMinRefetchMs);
        QCOMPARE(
            callback(idp.mint(claims, QStringLiteral("RS256"), QStringLiteral("next")), n).status,
            200);
        QCOMPARE(
            callback(idp.mint(claims, QStringLiteral("ES256"), QStringLiteral("next")), n).status,
            200);
    }

    void adminsManageRoles() {
        const QByteArray boss = accessFor(QStringLiteral("boss@example.org"));
        const QByteArray ada = accessFor(QStringLiteral("ada@example.org"));
        const QByteArray olga = accessFor(QStringLiteral("olga@other.org"));
        QVERIFY(!boss.isEmpty() && !ada.isEmpty() && !olga.isEmpty());
        const auto me = server.request("GET", QStringLiteral("/v1/users/me"), nullptr, boss);
        QCOMPARE(me.json["role"].get<std::string>(), std::string("admin"));

        QCOMPARE(server.request("GET", QStringLiteral("/v1/users"), nullptr, ada).status, 403);
        const auto list = server.request("GET", QStringLiteral("/v1/users"), nullptr, boss);
        QCOMPARE(list.status, 200);
        qint64 adaId = 0, olgaId = 0, bossId = 0;
        for (const auto &u : list.json["users"]) {
            QCOMPARE(u["org"].get<std::string>(), std::string("example.org"));
            if (u["email"] == "ada@example.org")
                adaId = u["id"];
            if (u["email"] == "boss@example.org")
                bossId = u["id"];
        }
        QVERIFY(adaId > 0 && bossId > 0);
        olgaId = server.request("GET", QStringLiteral("/v1/users/me"), nullptr, olga).json["id"];

        const QString adaRole = QStringLiteral("/v1/users/%1/role").arg(adaId);
        QCOMPARE(server.request("PUT", adaRole, {{"role", "admin"}}, ada).status, 403);
        QCOMPARE(server.request("PUT", adaRole, {{"role", "root"}}, boss).status, 400);
        // Another organisation's user does not exist for this admin.
        QCOMPARE(server
                     .request("PUT", QStringLiteral("/v1/users/%1/role").arg(olgaId),
                              {{"role", "user"}}, boss)
                     .status,
                 404);
        // The last admin cannot step down.
        const auto alone = server.request("PUT", QStringLiteral("/v1/users/%1/role").arg(bossId),
                                          {{"role", "user"}}, boss);
        QCOMPARE(alone.status, 409);
        // Promotion takes effect on the next request, with the same access token.
        QCOMPARE(server.request("PUT", adaRole, {{"role", "admin"}}, boss).status, 200);
        QCOMPARE(server.request("GET", QStringLiteral("/v1/users"), nullptr, ada).status, 200);
        QCOMPARE(server.request("PUT", adaRole, {{"role", "user"}}, boss).status, 200);
        QCOMPARE(server.request("GET", QStringLiteral("/v1/users"), nullptr, ada).status, 403);
    }

    // The e-mail names the user's storage folders and, by default, their Linux account: an
    // address another could nest in or rewrite into someone else's is refused, a second
    // provider account claiming a taken address gets a typed conflict, not the account.
    void identityComesFromTheRules() {
        const QString n = QStringLiteral("n-id");
        auto signIn = [&](const QString &email, const std::string &sub) {
            json claims = idp.claimsFor(email, n);
            if (!sub.empty())
                claims["sub"] = sub;
            return callback(idp.mint(claims), n);
        };
        const auto mixed = signIn(QStringLiteral("  Lin@Example.ORG "), "lin");
        QCOMPARE(mixed.status, 200);
        QCOMPARE(mixed.json["user"]["email"].get<std::string>(), std::string("lin@example.org"));
        for (const char *bad : {"lin@example.org/evil", "a/b@example.org", "x@exa mple.org",
                                "two@@example.org", "dots..x@example.org", "tab\t@example.org"}) {
            const auto r = signIn(QString::fromUtf8(bad), std::string("sub-bad-") + bad);
            QVERIFY2(r.status == 403, qPrintable(QString::fromUtf8(bad) + QLatin1Char(' ') +
                                                 QString::fromUtf8(r.body)));
            QCOMPARE(errorType(r), std::string("Forbidden"));
            QVERIFY(!r.json.contains("access_token"));
        }
        // Another provider account with the same address: refused, and lin keeps hers.
        const auto thief = signIn(QStringLiteral("lin@example.org"), "someone-else");
        QCOMPARE(thief.status, 409);
        QCOMPARE(errorType(thief), std::string("Conflict"));
        QVERIFY(!thief.json.contains("access_token"));
        const auto again = signIn(QStringLiteral("lin@example.org"), "lin");
        QCOMPARE(again.status, 200);
        QCOMPARE(again.json["user"]["id"].get<qint64>(), mixed.json["user"]["id"].get<qint64>());
        // A known account whose provider e-mail moves onto someone else's: a conflict too.
        const auto moved = signIn(QStringLiteral("lin@example.org"), "ada@example.org");
        QCOMPARE(moved.status, 409);
    }

    void adminsSetLinuxAccounts() {
        const QByteArray boss = accessFor(QStringLiteral("boss@example.org"));
        auto me = [&](const QString &email) {
            const QByteArray token = accessFor(email);
            return server.request("GET", QStringLiteral("/v1/users/me"), nullptr, token).json;
        };
        const json jo = me(QStringLiteral("jo.doe+hpc@example.org"));
        QVERIFY2(jo["linux_user"].is_null(), jo.dump().c_str()); // never rewritten to jo_doe_hpc
        const json kim = me(QStringLiteral("kim@example.org"));
        QCOMPARE(kim["linux_user"].get<std::string>(), std::string("kim"));
        // Same local part elsewhere: kim's account is kim@example.org's, not this one's.
        const json kim2 = me(QStringLiteral("kim@other.org"));
        QVERIFY(kim2["linux_user"].is_null());

        const QString path = QStringLiteral("/v1/users/%1/linux-user").arg(jo["id"].get<qint64>());
        const QByteArray joToken = accessFor(QStringLiteral("jo.doe+hpc@example.org"));
        QCOMPARE(server.request("PUT", path, {{"linux_user", "jodoe"}}, joToken).status, 403);
        for (const char *bad : {"root", "Jo", "1jo", "jo doe", "jo\r\nX-Evil: 1", ""}) {
            const auto r = server.request("PUT", path, {{"linux_user", bad}}, boss);
            if (std::string(bad).empty()) {
                QCOMPARE(r.status, 200); // empty clears, like null
                continue;
            }
            QVERIFY2(r.status == 400, bad);
            QCOMPARE(r.json["error"]["field"].get<std::string>(), std::string("linux_user"));
        }
        QCOMPARE(server.request("PUT", path, {{"other", 1}}, boss).status, 400);
        const auto taken = server.request("PUT", path, {{"linux_user", "kim"}}, boss);
        QCOMPARE(taken.status, 409);
        QCOMPARE(taken.json["error"]["field"].get<std::string>(), std::string("linux_user"));
        const auto set = server.request("PUT", path, {{"linux_user", "jodoe"}}, boss);
        QCOMPARE(set.status, 200);
        QCOMPARE(set.json["linux_user"].get<std::string>(), std::string("jodoe"));
        QCOMPARE(me(QStringLiteral("jo.doe+hpc@example.org"))["linux_user"].get<std::string>(),
                 std::string("jodoe"));
        QVERIFY(server.request("PUT", path, {{"linux_user", nullptr}}, boss)
                    .json["linux_user"]
                    .is_null());
        // Another organisation's admin does not see this user at all.
        const QByteArray olga = accessFor(QStringLiteral("olga@other.org"));
        QCOMPARE(server.request("PUT", path, {{"linux_user", "x"}}, olga).status, 403);
    }

    // Someone who signed up before Linux accounts were recorded (a data directory from then)
    // gets the default account at their next sign-in, as a new user would.
    void earlierSignUpsGetTheDefaultAccount() {
        auto me = [&](const QString &email) {
            const QByteArray token = accessFor(email);
            return server.request("GET", QStringLiteral("/v1/users/me"), nullptr, token).json;
        };
        QCOMPARE(me(QStringLiteral("pat@example.org"))["linux_user"].get<std::string>(),
                 std::string("pat"));
        QCOMPARE(server.stop(), 0);
        QVERIFY(server.editDatabase({QStringLiteral(
            "UPDATE users SET linux_user = NULL WHERE email = 'pat@example.org'")}));
        QVERIFY(server.startOnSamePort());
        QCOMPARE(me(QStringLiteral("pat@example.org"))["linux_user"].get<std::string>(),
                 std::string("pat"));
    }

    void noTokenInTheServerLog() {
        server.stop();
        QFile log(server.dataDir() + QStringLiteral("/server.log"));
        QVERIFY(log.open(QIODevice::ReadOnly));
        const QByteArray text = log.readAll();
        QVERIFY2(text.contains("POST /v1/auth/callback 200"), text.left(400).constData());
        // JWTs start with a base64url '{"' ("eyJ"); no header, ID or access token is logged.
        QVERIFY2(!text.contains("eyJ"), text.constData());
        QVERIFY(!text.contains("Bearer"));
        QVERIFY(!text.contains("refresh_token"));
    }

private:
    static constexpr int OidcIssuerMinRefetchMs = 2100;
};

QTEST_GUILESS_MAIN(TestOidcApi)
#include "tst_oidc_api.moc"
