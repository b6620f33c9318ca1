// Every route of the server × who calls it: nobody, an expired or tampered token, another user
// of the same organisation, an administrator of another organisation. Each gets the right
// answer, and no refusal (nor any list) carries what belongs to the owner. The server runs in
// OIDC mode against a real provider; people sign in with ID tokens the provider signed.
#include "core/crypto/Jwt.h"
#include "tests/server/OidcProvider.h"
#include "tests/server/TestServer.h"

#include <QFile>
#include <QTest>

using nlohmann::json;

namespace {
// What each caller must get from one request; 0: not probed for that caller.
struct Probe {
    QByteArray method;
    QString path;
    json body;
    int owner;
    int otherUser;
    int otherOrg;
};

// Strings that belong to ada and must not reach anyone else.
const char kSecretEnv[] = "ADA_SECRET_VALUE_7731";
const char kSecretFile[] = "scripts/ada@example.org/private-plan.sh";
} // namespace

class TestAuthzMatrix : public QObject {
    Q_OBJECT
    OidcProvider idp;
    TestServer server;
    QByteArray ada, bob, boss, olga; // access tokens
    QByteArray adaRefresh;
    QString cluster, upload;
    qint64 job = 0, adaId = 0;

    json signIn(const QString &email) {
        const QString nonce = QStringLiteral("n-") + email;
        return server
            .request("POST", QStringLiteral("/v1/auth/callback"),
                     {{"id_token", idp.mint(idp.claimsFor(email, nonce)).toStdString()},
                      {"nonce", nonce.toStdString()}},
                     QByteArray())
            .json;
    }
    static QByteArray access(const json &grant) {
        return QByteArray::fromStdString(grant.value("access_token", ""));
    }
    QByteArray secret() {
        QFile f(server.dataDir() + QStringLiteral("/jwt-secret"));
        f.open(QIODevice::ReadOnly);
        return f.readAll().trimmed();
    }

    QList<Probe> probes() const {
        const QString c = QStringLiteral("/v1/clusters/") + cluster;
        const QString j = c + QStringLiteral("/jobs/%1").arg(job);
        const QString s = c + QStringLiteral("/storage");
        const QString u = s + QStringLiteral("/multipart/") + upload;
        const json raw = testjobs::rawJob("#!/bin/sh\ntrue\n");
        return {
            {"POST", QStringLiteral("/v1/auth/logout"), json::object(), 0, 200, 200},
            {"GET", QStringLiteral("/v1/users/me"), nullptr, 200, 200, 200},
            {"GET", QStringLiteral("/v1/users"), nullptr, 403, 403, 200},
            {"PUT",
             QStringLiteral("/v1/users/%1/role").arg(adaId),
             {{"role", "admin"}},
             403,
             403,
             404},
            {"PUT",
             QStringLiteral("/v1/users/%1/linux-user").arg(adaId),
             {{"linux_user", "ada2"}},
             403,
             403,
             404},
            {"GET", QStringLiteral("/v1/clusters"), nullptr, 200, 200, 200},
            {"POST", QStringLiteral("/v1/clusters"), json::object(), 403, 403, 400},
            {"GET", c, nullptr, 200, 200, 404},
            {"PATCH", c, {{"description", "x"}}, 403, 403, 404},
            {"DELETE", c, nullptr, 403, 403, 404},
            {"POST", c + QStringLiteral("/retry"), json::object(), 403, 403, 404},
            {"GET", QStringLiteral("/v1/capabilities"), nullptr, 200, 200, 200},
            {"GET", c + QStringLiteral("/partitions"), nullptr, 200, 200, 404},
            {"GET", c + QStringLiteral("/nodes"), nullptr, 200, 200, 404},
            {"POST", c + QStringLiteral("/jobs/submit"), raw, 201, 201, 404},
            {"GET", c + QStringLiteral("/jobs"), nullptr, 200, 200, 404},
            {"GET", j, nullptr, 200, 200, 404},
            {"GET", j + QStringLiteral("/output"), nullptr, 200, 403, 404},
            {"GET", j + QStringLiteral("/output/stream"), nullptr, 0, 403, 404},
            {"DELETE", j, nullptr, 0, 403, 404},
            {"GET", c + QStringLiteral("/events"), nullptr, 200, 200, 404},
            {"GET", c + QStringLiteral("/events/stream"), nullptr, 0, 0, 404},
            {"GET", QStringLiteral("/v1/templates"), nullptr, 200, 200, 200},
            {"GET", QStringLiteral("/v1/templates/hello-world"), nullptr, 0, 0, 0},
            {"GET", s + QStringLiteral("/files?prefix=scripts/"), nullptr, 200, 200, 404},
            {"DELETE", s + QStringLiteral("/files?key=") + QLatin1String(kSecretFile), nullptr, 0,
             403, 404},
            {"POST",
             s + QStringLiteral("/presigned-url"),
             {{"key", kSecretFile}, {"method", "GET"}},
             200,
             403,
             404},
            {"POST", s + QStringLiteral("/multipart"), {{"key", kSecretFile}}, 0, 403, 404},
            {"GET", u, nullptr, 200, 404, 404},
            {"POST", u + QStringLiteral("/parts"), {{"part_numbers", {1}}}, 200, 404, 404},
            {"POST", u + QStringLiteral("/complete"), {{"parts", json::array()}}, 0, 404, 404},
            {"DELETE", u, nullptr, 0, 404, 404},
        };
    }

    // `echoed`: the caller sent the file name itself, so a refusal may repeat it (the refusal
    // depends on the key's folder only, never on whether the file exists).
    static bool leaks(const TestServer::Reply &r, bool echoed = false) {
        return r.body.contains(kSecretEnv) || r.body.contains("ada-output") ||
               (!echoed && r.body.contains("private-plan.sh"));
    }

private Q_SLOTS:
    void initTestCase() {
        QString why;
        QVERIFY2(idp.startWithServer(server,
                                     {QStringLiteral("--admin"), QStringLiteral("boss@example.org"),
                                      QStringLiteral("--admin"), QStringLiteral("olga@other.org")},
                                     &why),
                 qPrintable(why));
        const json adaGrant = signIn(QStringLiteral("ada@example.org"));
        ada = access(adaGrant);
        adaRefresh = QByteArray::fromStdString(adaGrant.value("refresh_token", ""));
        adaId = adaGrant["user"].value("id", qint64(0));
        bob = access(signIn(QStringLiteral("bob@example.org")));
        boss = access(signIn(QStringLiteral("boss@example.org")));
        olga = access(signIn(QStringLiteral("olga@other.org")));
        QVERIFY(!ada.isEmpty() && !bob.isEmpty() && !boss.isEmpty() && !olga.isEmpty());

        server.setToken(boss);
        cluster = server.readyCluster(QStringLiteral("shared-team"));
        server.setToken(ada);
        job = server.submitJob(
            cluster,
            testjobs::rawJob(
                "#!/bin/sh\necho ada-output; sleep 60\n",
                {{"environment", {"PATH=/usr/bin:/bin", std::string("TOKEN=") + kSecretEnv}}}));
        QVERIFY(job > 0);
        const auto put =
            server.post(QStringLiteral("/v1/clusters/%1/storage/presigned-url").arg(cluster),
                        {{"key", kSecretFile}, {"method", "PUT"}});
        QCOMPARE(put.status, 200);
        QCOMPARE(server.raw("PUT", QString::fromStdString(put.json["url"]), "#!/bin/sh\n").status,
                 200);
        const auto mp =
            server.post(QStringLiteral("/v1/clusters/%1/storage/multipart").arg(cluster),
                        {{"key", "scripts/ada@example.org/big.bin"}});
        QCOMPARE(mp.status, 201);
        upload = QString::fromStdString(mp.json["upload_id"]);
    }

    void everyRouteIsInTheMatrix() {
        // A new route must get a row here: compare against the published API document.
        QFile f(QStringLiteral(OPENAPI_JSON));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const json doc = json::parse(f.readAll().toStdString());
        QStringList missing;
        for (auto p = doc["paths"].begin(); p != doc["paths"].end(); ++p) {
            for (auto m = p->begin(); m != p->end(); ++m) {
                if (m->contains("security") && (*m)["security"].empty())
                    continue; // public
                const QByteArray method = QByteArray::fromStdString(m.key()).toUpper();
                const QString pattern = QString::fromStdString(p.key());
                bool found = false;
                for (const Probe &probe : probes()) {
                    QString path = probe.path.section(QLatin1Char('?'), 0, 0);
                    const QStringList a = path.split(QLatin1Char('/'));
                    const QStringList b = pattern.split(QLatin1Char('/'));
                    bool same = probe.method == method && a.size() == b.size();
                    for (int i = 0; same && i < a.size(); ++i)
                        same = b[i].startsWith(QLatin1Char('{')) || a[i] == b[i];
                    found = found || same;
                }
                if (!found)
                    missing << QString::fromLatin1(method) + QLatin1Char(' ') + pattern;
            }
        }
        QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QStringLiteral(", "))));
    }

    void anonymousExpiredAndTamperedGet401() {
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        const QByteArray expired = clusterra::jwt::signHs256({{"iss", "clusterra-server"},
                                                              {"sub", std::to_string(adaId)},
                                                              {"iat", now - 3600},
                                                              {"exp", now - 600}},
                                                             secret());
        QList<QByteArray> parts = ada.split('.');
        json claims = clusterra::jwt::decode(ada).claims;
        claims["sub"] = std::to_string(adaId + 1); // someone else, same signature
        const QByteArray tampered =
            parts[0] + '.' +
            QByteArray::fromStdString(claims.dump())
                .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals) +
            '.' + parts[2];
        // An ID token is not an access token, even a valid one.
        const QByteArray idToken =
            idp.mint(idp.claimsFor(QStringLiteral("ada@example.org"), QStringLiteral("n")));
        const QList<QPair<const char *, QByteArray>> callers{{"anonymous", QByteArray()},
                                                             {"expired", expired},
                                                             {"tampered", tampered},
                                                             {"id token", idToken},
                                                             {"garbage", "x.y.z"}};
        for (const Probe &p : probes()) {
            for (const auto &[name, token] : callers) {
                const auto r = server.request(p.method, p.path, p.body, token);
                const QString what =
                    QStringLiteral("%1 %2 as %3")
                        .arg(QString::fromLatin1(p.method), p.path, QString::fromLatin1(name));
                QVERIFY2(r.status == 401, qPrintable(what + QStringLiteral(": %1").arg(r.status)));
                QCOMPARE(r.json["error"]["type"].get<std::string>(), std::string("Unauthorized"));
                QVERIFY2(!leaks(r), qPrintable(what));
            }
        }
    }

    void eachCallerGetsTheRightAnswer() {
        for (const Probe &p : probes()) {
            const QList<std::tuple<const char *, QByteArray, int, const char *>> callers{
                {"owner", ada, p.owner, "ada@example.org"},
                {"other user", bob, p.otherUser, "bob@example.org"},
                {"other org", olga, p.otherOrg, "olga@other.org"}};
            for (const auto &[name, token, expected, email] : callers) {
                if (expected == 0)
                    continue;
                // Signing out ends the token it is sent with: use a session of its own.
                const bool logout = p.path == QLatin1String("/v1/auth/logout");
                const auto r =
                    server.request(p.method, p.path, p.body,
                                   logout ? access(signIn(QString::fromLatin1(email))) : token);
                const QString what =
                    QStringLiteral("%1 %2 as %3")
                        .arg(QString::fromLatin1(p.method), p.path, QString::fromLatin1(name));
                QVERIFY2(r.status == expected,
                         qPrintable(what + QStringLiteral(": %1 %2").arg(r.status).arg(
                                               QString::fromUtf8(r.body.left(200)))));
                const bool echoed = p.path.contains(QLatin1String("private-plan")) ||
                                    p.body.dump().find("private-plan") != std::string::npos;
                if (token != ada)
                    QVERIFY2(!leaks(r, echoed), qPrintable(what + QStringLiteral(": leaked ") +
                                                           QString::fromUtf8(r.body.left(200))));
            }
        }
    }

    // Listing jobs shows everyone's, as squeue does; details stay the owner's, even for admins.
    void othersSeeTheJobButNotItsInsides() {
        const QString jobs = QStringLiteral("/v1/clusters/%1/jobs").arg(cluster);
        const auto list = server.request("GET", jobs, nullptr, bob);
        bool seen = false;
        for (const auto &j : list.json["jobs"])
            seen = seen || (j["job_id"] == job && j["user"] == "ada@example.org");
        QVERIFY2(seen, list.body.left(300).constData());
        const auto mine = server.request("GET", TestServer::jobPath(cluster, job), nullptr, ada);
        QVERIFY(mine.body.contains(kSecretEnv));
        // An administrator of the same organisation manages the job (cancelTestCase cancels
        // it as boss) but reads none of its insides, nor ada's files.
        const auto admin = server.request("GET", TestServer::jobPath(cluster, job), nullptr, boss);
        QCOMPARE(admin.status, 200);
        QVERIFY2(!leaks(admin), admin.body.left(300).constData());
        const auto output = server.request(
            "GET", TestServer::jobPath(cluster, job) + QStringLiteral("/output"), nullptr, boss);
        QCOMPARE(output.status, 403);
        QVERIFY(!leaks(output));
        const QString storage = QStringLiteral("/v1/clusters/%1/storage").arg(cluster);
        const auto presign = server.request("POST", storage + QStringLiteral("/presigned-url"),
                                            {{"key", kSecretFile}, {"method", "GET"}}, boss);
        QCOMPARE(presign.status, 403);
        for (const char *prefix : {"scripts/", "scripts/ada@example.org/"}) {
            const auto listing = server.request(
                "GET", storage + QStringLiteral("/files?prefix=") + QLatin1String(prefix), nullptr,
                boss);
            QCOMPARE(listing.status, 200);
            QVERIFY2(listing.json["files"].empty() && listing.json["folders"].dump().find(
                                                          "ada@example.org") == std::string::npos,
                     listing.body.constData());
        }
        const auto theirUpload =
            server.request("GET", storage + QStringLiteral("/multipart/") + upload, nullptr, boss);
        QCOMPARE(theirUpload.status, 404);
        // Another org's cluster list is empty, not an error.
        const auto theirs = server.request("GET", QStringLiteral("/v1/clusters"), nullptr, olga);
        QCOMPARE(theirs.json["total"].get<int>(), 0);
        QVERIFY(!theirs.body.contains(cluster.toUtf8()));
    }

    void usersCannotSubmitAsSomeoneElse() {
        const QString submit = QStringLiteral("/v1/clusters/%1/jobs/submit").arg(cluster);
        const json asAda = {{"script", "#!/bin/sh\ntrue\n"},
                            {"job", {{"environment", {"PATH=/bin"}}, {"user_id", "0"}}}};
        const auto r = server.request("POST", submit, asAda, bob);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json["error"]["field"].get<std::string>(), std::string("job.user_id"));
        server.setToken(bob);
        const qint64 bobs = server.submitJob(cluster, testjobs::rawJob("#!/bin/sh\ntrue\n"));
        const auto row = server.request("GET", TestServer::jobPath(cluster, bobs), nullptr, bob);
        QCOMPARE(row.json["user"].get<std::string>(), std::string("bob@example.org"));
    }

    void refreshTokensRotateAndReuseRevokesTheChain() {
        auto refresh = [&](const QByteArray &token) {
            return server.request("POST", QStringLiteral("/v1/auth/refresh"),
                                  {{"refresh_token", token.toStdString()}}, QByteArray());
        };
        const auto first = refresh(adaRefresh);
        QCOMPARE(first.status, 200);
        const QByteArray next = QByteArray::fromStdString(first.json["refresh_token"]);
        QVERIFY(next != adaRefresh);
        // The old one again: a thief or a replay. Both it and the fresh one die.
        const auto reuse = refresh(adaRefresh);
        QCOMPARE(reuse.status, 401);
        QVERIFY(reuse.json["error"]["message"].get<std::string>().find("revoked") !=
                std::string::npos);
        QCOMPARE(refresh(next).status, 401);
        QVERIFY(!reuse.body.contains(adaRefresh));

        // Logout ends a chain; someone else's logout does not end ada's.
        const json g = signIn(QStringLiteral("ada@example.org"));
        const QByteArray r1 = QByteArray::fromStdString(g["refresh_token"]);
        QCOMPARE(server
                     .request("POST", QStringLiteral("/v1/auth/logout"),
                              {{"refresh_token", r1.toStdString()}}, bob)
                     .status,
                 200);
        const auto still = refresh(r1);
        QCOMPARE(still.status, 200);
        const QByteArray r2 = QByteArray::fromStdString(still.json["refresh_token"]);
        QCOMPARE(server
                     .request("POST", QStringLiteral("/v1/auth/logout"),
                              {{"refresh_token", r2.toStdString()}}, access(still.json))
                     .status,
                 200);
        QCOMPARE(refresh(r2).status, 401);
    }

    // The job outlives the server by design (jobs survive restarts); it must not outlive the
    // test, or CTest waits for it.
    void cleanupTestCase() {
        const auto r = server.request("DELETE", TestServer::jobPath(cluster, job), nullptr, boss);
        QVERIFY2(r.status == 200 || r.status == 202, r.body.constData());
        server.waitForJob(cluster, job, testjobs::inState("CANCELLED"));
    }
};

QTEST_GUILESS_MAIN(TestAuthzMatrix)
#include "tst_authz_matrix.moc"
