#include "core/slurm/OutputPattern.h"
#include "core/slurm/SlurmDialect.h"

#include <QTest>

using nlohmann::json;
using namespace clusterra;

class TestSlurmDialect : public QObject {
    Q_OBJECT

    static json canonicalJob() {
        return {{"script", "#!/bin/bash\necho hi\n"},
                {"name", "x"},
                {"current_working_directory", "/tmp"},
                {"environment", {"PATH=/bin", "EQ=a=b"}},
                {"time_limit", {{"set", true}, {"infinite", false}, {"number", 30}}},
                {"memory_per_cpu", {{"set", false}}},
                {"memory_per_node", 2048},
                {"required_nodes", {"n1", "n2"}},
                {"excluded_nodes", {"n3"}},
                {"tres_per_node", "gres/gpu:a100:2"},
                {"tres_per_job", "gres/gpu:4"},
                {"shared", {"none"}},
                {"mail_type", {"END", "FAIL"}},
                {"open_mode", {"APPEND"}},
                {"requeue", false},
                {"kill_warning_signal", "USR1"},
                {"kill_warning_delay", {{"set", true}, {"number", 90}}}};
    }

private Q_SLOTS:
    void versions() {
        QVERIFY(SlurmDialect::forVersion(QStringLiteral("v0.0.38")));
        QVERIFY(SlurmDialect::forVersion(QStringLiteral("v0.0.44")));
        QVERIFY(!SlurmDialect::forVersion(QStringLiteral("v0.0.39")));
        QCOMPARE(SlurmDialect::knownVersions().first(), QStringLiteral("v0.0.44"));
        QCOMPARE(SlurmDialect::forVersion(QStringLiteral("v0.0.42"))->path(QStringLiteral("/jobs")),
                 QStringLiteral("/slurm/v0.0.42/jobs"));
    }

    // The table of reference/slurmrestd-notes.md, section 3.
    void translatesForV0038() {
        const auto d = SlurmDialect::forVersion(QStringLiteral("v0.0.38"));
        const SlurmSubmitBody out = d->submitBody(canonicalJob());
        QVERIFY(out.errors.isEmpty());
        const json &job = out.body["job"];
        QCOMPARE(out.body["script"].get<std::string>(), std::string("#!/bin/bash\necho hi\n"));
        QVERIFY(!job.contains("script"));
        QVERIFY(job["environment"] == json({{"PATH", "/bin"}, {"EQ", "a=b"}}));
        QCOMPARE(job["time_limit"].get<int>(), 30);
        QVERIFY(!job.contains("memory_per_cpu")); // set:false means "not set"
        QCOMPARE(job["memory_per_node"].get<int>(), 2048);
        QCOMPARE(job["nodelist"].get<std::string>(), std::string("n1,n2"));
        QCOMPARE(job["exclude_nodes"].get<std::string>(), std::string("n3"));
        QCOMPARE(job["gres"].get<std::string>(), std::string("gpu:a100:2"));
        QCOMPARE(job["gpus"].get<std::string>(), std::string("4"));
        QCOMPARE(job["exclusive"].get<std::string>(), std::string("exclusive"));
        QCOMPARE(job["mail_type"].get<std::string>(), std::string("END,FAIL"));
        QCOMPARE(job["open_mode"].get<std::string>(), std::string("append"));
        QCOMPARE(job["no_requeue"].get<bool>(), true);
        QVERIFY(!job.contains("requeue"));
        QCOMPARE(job["signal"].get<std::string>(), std::string("USR1@90"));
        QCOMPARE(job["name"].get<std::string>(), std::string("x"));
    }

    void unlimitedTimeAndRefusedKeysForV0038() {
        const auto d = SlurmDialect::forVersion(QStringLiteral("v0.0.38"));
        json job = canonicalJob();
        job["time_limit"] = {{"infinite", true}};
        job["flags"] = {"SPREAD_JOB"};
        job["segment_size"] = {{"set", true}, {"number", 2}};
        const SlurmSubmitBody out = d->submitBody(job);
        QCOMPARE(out.body["job"]["time_limit"].get<std::string>(), std::string("UNLIMITED"));
        QCOMPARE(out.errors.size(), 2);
        QCOMPARE(out.errors[0].field, QStringLiteral("job.flags"));
        QCOMPARE(out.errors[1].field, QStringLiteral("job.segment_size"));
    }

    void newerVersionsTakeTheJobAsItIs() {
        const auto d = SlurmDialect::forVersion(QStringLiteral("v0.0.44"));
        const SlurmSubmitBody out = d->submitBody(canonicalJob());
        QVERIFY(out.errors.isEmpty());
        QVERIFY(out.body == json({{"job", canonicalJob()}}));
    }

    // v0.0.38: job_state a string, exit_code a raw wait status, plain numbers.
    void readsV0038Jobs() {
        const json reply = json::parse(R"({"jobs": [
            {"job_id": 7, "name": "a", "user_name": "u", "partition": "debug", "nodes": "vm",
             "job_state": "FAILED", "state_reason": "NonZeroExitCode", "start_time": 100,
             "end_time": 160, "exit_code": 768, "comment": "clusterra:a@b", "time_limit": null},
            {"job_id": 8, "job_state": "CANCELLED", "exit_code": 15, "start_time": 0,
             "time_limit": 30},
            {"job_id": 9, "job_state": "PENDING", "start_time": 200, "exit_code": 0}]})");
        const auto jobs = SlurmDialect::jobs(reply);
        QCOMPARE(jobs.size(), 3);
        QCOMPARE(jobs[0].state, JobState::Failed);
        QCOMPARE(jobs[0].exitCode, std::optional<int>(3));
        QCOMPARE(jobs[0].startTime, std::optional<qint64>(100));
        QCOMPARE(jobs[0].comment, QStringLiteral("clusterra:a@b"));
        QVERIFY(!jobs[0].timeLimitMinutes);
        QCOMPARE(jobs[1].exitSignal, std::optional<int>(15));
        QCOMPARE(jobs[1].timeLimitMinutes, std::optional<qint64>(30));
        QVERIFY(!jobs[1].exitCode);
        QVERIFY(!jobs[1].startTime);
        QVERIFY(!jobs[2].exitCode); // a pending job has no exit code yet
    }

    // v0.0.40+: job_state a list, wrapped numbers, exit_code an object.
    void readsV0044Jobs() {
        const json reply = json::parse(R"({"jobs": [
            {"job_id": 12, "job_state": ["PENDING", "REQUEUED"], "state_reason": "Priority",
             "start_time": {"set": true, "infinite": false, "number": 0}},
            {"job_id": 13, "job_state": ["COMPLETED"],
             "start_time": {"set": true, "number": 50}, "end_time": {"set": true, "number": 70},
             "exit_code": {"status": ["SUCCESS"], "return_code": {"set": true, "number": 0},
                           "signal": {"id": {"set": false, "number": 0}, "name": ""}}},
            {"job_id": 14, "job_state": ["CANCELLED"],
             "exit_code": {"status": ["SIGNALED"], "return_code": {"set": true, "number": 0},
                           "signal": {"id": {"set": true, "number": 9}, "name": "KILL"}}}]})");
        const auto jobs = SlurmDialect::jobs(reply);
        QCOMPARE(jobs[0].state, JobState::Pending);
        QVERIFY(!jobs[0].startTime);
        QCOMPARE(jobs[1].state, JobState::Completed);
        QCOMPARE(jobs[1].exitCode, std::optional<int>(0));
        QCOMPARE(jobs[1].endTime, std::optional<qint64>(70));
        QCOMPARE(jobs[2].exitSignal, std::optional<int>(9));
    }

    // Arrays in both shapes: the array's own record with its pending rest, a task split off
    // under its own id, and "not an array" (0, unset) on ordinary jobs.
    void readsArrays() {
        const json v38 = json::parse(R"({"jobs": [
            {"job_id": 1, "array_job_id": 1, "array_task_id": null, "array_task_string": "3-6%2",
             "job_state": "PENDING"},
            {"job_id": 2, "array_job_id": 1, "array_task_id": 1, "array_task_string": "",
             "job_state": "RUNNING"},
            {"job_id": 5, "array_job_id": 0, "array_task_id": 4294967294, "job_state": "RUNNING"}
            ]})");
        const auto a = SlurmDialect::jobs(v38);
        QCOMPARE(a[0].arrayJobId, std::optional<qint64>(1));
        QVERIFY(!a[0].arrayTaskId);
        QCOMPARE(a[0].arrayTaskString, QStringLiteral("3-6%2"));
        QCOMPARE(a[1].arrayJobId, std::optional<qint64>(1));
        QCOMPARE(a[1].arrayTaskId, std::optional<int>(1));
        QVERIFY(!a[2].arrayJobId);
        QVERIFY(!a[2].arrayTaskId);
        const json v44 = json::parse(R"({"jobs": [
            {"job_id": 40, "array_job_id": {"set": true, "number": 40},
             "array_task_id": {"set": false, "number": 0}, "array_task_string": "0-9",
             "job_state": ["PENDING"]},
            {"job_id": 41, "array_job_id": {"set": true, "number": 40},
             "array_task_id": {"set": true, "number": 0}, "job_state": ["RUNNING"]},
            {"job_id": 42, "array_job_id": {"set": true, "number": 0},
             "array_task_id": {"set": false}, "job_state": ["RUNNING"]}]})");
        const auto b = SlurmDialect::jobs(v44);
        QCOMPARE(b[0].arrayJobId, std::optional<qint64>(40));
        QVERIFY(!b[0].arrayTaskId);
        QCOMPARE(b[0].arrayTaskString, QStringLiteral("0-9"));
        QCOMPARE(b[1].arrayTaskId, std::optional<int>(0)); // task 0 is a task
        QVERIFY(!b[2].arrayJobId);
    }

    void nodeStates_data() {
        QTest::addColumn<QString>("reply");
        QTest::addColumn<QString>("state");
        QTest::newRow("v38 idle") << R"({"state": "idle", "state_flags": []})"
                                  << "IDLE";
        QTest::newRow("v38 mixed") << R"({"state": "mixed"})"
                                   << "MIXED";
        QTest::newRow("v38 drained") << R"({"state": "idle", "state_flags": ["DRAIN"]})"
                                     << "DOWN";
        QTest::newRow("v44 allocated") << R"({"state": ["ALLOCATED"]})"
                                       << "ALLOCATED";
        QTest::newRow("v44 down") << R"({"state": ["DOWN", "NOT_RESPONDING"]})"
                                  << "DOWN";
        QTest::newRow("odd") << R"({"state": ["REBOOT_ISSUED"]})"
                             << "UNKNOWN";
    }
    void nodeStates() {
        QFETCH(QString, reply);
        QFETCH(QString, state);
        json node = json::parse(reply.toStdString());
        node["name"] = "n";
        const auto nodes = SlurmDialect::nodes({{"nodes", {node}}});
        QCOMPARE(nodes.first().state, state);
    }

    void nodeSizesAndGpus() {
        const json reply = json::parse(R"({"nodes": [{"name": "g1", "state": ["MIXED"],
            "cpus": 64, "alloc_cpus": 8, "real_memory": 512000, "alloc_memory": 4096,
            "gres": "gpu:a100:4(S:0-1),mps:400", "gres_used": "gpu:a100:3(IDX:0-2),mps:0",
            "partitions": ["gpu", "all"]}]})");
        const auto n = SlurmDialect::nodes(reply).first();
        QCOMPARE(n.allocGpus, 3);
        QCOMPARE(n.partitions, QStringList({QStringLiteral("gpu"), QStringLiteral("all")}));
        QCOMPARE(n.cpus, 64);
        QCOMPARE(n.allocCpus, 8);
        QCOMPARE(n.memoryMb, qint64(512000));
        QCOMPARE(n.gpus, 4);
        QCOMPARE(gpusInGres(QStringLiteral("gpu:2,gpu:v100:1")), 3);
        QCOMPARE(gpusInGres(QString()), 0);
        // Absurd counts from a reply saturate instead of overflowing (found by fuzz_slurm_reply).
        QCOMPARE(gpusInGres(QStringLiteral("gpu:2000000000,gpu:2000000000")), 1 << 20);
        QCOMPARE(gpusInGres(QStringLiteral("gpu:-4,gpu:1")), 1);
        // A negative wrapped time limit is no limit at all, not minus five minutes.
        const auto jobs = SlurmDialect::jobs(nlohmann::json::parse(
            R"({"jobs":[{"job_id":7,"job_state":"RUNNING","time_limit":{"set":true,"number":-5}}]})"));
        QCOMPARE(jobs.size(), 1);
        QVERIFY(!jobs[0].timeLimitMinutes);
    }

    void partitionsOfBothShapes() {
        const auto v38 = SlurmDialect::partitions(json::parse(R"({"partitions": [
            {"name": "a", "flags": [], "state": "UP", "total_nodes": 2, "total_cpus": 8,
             "max_time_limit": -1},
            {"name": "b", "flags": ["default"], "state": "UP", "max_time_limit": 30,
             "default_time_limit": 10}]})"));
        QVERIFY(!v38[0].isDefault);
        QVERIFY(!v38[0].maxTimeMinutes);
        QVERIFY(v38[1].isDefault);
        QCOMPARE(v38[1].maxTimeMinutes, std::optional<qint64>(30));
        QCOMPARE(v38[1].defaultTimeMinutes, std::optional<qint64>(10));
        const auto v44 = SlurmDialect::partitions(json::parse(R"({"partitions": [
            {"name": "gpu", "nodes": {"total": 4, "configured": "g[1-4]"}, "cpus": {"total": 256},
             "maximums": {"time": {"set": true, "infinite": true, "number": 0}},
             "defaults": {"time": {"set": true, "infinite": false, "number": 60}},
             "partition": {"state": ["UP"]}}]})"));
        QCOMPARE(v44[0].defaultTimeMinutes, std::optional<qint64>(60));
        QCOMPARE(v44[0].totalNodes, 4);
        QCOMPARE(v44[0].totalCpus, 256);
        QVERIFY(!v44[0].maxTimeMinutes);
        QVERIFY(v44[0].isDefault); // the only one, and no flag says otherwise
    }

    void errorsOfBothShapes() {
        const json reply = json::parse(R"({"errors": [
            {"error_code": 2000, "error": "Invalid partition name specified"},
            {"description": "Unable to find JobId=9", "error_number": 2017,
             "error": "Invalid job id specified", "source": "slurm_load_job"}]})");
        QCOMPARE(SlurmDialect::errors(reply),
                 (QStringList{QStringLiteral("Invalid partition name specified"),
                              QStringLiteral("Unable to find JobId=9")}));
        QVERIFY(SlurmDialect::isUnknownJob(reply));
        QVERIFY(!SlurmDialect::isUnknownJob(json::object()));
        QCOMPARE(SlurmDialect::submittedJobId(json::parse(R"({"job_id": 42})")),
                 std::optional<qint64>(42));
        QVERIFY(!SlurmDialect::submittedJobId(json::object()));
    }

    void outputPatterns() {
        const OutputPatternValues v{12, QStringLiteral("sim"), QStringLiteral("ann"), 10,
                                    2,  QStringLiteral("n1")};
        QCOMPARE(expandOutputPattern(QStringLiteral("%x-%j-%u-%A_%a-%N-%%-%q"), v),
                 QStringLiteral("sim-12-ann-10_2-n1-%-%q"));
        QCOMPARE(defaultOutputPattern(false), QStringLiteral("slurm-%j.out"));
    }
};

QTEST_GUILESS_MAIN(TestSlurmDialect)
#include "tst_slurmdialect.moc"
