// What only a Slurm-backed cluster does, against the real single-node Slurm of the "slurm"
// CTest fixture: the v0.0.44 -> v0.0.38 translation, identity, history after Slurm forgets a
// job, and slurmrestd going away and coming back.
#include "tests/server/SlurmEnv.h"
#include "tests/server/TestServer.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QMap>
#include <QProcess>
#include <QSet>
#include <QTest>

using nlohmann::json;

namespace {

bool runScript(const QString &arg) {
    return QProcess::execute(QStringLiteral("bash"), {QStringLiteral(SLURM_CI_SCRIPT), arg}) == 0;
}
} // namespace

using namespace testjobs;

class TestSlurmApi : public QObject {
    Q_OBJECT
    SlurmEnv env;
    TestServer server{{QStringLiteral("--slurm-poll-ms"), QStringLiteral("200")}};
    QString cluster;

    TestServer::Reply submit(TestServer &s, const QString &clusterId, const json &body) {
        return s.post(QStringLiteral("/v1/clusters/%1/jobs/submit").arg(clusterId), body);
    }

    QStringList eventMessages() {
        QStringList out;
        qint64 after = 0;
        for (;;) {
            const json page = server
                                  .get(QStringLiteral("/v1/clusters/%1/events?limit=1000&after=%2")
                                           .arg(cluster)
                                           .arg(after))
                                  .json;
            if (!page.contains("events") || page["events"].empty())
                return out;
            for (const auto &e : page["events"]) {
                out << QString::fromStdString(e.value("message", ""));
                after = e.value("seq", after);
            }
        }
    }

    QString registerFailure(const json &slurm) {
        const auto r = server.post(QStringLiteral("/v1/clusters"), {{"name", "broken"},
                                                                    {"cluster_type", "slurm"},
                                                                    {"provider", "slurm"},
                                                                    {"slurm", slurm}});
        if (r.status != 201)
            return QString::fromUtf8(r.body);
        const QString id = QString::fromStdString(r.json["id"].get<std::string>());
        QElapsedTimer t;
        t.start();
        json c = json::object();
        while (t.elapsed() < 20000) {
            c = server.get(QStringLiteral("/v1/clusters/") + id).json;
            if (c.value("state", "") != "preparing")
                break;
            QTest::qWait(50);
        }
        server.request("DELETE", QStringLiteral("/v1/clusters/") + id);
        return QString::fromStdString(c.value("state", "") + ": " + c.value("state_reason", ""));
    }

private Q_SLOTS:
    void initTestCase() {
        SLURM_ENV_OR_SKIP(env);
        QVERIFY(server.start());
        cluster = env.readyCluster(server, QStringLiteral("slurm"), QStringLiteral("shared"),
                                   env.jobToken);
        QVERIFY(!cluster.isEmpty());
    }

    void tokenIsNeverReturned() {
        const auto c = server.get(QStringLiteral("/v1/clusters/") + cluster);
        QVERIFY(!c.body.contains(env.jobToken.toUtf8()));
        QVERIFY(!c.json["slurm"].contains("token"));
        QCOMPARE(c.json["slurm"]["user_mapping"].get<std::string>(), std::string("shared"));
    }

    // A Slurm-backed cluster's pending jobs are Slurm's to run. The local executor, busy with
    // a local cluster beside it, once started them on this machine as the server's user.
    void slurmJobsNeverRunOnThisMachine() {
        const qint64 blocker =
            env.sbatch({QStringLiteral("--exclusive"), QStringLiteral("-D"), QStringLiteral("/tmp"),
                        QStringLiteral("-J"), QStringLiteral("hold-the-node"),
                        QStringLiteral("--wrap"), QStringLiteral("sleep 120")});
        QVERIFY(blocker > 0);
        const QString marker =
            QStringLiteral("/tmp/clusterra-ran-here-%1").arg(QCoreApplication::applicationPid());
        QFile::remove(marker);
        const auto r =
            submit(server, cluster, rawJob("#!/bin/bash\ntouch " + marker.toStdString() + "\n"));
        QVERIFY2(r.status == 201, r.body.constData());
        const qint64 id = r.json["job_id"].get<qint64>();
        server.waitForJob(cluster, id, inState("PENDING"));
        // Local jobs start and end beside it: every one is a pass of the local scheduler.
        const QString local = server.readyCluster(QStringLiteral("beside-slurm"));
        for (int i = 0; i < 3; ++i) {
            const qint64 j = server.submitJob(local, rawJob("#!/bin/bash\ntrue\n"));
            QVERIFY(j > 0);
            server.waitForJob(local, j, inState("COMPLETED"));
        }
        QTest::qWait(500);
        const bool ranHere = QFile::exists(marker);
        const json job = server.get(TestServer::jobPath(cluster, id)).json;
        QProcess::execute(QStringLiteral("scancel"),
                          {QString::number(blocker), QString::number(id)});
        server.request("DELETE", QStringLiteral("/v1/clusters/") + local);
        QFile::remove(marker);
        QVERIFY2(!ranHere, "a Slurm job's script ran on the server's machine");
        QCOMPARE(job["state"].get<std::string>(), std::string("PENDING"));
        QVERIFY(!job["nodes"].get<std::string>().starts_with("local"));
    }

    // Wrapped numbers, the environment array, output patterns and requeue=false reach a
    // 22.05 slurmrestd in the shape it takes, and the job sees them.
    void v44BodyIsTranslatedForSlurm2205() {
        const auto r = submit(
            server, cluster,
            rawJob("#!/bin/bash\necho \"FOO=$FOO\"\n",
                   {{"environment", {"PATH=/usr/bin:/bin", "FOO=a=b c"}},
                    {"time_limit", {{"set", true}, {"number", 5}}},
                    {"memory_per_node", {{"set", true}, {"infinite", false}, {"number", 100}}},
                    {"standard_output", "clusterra-test-%j-%x.txt"},
                    {"requeue", false},
                    {"mail_type", {"END", "FAIL"}}}));
        QVERIFY2(r.status == 201, r.body.constData());
        const qint64 id = r.json["job_id"].get<qint64>();
        const json done = server.waitForJob(cluster, id, inState("COMPLETED"));
        const qint64 slurmId = done["slurm_job_id"].get<qint64>();
        // The console's id is Slurm's: squeue -j, sacct -j and scontrol agree with it.
        QCOMPARE(id, slurmId);
        QCOMPARE(done["job_id"].get<qint64>(), slurmId);
        const json detail = server.get(TestServer::jobPath(cluster, id)).json;
        QCOMPARE(QString::fromStdString(detail["standard_output"].get<std::string>()),
                 QStringLiteral("/tmp/clusterra-test-%1-t.txt").arg(slurmId));
        QCOMPARE(server.get(TestServer::jobPath(cluster, id) + QStringLiteral("/output")).body,
                 QByteArray("FOO=a=b c\n"));
        const auto raw = env.slurmJob(server, slurmId);
        QCOMPARE(raw.status, 200);
        const json info = json::parse(raw.body.toStdString())["jobs"][0];
        QCOMPARE(info["time_limit"].get<int>(), 5);
        QCOMPARE(info["memory_per_node"].get<int>(), 100);
        QCOMPARE(info["requeue"].get<bool>(), false);
        QCOMPARE(info["comment"].get<std::string>(), std::string("clusterra:admin@localhost"));
    }

    // A Slurm job's output is read off the shared filesystem only when the file is the Slurm
    // job user's: a job pointed at someone else's file (here root's, left writable) does not
    // get it shown.
    void outputThatIsNotTheJobUsersIsNotShown() {
        const QString foreign =
            QStringLiteral("/tmp/clusterra-foreign-%1.log").arg(QCoreApplication::applicationPid());
        {
            QFile f(foreign);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write("ROOT-SECRET\n");
            f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                             QFileDevice::ReadOther | QFileDevice::WriteOther |
                             QFileDevice::ReadGroup | QFileDevice::WriteGroup);
        }
        const auto r = submit(
            server, cluster,
            rawJob("#!/bin/sh\necho appended\n", {{"standard_output", foreign.toStdString()}}));
        QVERIFY2(r.status == 201, r.body.constData());
        const qint64 id = r.json["job_id"].get<qint64>();
        server.waitForJob(cluster, id, [](const json &j) {
            const std::string st = j.value("state", "");
            return st != "PENDING" && st != "RUNNING" && st != "COMPLETING";
        });
        const auto out = server.get(TestServer::jobPath(cluster, id) + QStringLiteral("/output"));
        QFile::remove(foreign);
        QVERIFY2(!out.body.contains("ROOT-SECRET"), out.body.constData());
    }

    // Keys Slurm 22.05 cannot take are refused with their path, never silently dropped.
    void keysSlurm2205CannotTakeAreRefused() {
        const auto r =
            submit(server, cluster, rawJob("#!/bin/sh\n", {{"tres_per_job", "gres/shard:2"}}));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json["error"]["field"].get<std::string>(), std::string("job.tres_per_job"));
    }

    // Each user's jobs run under their own Linux name when the cluster maps users (a root
    // token may act for them); the shared cluster runs everyone's as its user_name.
    void perUserMappingRunsAsTheSubmitter() {
        if (env.rootToken.isEmpty())
            QSKIP("no root token in the Slurm env");
        TestServer other{{QStringLiteral("--local-email"), QStringLiteral("slurmci@localhost"),
                          QStringLiteral("--slurm-poll-ms"), QStringLiteral("200")}};
        QVERIFY(other.start());
        const QString mapped = env.readyCluster(other, QStringLiteral("mapped"),
                                                QStringLiteral("per_user"), env.rootToken);
        QVERIFY(!mapped.isEmpty());
        const auto r = submit(other, mapped, rawJob("#!/bin/bash\nid -un\n"));
        QCOMPARE(r.status, 201);
        const qint64 id = r.json["job_id"].get<qint64>();
        other.waitForJob(mapped, id, inState("COMPLETED"));
        QCOMPARE(other.get(TestServer::jobPath(mapped, id) + QStringLiteral("/output")).body,
                 QByteArray("slurmci\n"));
        QCOMPARE(other.get(TestServer::jobPath(mapped, id)).json["user"].get<std::string>(),
                 std::string("slurmci@localhost"));
    }

    // Jobs recorded before Linux accounts were (an empty linux_user) act as their owner once
    // the owner has an account, and until then are refused: an empty name with a token that
    // may act for anyone would act as the token's own user (root here).
    void earlierJobsActAsTheirOwner() {
        if (env.rootToken.isEmpty())
            QSKIP("no root token in the Slurm env");
        TestServer other{{QStringLiteral("--local-email"), QStringLiteral("slurmci@localhost"),
                          QStringLiteral("--slurm-poll-ms"), QStringLiteral("200")}};
        QVERIFY(other.start());
        const QString mapped = env.readyCluster(other, QStringLiteral("earlier"),
                                                QStringLiteral("per_user"), env.rootToken);
        QVERIFY(!mapped.isEmpty());
        const auto r = submit(other, mapped, rawJob("#!/bin/bash\nsleep 300\n"));
        QCOMPARE(r.status, 201);
        const qint64 id = r.json["job_id"].get<qint64>();
        const json running = other.waitForJob(mapped, id, inState("RUNNING"));
        const qint64 slurmId = running["slurm_job_id"].get<qint64>();
        const qint64 ownerId = other.get(QStringLiteral("/v1/users/me")).json["id"].get<qint64>();
        QCOMPARE(other.stop(), 0);
        QVERIFY(other.editDatabase({QStringLiteral("UPDATE users SET linux_user = NULL"),
                                    QStringLiteral("UPDATE jobs SET linux_user = ''")}));
        // Another administrator runs the server now; the job's owner has no account yet.
        other.addArgs({QStringLiteral("--local-email"), QStringLiteral("ops@localhost")});
        QVERIFY(other.startOnSamePort());
        const QString cancel = TestServer::jobPath(mapped, id);
        TestServer::Reply refused = other.request("DELETE", cancel);
        QElapsedTimer reconnect; // 503 until the restarted server is connected to slurmrestd
        reconnect.start();
        while (refused.status == 503 && reconnect.elapsed() < 20000) {
            QTest::qWait(100);
            refused = other.request("DELETE", cancel);
        }
        QCOMPARE(refused.status, 403);
        QVERIFY2(refused.body.contains("slurmci@localhost"), refused.body.constData());
        const auto still = env.slurmJob(other, slurmId);
        QVERIFY2(still.body.contains("RUNNING"), still.body.constData());

        const auto set =
            other.request("PUT", QStringLiteral("/v1/users/%1/linux-user").arg(ownerId),
                          {{"linux_user", "slurmci"}});
        QCOMPARE(set.status, 200);
        QCOMPARE(other.request("DELETE", cancel).status, 200);
        other.waitForJob(mapped, id, inState("CANCELLED"));
    }

    void registrationFailuresSayWhy() {
        const QString down = registerFailure({{"rest_url", "http://127.0.0.1:1"},
                                              {"user_name", "slurmci"},
                                              {"token", "x"},
                                              {"user_mapping", "shared"}});
        QVERIFY2(down.startsWith(QLatin1String("failed: slurmrestd at http://127.0.0.1:1 did not "
                                               "answer")),
                 qPrintable(down));
        const QString refused = registerFailure({{"rest_url", env.restUrl.toStdString()},
                                                 {"user_name", "slurmci"},
                                                 {"token", "not-a-token"},
                                                 {"user_mapping", "shared"}});
        QVERIFY2(refused.startsWith(QLatin1String("failed: ")) && refused.size() > 10,
                 qPrintable(refused));
        // per_user with an ordinary user's token, which cannot act for others: refused at
        // registration, naming the field, instead of failing every later submit.
        const QString notProxy = registerFailure({{"rest_url", env.restUrl.toStdString()},
                                                  {"user_name", env.jobUser.toStdString()},
                                                  {"token", env.jobToken.toStdString()},
                                                  {"user_mapping", "per_user"}});
        QVERIFY2(notProxy.startsWith(QLatin1String("failed: slurm.user_mapping: per_user needs "
                                                   "a token that may act for other users")),
                 qPrintable(notProxy));
        QVERIFY(!notProxy.contains(env.jobToken));
        // Something that is not slurmrestd: its status line comes back, never its body.
        QProcess impostor;
        impostor.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        impostor.start(QStringLiteral("python3"), {QStringLiteral("-c"), QStringLiteral(R"PY(
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b'{"errors":[{"error":"INTERNAL-SECRET-42 db=prod password=hunter2"}]}'
        self.send_response(500)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a): pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
)PY")});
        QVERIFY(impostor.waitForReadyRead(10000));
        const QByteArray port = impostor.readLine().trimmed();
        const QString other =
            registerFailure({{"rest_url", "http://127.0.0.1:" + port.toStdString()},
                             {"user_name", "slurmci"},
                             {"token", "x"},
                             {"user_mapping", "shared"}});
        impostor.kill();
        impostor.waitForFinished();
        QVERIFY2(other.startsWith(QLatin1String("failed: ")), qPrintable(other));
        QVERIFY2(other.contains(QLatin1String("HTTP 500")), qPrintable(other));
        QVERIFY2(!other.contains(QLatin1String("SECRET")), qPrintable(other));
        QVERIFY(!refused.contains(QLatin1String("not-a-token")));
    }

    // slurmrestd stops: the cluster shows disconnected, a submit gets a clear 503 and nothing
    // is recorded; when it is back, the cluster reconnects and jobs run again.
    void slurmrestdGoingAwayAndComingBack() {
        QVERIFY(QProcess::execute(
                    QStringLiteral("sh"),
                    {QStringLiteral("-c"), QStringLiteral("kill $(cat /var/lib/clusterra-slurm/"
                                                          "slurmrestd.pid)")}) == 0);
        json c = json::object();
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 20000 && c.value("connection_state", "") != "disconnected") {
            QTest::qWait(100);
            c = server.get(QStringLiteral("/v1/clusters/") + cluster).json;
        }
        QCOMPARE(c["connection_state"].get<std::string>(), std::string("disconnected"));
        QCOMPARE(c["state"].get<std::string>(), std::string("ready"));
        const qint64 before = server.get(QStringLiteral("/v1/clusters/%1/jobs").arg(cluster))
                                  .json["total"]
                                  .get<qint64>();
        const auto refused = submit(server, cluster, rawJob("#!/bin/sh\necho hi\n"));
        QCOMPARE(refused.status, 503);
        QCOMPARE(refused.json["error"]["type"].get<std::string>(),
                 std::string("ServiceUnavailable"));
        QCOMPARE(server.get(QStringLiteral("/v1/clusters/%1/jobs").arg(cluster))
                     .json["total"]
                     .get<qint64>(),
                 before);
        QVERIFY(runScript(QStringLiteral("start")));
        t.restart();
        while (t.elapsed() < 30000 && c.value("connection_state", "") != "connected") {
            QTest::qWait(100);
            c = server.get(QStringLiteral("/v1/clusters/") + cluster).json;
        }
        QCOMPARE(c["connection_state"].get<std::string>(), std::string("connected"));
        const auto r = submit(server, cluster, rawJob("#!/bin/sh\necho back\n"));
        QCOMPARE(r.status, 201);
        server.waitForJob(cluster, r.json["job_id"].get<qint64>(), inState("COMPLETED"));
    }

    // An array runs as Slurm runs it: one id for the array, the pending rest on the array's own
    // row, each task a row of its own under the id Slurm gave it, with its own output; the
    // array's own row ends as its last task.
    void arraysRunAsSlurmRunsThem() {
        const auto r = submit(server, cluster,
                              rawJob("#!/bin/sh\necho task $SLURM_ARRAY_TASK_ID of "
                                     "$SLURM_ARRAY_JOB_ID\nsleep 1\n",
                                     {{"name", "sweep"}, {"array", "1-4%2"}}));
        QVERIFY2(r.status == 201, r.body.constData());
        const qint64 arrayId = r.json["job_id"].get<qint64>();
        QVERIFY(!r.json.contains("array_job_ids")); // Slurm names the tasks as it starts them
        const json own = server.get(TestServer::jobPath(cluster, arrayId)).json;
        QCOMPARE(arrayIdOf(own), arrayId);
        QVERIFY(own["array_task_id"].is_null());
        QVERIFY(!own.value("array_task_string", "").empty());

        QMap<int, json> tasks;
        bool sawPendingRest = false;
        QVERIFY(QTest::qWaitFor(
            [&] {
                const auto list = server.get(QStringLiteral("/v1/clusters/%1/jobs").arg(cluster));
                tasks.clear();
                for (const auto &j : list.json["jobs"]) {
                    if (arrayIdOf(j) != arrayId)
                        continue;
                    if (j["array_task_id"].is_number())
                        tasks[j["array_task_id"].get<int>()] = j;
                    else
                        sawPendingRest |= !j.value("array_task_string", "").empty();
                }
                if (tasks.size() != 4)
                    return false;
                for (const json &t : std::as_const(tasks))
                    if (t.value("state", "") != "COMPLETED")
                        return false;
                return true;
            },
            60000));
        QVERIFY(sawPendingRest);
        QCOMPARE(tasks.keys(), (QList<int>{1, 2, 3, 4}));
        QSet<qint64> ids;
        for (auto it = tasks.cbegin(); it != tasks.cend(); ++it) {
            const qint64 id = it->value("job_id", qint64(0));
            ids.insert(id);
            QCOMPARE(it->value("name", ""), std::string("sweep"));
            QCOMPARE(server.get(TestServer::jobPath(cluster, id) + QStringLiteral("/output")).body,
                     QStringLiteral("task %1 of %2\n").arg(it.key()).arg(arrayId).toUtf8());
        }
        QCOMPARE(ids.size(), 4);
        QVERIFY(ids.contains(arrayId)); // the array's own row ran the last task
        const QStringList messages = eventMessages();
        QVERIFY2(!messages.filter(QStringLiteral("submitted array job %1 (4 tasks)").arg(arrayId))
                      .isEmpty(),
                 qPrintable(messages.join(u'\n')));
        // Each task's start and end is an event, as any job's is. Slurm may show a task
        // COMPLETING between the two, so the end is whatever state led to COMPLETED.
        for (qint64 id : std::as_const(ids)) {
            const QString job = QStringLiteral("Job %1 (sweep) ").arg(id);
            QVERIFY2(!messages.filter(job + QStringLiteral("PENDING → RUNNING")).isEmpty(),
                     qPrintable(messages.join(u'\n')));
            QVERIFY2(std::any_of(messages.cbegin(), messages.cend(),
                                 [&](const QString &m) {
                                     return m.startsWith(job) &&
                                            m.contains(QStringLiteral("→ COMPLETED"));
                                 }),
                     qPrintable(messages.join(u'\n')));
        }
    }

    // Cancelling the array's own row cancels every task, running or pending, as scancel does.
    void cancellingAnArrayCancelsEveryTask() {
        const auto r =
            submit(server, cluster, rawJob("#!/bin/sh\nsleep 60\n", {{"array", "0-5%1"}}));
        QVERIFY2(r.status == 201, r.body.constData());
        const qint64 arrayId = r.json["job_id"].get<qint64>();
        const auto arrayRows = [&] {
            QList<json> rows;
            const auto list = server.get(QStringLiteral("/v1/clusters/%1/jobs").arg(cluster));
            for (const auto &j : list.json["jobs"])
                if (arrayIdOf(j) == arrayId)
                    rows << j;
            return rows;
        };
        QVERIFY(QTest::qWaitFor(
            [&] {
                for (const json &j : arrayRows())
                    if (j["array_task_id"] == 0 && j.value("state", "") == "RUNNING")
                        return true;
                return false;
            },
            30000));
        const auto cancel = server.request("DELETE", TestServer::jobPath(cluster, arrayId));
        QVERIFY2(cancel.status == 200, cancel.body.constData());
        QVERIFY(QTest::qWaitFor(
            [&] {
                const QList<json> rows = arrayRows();
                if (rows.size() != 2) // task 0 and the array's own row, its rest never started
                    return false;
                for (const json &j : rows)
                    if (j.value("state", "") != "CANCELLED")
                        return false;
                return true;
            },
            30000));
    }

    // Slurm forgets finished jobs after MinJobAge; the server keeps its own record.
    void historyOutlivesSlurmsMemory() {
        const auto r = submit(server, cluster, rawJob("#!/bin/sh\necho kept\nexit 3\n"));
        QCOMPARE(r.status, 201);
        const qint64 id = r.json["job_id"].get<qint64>();
        const json done = server.waitForJob(cluster, id, inState("FAILED"));
        QCOMPARE(done["exit_code"].get<int>(), 3);
        const qint64 slurmId = done["slurm_job_id"].get<qint64>();
        QElapsedTimer t;
        t.start();
        bool purged = false;
        while (!purged && t.elapsed() < 150000) {
            purged = env.slurmJob(server, slurmId).body.contains("Invalid job id");
            if (!purged)
                QTest::qWait(1000);
        }
        QVERIFY2(purged, "Slurm never purged the job (MinJobAge)");
        QVERIFY(server.restartOnSamePort());
        const json after = server.get(TestServer::jobPath(cluster, id)).json;
        QCOMPARE(after["state"].get<std::string>(), std::string("FAILED"));
        QCOMPARE(after["exit_code"].get<int>(), 3);
        QCOMPARE(server.get(TestServer::jobPath(cluster, id) + QStringLiteral("/output")).body,
                 QByteArray("kept\n"));
    }
};

QTEST_GUILESS_MAIN(TestSlurmApi)
#include "tst_slurm_api.moc"
