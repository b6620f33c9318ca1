#include "tests/server/TestServer.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using nlohmann::json;

using namespace testjobs;

class TestJobsApi : public QObject {
    Q_OBJECT
    TestServer server{{QStringLiteral("--local-cpus"), QStringLiteral("2"),
                       QStringLiteral("--kill-grace-ms"), QStringLiteral("1000")}};
    QString cluster;

    qint64 submit(const json &body) { return server.submitJob(cluster, body); }

    QString state(qint64 id) {
        return QString::fromStdString(
            server.get(TestServer::jobPath(cluster, id)).json.value("state", ""));
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(server.start());
        cluster = server.readyCluster(QStringLiteral("jobs"));
    }

    // Reconnecting with a Last-Event-ID from the middle yields exactly the rest: no byte lost or
    // repeated.
    void resumeFromLastEventId() {
        const qint64 id =
            submit(rawJob("#!/bin/bash\nfor i in $(seq 1 40); do echo \"row $i\"; done\n"));
        server.waitForJob(cluster, id,
                          [](const json &j) { return j.value("state", "") == "COMPLETED"; });
        const QString path = TestServer::jobPath(cluster, id) + QStringLiteral("/output/stream");
        const auto whole = server.readSse(path, {}, hasEnd);
        QVERIFY(hasEnd(whole));
        QFile out(QString::fromStdString(server.get(TestServer::jobPath(cluster, id))
                                             .json["standard_output"]
                                             .get<std::string>()));
        QVERIFY(out.open(QIODevice::ReadOnly));
        const QByteArray file = out.readAll();
        QCOMPARE(logText(whole).toUtf8(), file);
        // Resume from an offset in the middle of the file, at a line end.
        const qint64 middle = file.indexOf("row 21\n");
        QVERIFY(middle > 0);
        const auto rest = server.readSse(path, QByteArray::number(middle), hasEnd);
        QCOMPARE(logText(rest).toUtf8(), file.mid(middle));
        QCOMPARE(rest.last().lastEventId.toLongLong(), qint64(file.size()));
        // The snapshot endpoint agrees, with the size in a header.
        const auto snap =
            server.get(TestServer::jobPath(cluster, id) + QStringLiteral("/output?tail_lines=2"));
        QCOMPARE(snap.body, QByteArray("row 39\nrow 40\n"));
        QCOMPARE(snap.headers.value("x-output-size").toLongLong(), qint64(file.size()));
    }

    void cancelRunningJob() {
        const qint64 id = submit(rawJob("#!/bin/bash\ntrap 'echo got TERM; exit 143' TERM\necho "
                                        "started\nwhile true; do sleep 0.1; done\n"));
        server.waitForJob(cluster, id,
                          [](const json &j) { return j.value("state", "") == "RUNNING"; });
        QTest::qWait(300);
        auto r = server.request("DELETE", TestServer::jobPath(cluster, id));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json["cancelled"].get<bool>(), true);
        const json done = server.waitForJob(
            cluster, id, [](const json &j) { return j.value("state", "") == "CANCELLED"; });
        QCOMPARE(done["state"].get<std::string>(), std::string("CANCELLED"));
        const auto out = server.get(TestServer::jobPath(cluster, id) + QStringLiteral("/output"));
        QVERIFY2(out.body.contains("got TERM"), out.body.constData()); // SIGTERM first, not SIGKILL
        r = server.request("DELETE", TestServer::jobPath(cluster, id));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json["cancelled"].get<bool>(), false); // a finished job: a clear no-op
    }

    // Two jobs that need all CPUs run one after the other, the second waiting on Resources.
    void resourceQueueing() {
        const json big{{"cpus_per_task", 2}};
        const qint64 a = submit(rawJob("#!/bin/bash\nsleep 1.5\n", big));
        const qint64 b = submit(rawJob("#!/bin/bash\nsleep 0.2\n", big));
        server.waitForJob(cluster, a,
                          [](const json &j) { return j.value("state", "") == "RUNNING"; });
        const json waiting = server.get(TestServer::jobPath(cluster, b)).json;
        QCOMPARE(waiting["state"].get<std::string>(), std::string("PENDING"));
        QTRY_COMPARE_WITH_TIMEOUT(
            server.get(TestServer::jobPath(cluster, b)).json.value("state_reason", ""),
            std::string("Resources"), 5000);
        const json ja = server.waitForJob(
            cluster, a, [](const json &j) { return j.value("state", "") == "COMPLETED"; });
        const json jb = server.waitForJob(
            cluster, b, [](const json &j) { return j.value("state", "") == "COMPLETED"; });
        QVERIFY(jb["start_time"].get<std::string>() >= ja["end_time"].get<std::string>());
    }

    void tooBigIsRefusedAtSubmit() {
        const auto r = server.post(QStringLiteral("/v1/clusters/%1/jobs/submit").arg(cluster),
                                   rawJob("#!/bin/sh\n", {{"cpus_per_task", 64}}));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json["error"]["field"].get<std::string>(), std::string("job.cpus_per_task"));
        const auto p = server.post(QStringLiteral("/v1/clusters/%1/jobs/submit").arg(cluster),
                                   rawJob("#!/bin/sh\n", {{"partition", "gpu"}}));
        QCOMPARE(p.json["error"]["field"].get<std::string>(), std::string("job.partition"));
    }

    void pitfallsOverHttp_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field");
        QTest::newRow("no environment")
            << QByteArray(R"({"script":"@SH","job":{"current_working_directory":"/tmp"}})")
            << QStringLiteral("job.environment");
        QTest::newRow("environment object")
            << QByteArray(
                   R"({"script":"@SH","job":{"current_working_directory":"/tmp","environment":{"A":"1"}}})")
            << QStringLiteral("job.environment");
        QTest::newRow("nodes integer")
            << QByteArray(
                   R"({"script":"@SH","job":{"nodes":1,"current_working_directory":"/tmp","environment":["A=1"]}})")
            << QStringLiteral("job.nodes");
        QTest::newRow("no shebang")
            << QByteArray(
                   R"({"script":"echo","job":{"current_working_directory":"/tmp","environment":["A=1"]}})")
            << QStringLiteral("script");
        QTest::newRow("tasks wrapped")
            << QByteArray(
                   R"({"script":"@SH","job":{"tasks":{"set":true,"number":1},"current_working_directory":"/tmp","environment":["A=1"]}})")
            << QStringLiteral("job.tasks");
        QTest::newRow("gres")
            << QByteArray(
                   R"({"script":"@SH","job":{"gres":"gpu:1","current_working_directory":"/tmp","environment":["A=1"]}})")
            << QStringLiteral("job.gres");
    }

    void pitfallsOverHttp() {
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        // moc misreads a shebang inside raw string literals, so the rows say @SH instead.
        body.replace("@SH", "#!/bin/sh\\n");
        const auto r = server.post(QStringLiteral("/v1/clusters/%1/jobs/submit").arg(cluster),
                                   json::parse(body.toStdString()));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json["error"]["type"].get<std::string>(), std::string("ValidationError"));
        QCOMPARE(QString::fromStdString(r.json["error"]["field"].get<std::string>()), field);
    }

    void templateWithHostileParameters() {
        const std::string hostile =
            "$(touch /tmp/clusterra-pwned); `id` ' \" ; rm -rf /tmp/nothing";
        const auto r = server.post(QStringLiteral("/v1/clusters/%1/jobs/submit").arg(cluster),
                                   {{"template_id", "hello-world"},
                                    {"params", {{"greeting", hostile}, {"sleep_seconds", 0}}}});
        QCOMPARE(r.status, 201);
        const qint64 id = r.json["job_id"].get<qint64>();
        server.waitForJob(cluster, id,
                          [](const json &j) { return j.value("state", "") == "COMPLETED"; });
        const auto out = server.get(TestServer::jobPath(cluster, id) + QStringLiteral("/output"));
        QVERIFY2(out.body.startsWith(QByteArray(QByteArray::fromStdString(hostile) + "\n")),
                 out.body.constData());
        QVERIFY(!QFile::exists(QStringLiteral("/tmp/clusterra-pwned")));
        const auto bad = server.post(
            QStringLiteral("/v1/clusters/%1/jobs/submit").arg(cluster),
            {{"template_id", "hello-world"}, {"params", {{"sleep_seconds", "1; reboot"}}}});
        QCOMPARE(bad.status, 400);
        QCOMPARE(bad.json["error"]["field"].get<std::string>(),
                 std::string("params.sleep_seconds"));
        QCOMPARE(server.get(QStringLiteral("/v1/templates/gromacs-mdrun"))
                     .json["parameters"][0]["name"]
                     .get<std::string>(),
                 std::string("input_tpr"));
    }

    void incrementalListAndFilters() {
        auto all = server.get(QStringLiteral("/v1/clusters/%1/jobs").arg(cluster)).json;
        const std::string cursor = all["cursor"].get<std::string>();
        QVERIFY(all["total"].get<int>() >= 5);
        const qint64 id = submit(rawJob("#!/bin/sh\necho hi\n"));
        server.waitForJob(cluster, id,
                          [](const json &j) { return j.value("state", "") == "COMPLETED"; });
        const auto delta = server
                               .get(QStringLiteral("/v1/clusters/%1/jobs?updated_since=%2")
                                        .arg(cluster, QString::fromStdString(cursor)))
                               .json;
        QCOMPARE(delta["jobs"].size(), size_t(1)); // only the new job, in its latest state
        QCOMPARE(delta["jobs"][0]["job_id"].get<qint64>(), id);
        const auto failed =
            server.get(QStringLiteral("/v1/clusters/%1/jobs?state=FAILED").arg(cluster)).json;
        for (const auto &j : failed["jobs"])
            QVERIFY(j["state"] == "CANCELLED" || j["state"] == "FAILED" || j["state"] == "TIMEOUT");
        QVERIFY(failed["total"].get<int>() >= 1);
        QCOMPARE(server.get(QStringLiteral("/v1/clusters/%1/jobs?state=BOGUS").arg(cluster)).status,
                 400);
    }

    void eventsStreamResumes() {
        const QString path = QStringLiteral("/v1/clusters/%1/events/stream").arg(cluster);
        const auto first =
            server.readSse(path, {}, [](const auto &evs) { return evs.size() >= 3; });
        QVERIFY(first.size() >= 3);
        const auto rest = server.readSse(path, first[1].lastEventId.toUtf8(),
                                         [](const auto &evs) { return !evs.isEmpty(); });
        QCOMPARE(rest.first().lastEventId, first[2].lastEventId);
        const qint64 id = submit(rawJob("#!/bin/sh\n"));
        const auto live =
            server.readSse(path, first.last().lastEventId.toUtf8(), [id](const auto &evs) {
                for (const auto &e : evs)
                    if (e.type == QLatin1String("job.submitted") &&
                        e.data.contains(QStringLiteral("\"job_id\":%1").arg(id)))
                        return true;
                return false;
            });
        QVERIFY(!live.isEmpty());
    }

    // The job sees its environment as asked plus Slurm's variables; standard_output patterns
    // resolve inside its working directory and the output endpoints follow it there.
    void environmentAndStandardOutput() {
        QTemporaryDir work;
        const qint64 id =
            submit(rawJob("#!/bin/bash\necho \"$GREETING $SLURM_JOB_ID $SLURM_JOB_NAME "
                          "$SLURM_CPUS_PER_TASK $(pwd)\"\n",
                          {{"name", "envjob"},
                           {"current_working_directory", work.path().toStdString()},
                           {"environment", json::array({"PATH=/usr/bin:/bin", "GREETING=hi"})},
                           {"standard_output", "out-%j-%x.txt"}}));
        server.waitForJob(cluster, id,
                          [](const json &j) { return j.value("state", "") == "COMPLETED"; });
        const QString file = work.filePath(QStringLiteral("out-%1-envjob.txt").arg(id));
        QVERIFY2(QFile::exists(file), qPrintable(file));
        const QByteArray expected =
            QStringLiteral("hi %1 envjob 1 %2\n").arg(id).arg(work.path()).toUtf8();
        QCOMPARE(server.get(TestServer::jobPath(cluster, id) + QStringLiteral("/output")).body,
                 expected);
    }

    void missingWorkingDirectoryFallsBackLikeSlurm() {
        const qint64 id = submit(rawJob(
            "#!/bin/sh\necho ran\n", {{"current_working_directory", "/mnt/efs-does-not-exist"}}));
        server.waitForJob(cluster, id,
                          [](const json &j) { return j.value("state", "") == "COMPLETED"; });
        const QByteArray out =
            server.get(TestServer::jobPath(cluster, id) + QStringLiteral("/output")).body;
        QVERIFY2(out.contains("couldn't chdir to '/mnt/efs-does-not-exist'") &&
                     out.endsWith("ran\n"),
                 out.constData());
    }

    void arrayJobFromTemplate() {
        const auto r = server.post(QStringLiteral("/v1/clusters/%1/jobs/submit").arg(cluster),
                                   {{"template_id", "array-job"},
                                    {"params", {{"indexes", "0-2"}, {"command", "echo item"}}}});
        QCOMPARE(r.status, 201);
        const auto ids = r.json["array_job_ids"];
        QCOMPARE(ids.size(), size_t(3));
        for (size_t i = 0; i < ids.size(); ++i) {
            const qint64 id = ids[i].get<qint64>();
            const json j = server.waitForJob(
                cluster, id, [](const json &x) { return x.value("state", "") == "COMPLETED"; });
            QCOMPARE(j["array_job_id"].get<qint64>(), ids[0].get<qint64>());
            QCOMPARE(j["array_task_id"].get<int>(), int(i));
            const QByteArray out =
                server.get(TestServer::jobPath(cluster, id) + QStringLiteral("/output")).body;
            QVERIFY2(out.endsWith(QStringLiteral("item %1\n").arg(i).toUtf8()), out.constData());
        }
    }

    void failedJobReportsExitCode() {
        const qint64 id = submit(rawJob("#!/bin/sh\necho oops >&2\nexit 3\n"));
        const json j = server.waitForJob(
            cluster, id, [](const json &x) { return x.value("state", "") == "FAILED"; });
        QCOMPARE(j["exit_code"].get<int>(), 3);
        QCOMPARE(j["state_reason"].get<std::string>(), std::string("NonZeroExitCode"));
    }

    // The time limit is enforced: a 1-minute job that sleeps longer ends TIMEOUT.
    void timeLimit() {
        const qint64 id = submit(rawJob("#!/bin/bash\necho start\nsleep 600\n",
                                        {{"time_limit", {{"set", true}, {"number", 1}}}}));
        const json done = server.waitForJob(
            cluster, id, [](const json &j) { return j.value("state", "") == "TIMEOUT"; }, 90000);
        QCOMPARE(done["state"].get<std::string>(), std::string("TIMEOUT"));
    }

    // Jobs keep running across a server restart and are picked up again.
    void survivesRestart() {
        const qint64 id =
            submit(rawJob("#!/bin/bash\nfor i in $(seq 1 10); do echo tick $i; sleep 0.3; done\n"));
        server.waitForJob(cluster, id,
                          [](const json &j) { return j.value("state", "") == "RUNNING"; });
        server.stop();
        QTest::qWait(500);
        QVERIFY(server.start());
        const json done = server.waitForJob(
            cluster, id, [](const json &j) { return j.value("state", "") == "COMPLETED"; });
        QCOMPARE(done["state"].get<std::string>(), std::string("COMPLETED"));
        const auto out = server.get(TestServer::jobPath(cluster, id) + QStringLiteral("/output"));
        QVERIFY2(out.body.endsWith("tick 10\n") && out.body.startsWith("tick 1\n"),
                 out.body.constData());
    }
};

QTEST_GUILESS_MAIN(TestJobsApi)
#include "tst_jobs_api.moc"
