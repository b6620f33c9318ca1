// A signed-in user's job is untrusted code. In OIDC mode it runs as its owner's own account
// and must reach nothing of the server's: its files, its environment, its descriptors, other
// users' output, or a token it could mint from any of them. Its output paths are its own: the
// server refuses paths outside the owner's areas and never reads back through a symlink or a
// FIFO the job planted. The hostile script reports each attempt as LEAK or BLOCKED.
#include "tests/server/OidcProvider.h"
#include "tests/server/TestServer.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <sys/stat.h>
#include <unistd.h>

using nlohmann::json;
using testjobs::rawJob;

namespace {
const char kPlanted[] = "PLANTED_SERVER_SECRET_5521";

// Each check prints one line; the test counts them, so a script that did not run fails too.
const char kHostileScript[] = R"SH(#!/bin/bash
leak() { echo "LEAK $1"; }
blocked() { echo "BLOCKED $1"; }
try_read() { if head -c1 "$2" >/dev/null 2>&1; then leak "$1"; else blocked "$1"; fi; }
try_read jwt-secret "$DATA/jwt-secret"
try_read s3-credentials "$DATA/s3-credentials"
try_read database "$DATA/clusterra.db"
try_read database-wal "$DATA/clusterra.db-wal"
try_read other-spec "$DATA/jobs/$VICTIM_ID/spec.json"
try_read other-output "$VICTIM_OUT"
try_read server-environ "/proc/$SERVER_PID/environ"
try_read runner-environ "/proc/$PPID/environ"
if ls "$DATA" >/dev/null 2>&1; then leak list-data; else blocked list-data; fi
if ls "$VICTIM_HOME" >/dev/null 2>&1; then leak list-other-home; else blocked list-other-home; fi
if env | grep -q PLANTED; then leak environment; else blocked environment; fi
# What this shell holds besides its standard streams and its own script (bash keeps it on 255).
# (Listed into a file: a $(...) would hold a pipe in this shell while ls looks.)
ls /proc/$$/fd >"$HOME/fds"
open=$(grep -vxE '0|1|2|255' "$HOME/fds" | tr '\n' ' ')
if [ -n "$open" ]; then leak "fds $open"; else blocked fds; fi
if kill -0 "$SERVER_PID" 2>/dev/null; then leak signal-server; else blocked signal-server; fi
secret=$(cat "$DATA/jwt-secret" 2>/dev/null)
token=$(python3 -c '
import base64, hashlib, hmac, json, sys, time
b = lambda d: base64.urlsafe_b64encode(d).rstrip(b"=")
h = b(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
c = b(json.dumps({"sub": "1", "email": "boss@example.org", "role": "admin",
                  "exp": int(time.time()) + 600}).encode())
s = b(hmac.new(sys.argv[1].encode(), h + b"." + c, hashlib.sha256).digest())
print((h + b"." + c + b"." + s).decode())' "$secret")
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$URL/v1/users")
if [ "$code" = 200 ]; then leak minted-token; else blocked minted-token; fi
echo "UID $(id -u) GID $(id -g) GROUPS $(id -G) HOME $HOME"
)SH";
constexpr int kChecks = 14;
} // namespace

class TestHostileJob : public QObject {
    Q_OBJECT
    OidcProvider idp;
    TestServer server;
    QTemporaryDir homes;
    QByteArray ada, bob, boss;
    QString cluster;
    json adaJob;

    QByteArray signIn(const QString &email) {
        const QString nonce = QStringLiteral("n-") + email;
        const auto r =
            server.request("POST", QStringLiteral("/v1/auth/callback"),
                           {{"id_token", idp.mint(idp.claimsFor(email, nonce)).toStdString()},
                            {"nonce", nonce.toStdString()}},
                           QByteArray());
        return QByteArray::fromStdString(r.json.value("access_token", ""));
    }
    QString homeOf(qint64 uid) const { return homes.filePath(QString::number(uid)); }
    QByteArray outputOf(qint64 jobId) {
        return server.get(TestServer::jobPath(cluster, jobId) + QStringLiteral("/output")).body;
    }
    json finished(qint64 jobId) {
        return server.waitForJob(cluster, jobId, [](const json &j) {
            const std::string s = j.value("state", "");
            return s != "PENDING" && s != "RUNNING" && s != "COMPLETING";
        });
    }
    qint64 submitAs(const QByteArray &token, const json &body) {
        server.setToken(token);
        return server.submitJob(cluster, body);
    }

private Q_SLOTS:
    void initTestCase() {
        // Something only the server's environment holds, for the job to look for.
        qputenv("CLUSTERRA_PLANTED", kPlanted);
        QString why;
        QVERIFY2(idp.startWithServer(server,
                                     {QStringLiteral("--admin"), QStringLiteral("boss@example.org"),
                                      QStringLiteral("--homes"), homes.path()},
                                     &why),
                 qPrintable(why));
        qunsetenv("CLUSTERRA_PLANTED");
        ada = signIn(QStringLiteral("ada@example.org"));
        bob = signIn(QStringLiteral("bob@example.org"));
        boss = signIn(QStringLiteral("boss@example.org"));
        QVERIFY(!ada.isEmpty() && !bob.isEmpty() && !boss.isEmpty());
        server.setToken(boss);
        cluster = server.readyCluster(QStringLiteral("hostile"));
        QVERIFY(!cluster.isEmpty());
    }

    // A server in OIDC mode without root cannot switch to each user's account: it refuses
    // local jobs with the reason. As root (CI) a second server runs as nobody to show it.
    void withoutRootJobsAreRefusedWithTheReason() {
        TestServer unprivileged{idp.serverArgs() + QStringList{QStringLiteral("--admin"),
                                                               QStringLiteral("boss@example.org")}};
        TestServer *s = &server;
        if (::geteuid() == 0) {
            QVERIFY(unprivileged.runAs(65534, 65534));
            QVERIFY(unprivileged.start());
            s = &unprivileged;
        }
        const QString nonce = QStringLiteral("n-np");
        const auto grant = s->request(
            "POST", QStringLiteral("/v1/auth/callback"),
            {{"id_token",
              idp.mint(idp.claimsFor(QStringLiteral("boss@example.org"), nonce)).toStdString()},
             {"nonce", nonce.toStdString()}},
            QByteArray());
        s->setToken(QByteArray::fromStdString(grant.json.value("access_token", "")));
        const QString target = s == &server ? cluster : s->readyCluster(QStringLiteral("np"));
        QVERIFY(!target.isEmpty());
        const auto r = s->post(QStringLiteral("/v1/clusters/%1/jobs/submit").arg(target),
                               rawJob("#!/bin/sh\ntrue\n"));
        QCOMPARE(r.status, 503);
        QVERIFY2(r.body.contains("needs root"), r.body.constData());
        if (s == &unprivileged)
            QCOMPARE(unprivileged.stop(), 0);
    }

    void victimRunsAsItsOwner() {
        if (::geteuid() != 0)
            QSKIP("per-user accounts need root");
        const qint64 id = submitAs(
            ada, rawJob("#!/bin/sh\necho ada-private-output; id -u; echo \"$HOME\"\n",
                        {{"environment", {"PATH=/usr/bin:/bin", "ADA_TOKEN=ada-env-secret"}}}));
        QVERIFY(id > 0);
        adaJob = finished(id);
        QCOMPARE(adaJob.value("state", ""), std::string("COMPLETED"));
        const qint64 uid = adaJob.value("uid", qint64(0));
        QVERIFY(uid >= 20000);
        const QByteArray out = outputOf(id);
        const QByteArray expected = QByteArray("ada-private-output\n") + QByteArray::number(uid) +
                                    '\n' + QFile::encodeName(homeOf(uid));
        QVERIFY2(out.startsWith(expected), out.constData());
        // Her home is hers alone, and so is the output in it.
        struct stat st {};
        QCOMPARE(::stat(QFile::encodeName(homeOf(uid)).constData(), &st), 0);
        QCOMPARE(qint64(st.st_uid), uid);
        QCOMPARE(st.st_mode & 0777, 0700u);
        const QString outFile = homeOf(uid) + QStringLiteral("/job_%1.out").arg(id);
        QCOMPARE(::stat(QFile::encodeName(outFile).constData(), &st), 0);
        QCOMPARE(qint64(st.st_uid), uid);
    }

    void hostileJobReachesNothing() {
        if (::geteuid() != 0)
            QSKIP("per-user accounts need root");
        QVERIFY(!adaJob.is_null());
        const qint64 adaUid = adaJob.value("uid", qint64(0));
        const qint64 adaId = adaJob.value("job_id", qint64(0));
        QFile info(server.dataDir() + QStringLiteral("/server.json"));
        QVERIFY(info.open(QIODevice::ReadOnly));
        const qint64 serverPid = json::parse(info.readAll().toStdString()).value("pid", qint64(0));
        const std::vector<std::string> env(
            {"PATH=/usr/bin:/bin", "DATA=" + server.dataDir().toStdString(),
             "SERVER_PID=" + std::to_string(serverPid), "URL=" + server.url().toStdString(),
             "VICTIM_ID=" + std::to_string(adaId), "VICTIM_HOME=" + homeOf(adaUid).toStdString(),
             "VICTIM_OUT=" +
                 QString(homeOf(adaUid) + QStringLiteral("/job_%1.out").arg(adaId)).toStdString()});
        const qint64 id = submitAs(bob, rawJob(kHostileScript, {{"environment", json(env)}}));
        QVERIFY(id > 0);
        const json job = finished(id);
        const QByteArray out = outputOf(id);
        QVERIFY2(job.value("state", "") == "COMPLETED", out.constData());
        QVERIFY2(!out.contains("LEAK"), out.constData());
        QCOMPARE(out.count("BLOCKED "), kChecks);
        QVERIFY(!out.contains(kPlanted) && !out.contains("ada-private-output"));
        const qint64 bobUid = job.value("uid", qint64(0));
        QVERIFY(bobUid >= 20000 && bobUid != adaUid);
        QVERIFY2(out.contains(QStringLiteral("UID %1 GID %1 GROUPS %1 HOME %2")
                                  .arg(bobUid)
                                  .arg(homeOf(bobUid))
                                  .toUtf8()),
                 out.constData());
    }

    // Paths that leave the owner's areas are refused at submit, on the field at fault.
    void outputPathsOutsideTheAreasAreRefused_data() {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("path");
        QTest::newRow("environ") << "standard_output"
                                 << "/proc/self/environ";
        QTest::newRow("data dir") << "standard_output"
                                  << "%DATA%/jwt-secret";
        QTest::newRow("dot-dot out of home") << "standard_error"
                                             << "%HOME%/../../../etc/passwd";
        QTest::newRow("relative from /") << "standard_output"
                                         << "etc/cron.d/x";
        QTest::newRow("control char") << "standard_output"
                                      << "/tmp/a\nb";
    }
    void outputPathsOutsideTheAreasAreRefused() {
        QFETCH(QString, field);
        QFETCH(QString, path);
        path.replace(QStringLiteral("%DATA%"), server.dataDir());
        path.replace(QStringLiteral("%HOME%"), homes.path() + QStringLiteral("/20000"));
        server.setToken(bob);
        const auto r =
            server.post(QStringLiteral("/v1/clusters/%1/jobs/submit").arg(cluster),
                        rawJob("#!/bin/sh\ntrue\n", {{field.toStdString(), path.toStdString()},
                                                     {"current_working_directory", "/"}}));
        QCOMPARE(r.status, 400);
        const std::string expected = "job." + field.toStdString();
        QVERIFY2(r.body.contains(expected.c_str()), r.body.constData());
    }

    // A job plants a symlink to a server secret, or a FIFO, where output goes: the job cannot
    // open it, and the server reads nothing through it (nor blocks on it).
    void plantedLinksAndFifosAreNotFollowed() {
        if (::geteuid() != 0)
            QSKIP("per-user accounts need root");
        const std::string secret = server.dataDir().toStdString() + "/jwt-secret";
        const qint64 plant =
            submitAs(bob, rawJob("#!/bin/sh\nln -s " + secret + " \"$HOME/link.out\"\n" +
                                 "mkfifo \"$HOME/fifo.out\"\n"));
        QCOMPARE(finished(plant).value("state", ""), std::string("COMPLETED"));
        QFile jwt(server.dataDir() + QStringLiteral("/jwt-secret"));
        QVERIFY(jwt.open(QIODevice::ReadOnly));
        const QByteArray secretBytes = jwt.readAll().trimmed();
        QVERIFY(!secretBytes.isEmpty());
        const qint64 bobUid = finished(plant).value("uid", qint64(0));
        for (const char *name : {"link.out", "fifo.out"}) {
            const std::string path = homeOf(bobUid).toStdString() + "/" + name;
            const qint64 id = submitAs(
                bob, rawJob("#!/bin/sh\necho should-not-run\n", {{"standard_output", path}}));
            QVERIFY(id > 0);
            const json job = finished(id);
            QCOMPARE(job.value("state", ""), std::string("FAILED"));
            const QByteArray out = outputOf(id);
            QVERIFY2(!out.contains(secretBytes) && !out.contains("should-not-run"),
                     out.constData());
        }
    }

    // After the job ends it swaps its own output for a link to a server secret: the server
    // reads nothing through it, and publishes nothing of it.
    void outputSwappedForALinkAfterTheJob() {
        if (::geteuid() != 0)
            QSKIP("per-user accounts need root");
        const std::string secret = server.dataDir().toStdString() + "/jwt-secret";
        const qint64 id = submitAs(
            bob, rawJob("#!/bin/sh\necho first\n(sleep 1; rm -f \"$HOME/job_$SLURM_JOB_ID.out\"; "
                        "ln -s " +
                        secret + " \"$HOME/job_$SLURM_JOB_ID.out\") &\n"));
        QVERIFY(id > 0);
        finished(id);
        QTest::qWait(2000);
        QFile jwt(server.dataDir() + QStringLiteral("/jwt-secret"));
        QVERIFY(jwt.open(QIODevice::ReadOnly));
        const QByteArray secretBytes = jwt.readAll().trimmed();
        const QByteArray out = outputOf(id);
        QVERIFY2(!out.contains(secretBytes), out.constData());
        const auto stream = server.readSse(
            TestServer::jobPath(cluster, id) + QStringLiteral("/output/stream"), {},
            [](const QList<clusterra::SseEvent> &e) { return testjobs::hasEnd(e); }, 5000);
        QVERIFY(!testjobs::logText(stream).toUtf8().contains(secretBytes));
    }

    // Local single-user mode runs jobs as the server's own user (the same person), but still
    // with none of the server's environment or descriptors, and output inside its areas.
    void localModeJobsStartClean() {
        qputenv("CLUSTERRA_PLANTED", kPlanted);
        TestServer local;
        const bool started = local.start();
        qunsetenv("CLUSTERRA_PLANTED");
        QVERIFY(started && local.signIn());
        const QString c = local.readyCluster(QStringLiteral("local"));
        const auto refused =
            local.post(QStringLiteral("/v1/clusters/%1/jobs/submit").arg(c),
                       rawJob("#!/bin/sh\ntrue\n", {{"standard_output", "/proc/self/environ"}}));
        QCOMPARE(refused.status, 400);
        QVERIFY(refused.body.contains("job.standard_output"));
        const qint64 id = local.submitJob(
            c, rawJob("#!/bin/bash\nenv\nls /proc/$$/fd >\"$HOME/fds\"; echo FDS $(tr '\\n' ' ' "
                      "<\"$HOME/fds\")\n"));
        QVERIFY(id > 0);
        local.waitForJob(c, id, testjobs::inState("COMPLETED"));
        const QByteArray out =
            local.get(TestServer::jobPath(c, id) + QStringLiteral("/output")).body;
        QVERIFY2(out.contains("SLURM_JOB_ID=") && !out.contains(kPlanted), out.constData());
        QVERIFY2(out.contains("FDS 0 1 2 255\n"), out.constData());
    }
};

QTEST_GUILESS_MAIN(TestHostileJob)
#include "tst_hostile_job.moc"
