// The same behaviour through the /v1 API whichever scheduler runs the cluster's jobs:
// CLUSTERRA_TEST_SCHEDULER=local (the built-in executor) or slurm (a real Slurm through
// slurmrestd, started by scripts/slurm-ci.sh as the CTest fixture "slurm").
#include "core/sse/LogEvents.h"
#include "tests/server/SlurmEnv.h"
#include "tests/server/TestServer.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QMap>
#include <QTest>
#include <QUuid>

using nlohmann::json;

using namespace testjobs;

class TestSchedulerBehaviour : public QObject {
    Q_OBJECT
    const bool slurm = qgetenv("CLUSTERRA_TEST_SCHEDULER") == "slurm";
    SlurmEnv env;
    TestServer server{{QStringLiteral("--local-cpus"), QStringLiteral("2"),
                       QStringLiteral("--kill-grace-ms"), QStringLiteral("1000"),
                       QStringLiteral("--slurm-poll-ms"), QStringLiteral("200")}};
    QString cluster;

    qint64 submit(const json &body) { return server.submitJob(cluster, body); }

    QByteArray output(qint64 id) {
        return server.get(TestServer::jobPath(cluster, id) + QStringLiteral("/output")).body;
    }

    // The job's state changes, in order, from the cluster's event log.
    QStringList transitions(qint64 id) {
        QStringList out;
        const auto r = server.get(QStringLiteral("/v1/clusters/%1/events?limit=1000").arg(cluster));
        for (const auto &e : r.json["events"]) {
            if (e["kind"] == "job.state_changed" && e["data"].value("job_id", 0) == id)
                out << QString::fromStdString(e["data"]["to"].get<std::string>());
        }
        return out;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(server.start());
        if (!slurm) {
            cluster = server.readyCluster(QStringLiteral("local"));
            return;
        }
        SLURM_ENV_OR_SKIP(env);
        cluster = env.readyCluster(server, QStringLiteral("slurm"), QStringLiteral("shared"),
                                   env.jobToken);
        QVERIFY(!cluster.isEmpty());
    }

    // Every task of an array runs once, with its index, its own output and a row that says
    // which array it belongs to (on Slurm, under the id Slurm gave the task).
    void everyArrayTaskRunsOnce() {
        const qint64 arrayId =
            submit(rawJob("#!/bin/sh\necho task $SLURM_ARRAY_TASK_ID\n", {{"array", "0-2"}}));
        QVERIFY(arrayId > 0);
        QMap<int, json> tasks;
        QVERIFY(QTest::qWaitFor(
            [&] {
                tasks.clear();
                const auto list = server.get(QStringLiteral("/v1/clusters/%1/jobs").arg(cluster));
                for (const auto &j : list.json["jobs"]) {
                    if (j["array_job_id"] == arrayId && j["array_task_id"].is_number() &&
                        j.value("state", "") == "COMPLETED")
                        tasks[j["array_task_id"].get<int>()] = j;
                }
                return tasks.size() == 3;
            },
            60000));
        for (auto it = tasks.cbegin(); it != tasks.cend(); ++it)
            QCOMPARE(output(it->value("job_id", qint64(0))),
                     QStringLiteral("task %1\n").arg(it.key()).toUtf8());
    }

    void rawSubmitMovesThroughStates() {
        const qint64 id = submit(rawJob("#!/bin/bash\necho start\nsleep 1\necho end\n"));
        QVERIFY(id > 0);
        const json running = server.waitForJob(cluster, id, inState("RUNNING"));
        QVERIFY(!running.value("nodes", "").empty());
        QVERIFY(!running["start_time"].is_null());
        const json done = server.waitForJob(cluster, id, inState("COMPLETED"));
        QCOMPARE(done["exit_code"].get<int>(), 0);
        QVERIFY(!done["end_time"].is_null());
        QCOMPARE(output(id), QByteArray("start\nend\n"));
        // Slurm may show COMPLETING for a moment between the two (a poll that lands there, as
        // against a slower server); it is a real state, not a wrong order.
        const QStringList all = transitions(id);
        QStringList seen = all;
        seen.removeAll(QStringLiteral("COMPLETING"));
        QVERIFY2(seen == (QStringList{QStringLiteral("RUNNING"), QStringLiteral("COMPLETED")}),
                 qPrintable(all.join(QStringLiteral(" → "))));
        QCOMPARE(server.get(TestServer::jobPath(cluster, id)).json.contains("slurm_job_id"), slurm);
    }

    void templateSubmit() {
        const auto r = server.post(QStringLiteral("/v1/clusters/%1/jobs/submit").arg(cluster),
                                   {{"template_id", "hello-world"},
                                    {"params", {{"greeting", "hi there"}, {"sleep_seconds", 0}}}});
        QCOMPARE(r.status, 201);
        const qint64 id = r.json["job_id"].get<qint64>();
        server.waitForJob(cluster, id, inState("COMPLETED"));
        const QByteArray out = output(id);
        QVERIFY2(out.startsWith("hi there\njob "), out.constData());
        QVERIFY2(out.endsWith("done\n"), out.constData());
    }

    // Lines arrive while the job runs, not all at its end.
    void outputStreamsLive() {
        const qint64 id = submit(
            rawJob("#!/bin/bash\nfor i in $(seq 1 8); do echo \"line $i é\"; sleep 0.25; done\n"));
        QVERIFY(id > 0);
        QElapsedTimer t;
        t.start();
        qint64 firstLogAt = -1;
        const auto events =
            server.readSse(TestServer::jobPath(cluster, id) + QStringLiteral("/output/stream"), {},
                           [&](const auto &evs) {
                               for (const auto &e : evs) {
                                   if (firstLogAt < 0 && e.type == QLatin1String("log"))
                                       firstLogAt = t.elapsed();
                               }
                               return hasEnd(evs);
                           });
        QVERIFY(hasEnd(events));
        QString expected;
        for (int i = 1; i <= 8; ++i)
            expected += QStringLiteral("line %1 é\n").arg(i);
        QCOMPARE(logText(events), expected);
        QVERIFY2(t.elapsed() - firstLogAt >= 1000, "the first line came only at the end");
        QVERIFY(events.size() >= 4); // several chunks, not one at the end
        const json end = json::parse(events.last().data.toStdString());
        QCOMPARE(end["state"].get<std::string>(), std::string("COMPLETED"));
        QCOMPARE(end.value("exit_code", -1), 0);
    }

    void cancelRunningJob() {
        const qint64 id = submit(rawJob("#!/bin/bash\ntrap 'echo got TERM; exit 143' TERM\necho "
                                        "started\nwhile true; do sleep 0.1; done\n"));
        server.waitForJob(cluster, id, inState("RUNNING"));
        QTest::qWait(500);
        auto r = server.request("DELETE", TestServer::jobPath(cluster, id));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json["cancelled"].get<bool>(), true);
        server.waitForJob(cluster, id, inState("CANCELLED"));
        const QByteArray out = output(id);
        QVERIFY2(out.contains("got TERM"), out.constData()); // SIGTERM first, not SIGKILL
        r = server.request("DELETE", TestServer::jobPath(cluster, id));
        QCOMPARE(r.json["cancelled"].get<bool>(), false); // finished: a clear no-op
    }

    // A job waiting for CPUs another job holds is PENDING, and cancelling it never starts it.
    void cancelPendingJob() {
        const json whole{{"tasks", 1}, {"cpus_per_task", 2}};
        const qint64 blocker = submit(rawJob("#!/bin/bash\nsleep 30\n", whole));
        server.waitForJob(cluster, blocker, inState("RUNNING"));
        const qint64 id = submit(rawJob("#!/bin/bash\necho never\n", whole));
        QVERIFY(id > 0);
        const json pending = server.waitForJob(cluster, id, [](const json &j) {
            return j.value("state", "") == "PENDING" && j.value("state_reason", "") != "None";
        });
        QCOMPARE(pending["state_reason"].get<std::string>(), std::string("Resources"));
        QCOMPARE(server.request("DELETE", TestServer::jobPath(cluster, id)).status, 200);
        const json done = server.waitForJob(cluster, id, inState("CANCELLED"));
        QVERIFY(done["start_time"].is_null());
        QCOMPARE(server.request("DELETE", TestServer::jobPath(cluster, blocker)).status, 200);
        server.waitForJob(cluster, blocker, inState("CANCELLED"));
    }

    // Strict priority on the local executor: the first job that does not fit waits for
    // Resources and every job behind it for Priority, however it got there (a submit behind a
    // blocked head is not weighed again); a job of higher priority goes in front, and the
    // queue runs in that order once the CPUs are free.
    void theQueueWaitsInPriorityOrder() {
        if (slurm)
            QSKIP("Slurm orders its own queue");
        const auto job = [](int priority) {
            return rawJob("#!/bin/bash\ntrue\n",
                          {{"tasks", 1}, {"cpus_per_task", 2}, {"priority", priority}});
        };
        const auto waiting = [&](qint64 id, const char *reason) {
            return server.waitForJob(cluster, id, [reason](const json &j) {
                return j.value("state", "") == "PENDING" && j.value("state_reason", "") == reason;
            });
        };
        const qint64 blocker =
            submit(rawJob("#!/bin/bash\nsleep 30\n", {{"tasks", 1}, {"cpus_per_task", 2}}));
        server.waitForJob(cluster, blocker, inState("RUNNING"));
        const qint64 head = submit(job(5));
        waiting(head, "Resources");
        QList<qint64> behind;
        for (int i = 0; i < 3; ++i) {
            behind << submit(job(5));
            waiting(behind.last(), "Priority");
        }
        const qint64 urgent = submit(job(50));
        waiting(urgent, "Resources");
        waiting(head, "Priority");
        QCOMPARE(server.request("DELETE", TestServer::jobPath(cluster, blocker)).status, 200);
        QStringList starts;
        for (qint64 id : QList<qint64>{urgent, head, behind[0], behind[1], behind[2]})
            starts << QString::fromStdString(
                server.waitForJob(cluster, id, inState("COMPLETED"))["start_time"]
                    .get<std::string>());
        QStringList sorted = starts;
        sorted.sort();
        QCOMPARE(starts, sorted);
    }

    void badPartitionIsAValidationError() {
        const auto r = server.post(QStringLiteral("/v1/clusters/%1/jobs/submit").arg(cluster),
                                   rawJob("#!/bin/sh\necho hi\n", {{"partition", "nope"}}));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json["error"]["type"].get<std::string>(), std::string("ValidationError"));
        QCOMPARE(r.json["error"]["field"].get<std::string>(), std::string("job.partition"));
        QVERIFY(r.json["error"]["message"].get<std::string>().find("partition") !=
                std::string::npos);
    }

    void nodesAndPartitions() {
        const auto nodes = server.get(QStringLiteral("/v1/clusters/%1/nodes").arg(cluster));
        QCOMPARE(nodes.status, 200);
        QVERIFY(!nodes.json["nodes"].empty());
        const QStringList known{QStringLiteral("IDLE"), QStringLiteral("ALLOCATED"),
                                QStringLiteral("MIXED"), QStringLiteral("DOWN"),
                                QStringLiteral("UNKNOWN")};
        for (const auto &n : nodes.json["nodes"]) {
            QVERIFY(known.contains(QString::fromStdString(n["state"].get<std::string>())));
            QVERIFY(n["cpus"].get<int>() > 0);
            QVERIFY(n["memory_mb"].get<qint64>() > 0);
        }
        const auto c = server.get(QStringLiteral("/v1/clusters/%1").arg(cluster));
        QCOMPARE(c.json["state"].get<std::string>(), std::string("ready"));
        QCOMPARE(c.json["connection_state"].get<std::string>(), std::string("connected"));
        const auto &partitions = c.json["partitions"];
        QVERIFY(!partitions.empty());
        int defaults = 0;
        for (const auto &p : partitions) {
            defaults += p.value("is_default", false) ? 1 : 0;
            QCOMPARE(p["state"].get<std::string>(), std::string("UP"));
            QVERIFY(p["total_cpus"].get<int>() > 0);
        }
        QCOMPARE(defaults, 1);
        if (slurm) { // read from slurm.conf: debug (default, 30 min) and long (unlimited)
            QCOMPARE(c.json["default_partition"].get<std::string>(), std::string("debug"));
            QCOMPARE(partitions[0]["max_time"].get<int>(), 30);
            QVERIFY(partitions[1]["max_time"].is_null());
        }
    }

    // The stream of a job from its first byte until its end, with the raw events.
    QList<clusterra::SseEvent> streamToEnd(qint64 id, const QByteArray &from = {}) {
        return server.readSse(TestServer::jobPath(cluster, id) + QStringLiteral("/output/stream"),
                              from, [](const auto &evs) { return hasEnd(evs); });
    }
    static QString scratchFile(const char *what) {
        return QStringLiteral("/tmp/clusterra-%1-%2.log")
            .arg(QLatin1String(what), QUuid::createUuid().toString(QUuid::Id128));
    }

    // A fixed output name reused by the next run: the second run's log is the second run's,
    // before it starts, while it runs and after (Slurm truncates at start; so does the local
    // executor, and neither shows the first run's bytes meanwhile).
    void aSecondRunShowsOnlyItsOwnOutput() {
        const QString path = scratchFile("rerun");
        const json out{{"standard_output", path.toStdString()}};
        const qint64 first = submit(rawJob("#!/bin/bash\necho first run\n", out));
        QCOMPARE(server.waitForJob(cluster, first, inState("COMPLETED")).value("state", ""),
                 std::string("COMPLETED"));
        QCOMPARE(output(first), QByteArray("first run\n"));

        const qint64 second = submit(rawJob("#!/bin/bash\nsleep 1\necho second run\n", out));
        QVERIFY(second > 0);
        QVERIFY2(!output(second).contains("first"), output(second).constData());
        const auto events = streamToEnd(second);
        QVERIFY(hasEnd(events));
        QCOMPARE(logText(events), QStringLiteral("second run\n"));
        QCOMPARE(output(second), QByteArray("second run\n"));
        const auto tail = server.get(TestServer::jobPath(cluster, second) +
                                     QStringLiteral("/output?tail_lines=5"));
        QCOMPARE(tail.body, QByteArray("second run\n"));

        // open_mode APPEND keeps what is there; this job's log is still only its own bytes.
        const qint64 third = submit(
            rawJob("#!/bin/bash\necho third run\n", {{"standard_output", path.toStdString()},
                                                     {"open_mode", json::array({"APPEND"})}}));
        server.waitForJob(cluster, third, inState("COMPLETED"));
        QCOMPARE(output(third), QByteArray("third run\n"));
        QCOMPARE(logText(streamToEnd(third)), QStringLiteral("third run\n"));
        // A resume offset past the end starts again at the job's first byte, never before it,
        // and leaves the job's start where it was.
        QCOMPARE(logText(streamToEnd(third, "999999")), QStringLiteral("third run\n"));
        QCOMPARE(output(third), QByteArray("third run\n"));
        // The copy in the bucket, too, is this job's bytes and no earlier run's.
        const QString published = QStringLiteral("outputs/admin@localhost/%1/%2")
                                      .arg(third)
                                      .arg(QFileInfo(path).fileName());
        TestServer::Raw copy;
        QVERIFY(QTest::qWaitFor(
            [&] {
                copy = server.raw(
                    "GET", TestServer::presignedUrl(server.presign(cluster, published, "GET")));
                return copy.status == 200;
            },
            10000));
        QCOMPARE(copy.body, QByteArray("third run\n"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("second run\nthird run\n"));
        QFile::remove(path);
    }

    // Progress bars and CRLF arrive byte for byte, and ids still count bytes.
    void carriageReturnsSurviveTheStream() {
        const QByteArray bytes = "10%\r20%\r30%\nwin\r\nend";
        const qint64 id =
            submit(rawJob("#!/bin/bash\nprintf '10%%\\r20%%\\r30%%\\nwin\\r\\nend'\n"));
        server.waitForJob(cluster, id, inState("COMPLETED"));
        QCOMPARE(output(id), bytes);
        const auto events = streamToEnd(id);
        QCOMPARE(logText(events).toUtf8(), bytes);
        qint64 sent = 0;
        for (const auto &e : events) {
            if (const auto text = clusterra::logEventText(e)) {
                sent += text->toUtf8().size();
                QCOMPARE(e.lastEventId.toLongLong(), sent);
            }
        }
        QCOMPARE(sent, qint64(bytes.size()));
        // Resuming after the second CR gives exactly the rest.
        QCOMPARE(logText(streamToEnd(id, "8")).toUtf8(), bytes.mid(8));
    }

    // A log truncated or replaced while it is tailed: the stream says so and goes on.
    void truncationAndReplacementAreAnnounced() {
        const QString path = scratchFile("rotate");
        const std::string p = path.toStdString();
        const qint64 id = submit(rawJob(
            "#!/bin/bash\nfor i in $(seq 1 20); do echo \"before truncation $i\"; done\nsleep 1.5\n"
            "truncate -s 0 " +
                p +
                "\nsleep 0.5\necho after truncation\nsleep 1.5\n"
                "echo replacement > " +
                p + ".new\nmv " + p + ".new " + p + "\nsleep 1.5\n",
            {{"standard_output", p}}));
        QVERIFY(id > 0);
        const auto events = streamToEnd(id);
        QVERIFY(hasEnd(events));
        QStringList resets;
        for (const auto &e : events)
            if (e.type == QLatin1String(clusterra::kResetEvent))
                resets << QString::fromStdString(json::parse(e.data.toStdString())["reason"]);
        QCOMPARE(resets, (QStringList{QStringLiteral("truncated"), QStringLiteral("replaced")}));
        QCOMPARE(logText(events), QStringLiteral("replacement\n"));
        QCOMPARE(output(id), QByteArray("replacement\n"));
        QFile::remove(path);
    }

    void jobSurvivesServerRestart() {
        const qint64 id =
            submit(rawJob("#!/bin/bash\nfor i in $(seq 1 10); do echo tick $i; sleep 0.3; done\n"));
        server.waitForJob(cluster, id, inState("RUNNING"));
        server.stop();
        QTest::qWait(500);
        QVERIFY(server.start());
        server.waitForJob(cluster, id, inState("COMPLETED"));
        const QByteArray out = output(id);
        QVERIFY2(out.startsWith("tick 1\n") && out.endsWith("tick 10\n"), out.constData());
    }
};

QTEST_GUILESS_MAIN(TestSchedulerBehaviour)
#include "tst_scheduler_behaviour.moc"
