#include "core/slurm/JobSubmit.h"

#include <QTest>

using namespace clusterra;
using nlohmann::json;

namespace {
json goodBody() {
    return {{"script", "#!/bin/bash\necho hi\n"},
            {"job",
             {{"name", "hello"},
              {"nodes", "1"},
              {"current_working_directory", "/tmp"},
              {"environment", json::array({"PATH=/usr/bin:/bin"})}}}};
}

json withJob(const json &patch) {
    json body = goodBody();
    for (auto it = patch.begin(); it != patch.end(); ++it) {
        if (it->is_null())
            body["job"].erase(it.key());
        else
            body["job"][it.key()] = *it;
    }
    return body;
}
} // namespace

class TestJobSubmit : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Each known v0.0.44 pitfall gets a clear error on the right field.
    void pitfalls_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("messagePart");
        auto row = [](const char *name, const json &body, const char *field, const char *part) {
            QTest::newRow(name) << QByteArray::fromStdString(body.dump())
                                << QString::fromLatin1(field) << QString::fromUtf8(part);
        };
        json noScript = goodBody();
        noScript.erase("script");
        row("no script", noScript, "script", "top level");
        row("no shebang", json{{"script", "echo hi"}, {"job", goodBody()["job"]}}, "script", "#!");
        row("dos line ends",
            json{{"script", "#!/bin/bash\r\necho\r\n"}, {"job", goodBody()["job"]}}, "script",
            "DOS");
        row("script not string", json{{"script", 5}, {"job", goodBody()["job"]}}, "script",
            "string");
        row("no environment", withJob({{"environment", nullptr}}), "job.environment", "required");
        row("environment object", withJob({{"environment", {{"PATH", "/bin"}}}}), "job.environment",
            "v0.0.38");
        row("environment empty", withJob({{"environment", json::array()}}), "job.environment",
            "non-empty");
        row("environment not K=V", withJob({{"environment", json::array({"PATH"})}}),
            "job.environment[0]", "KEY=VALUE");
        row("environment bad name", withJob({{"environment", json::array({"1X=2"})}}),
            "job.environment[0]", "KEY=VALUE");
        row("no cwd", withJob({{"current_working_directory", nullptr}}),
            "job.current_working_directory", "required");
        row("relative cwd", withJob({{"current_working_directory", "work"}}),
            "job.current_working_directory", "absolute");
        row("nodes integer", withJob({{"nodes", 1}}), "job.nodes", "string");
        row("nodes garbage", withJob({{"nodes", "two"}}), "job.nodes", "range");
        row("nodes inverted", withJob({{"nodes", "4-1"}}), "job.nodes", "maximum");
        row("tasks wrapped", withJob({{"tasks", {{"set", true}, {"number", 2}}}}), "job.tasks",
            "plain integer");
        row("cpus wrapped", withJob({{"cpus_per_task", {{"set", true}, {"number", 2}}}}),
            "job.cpus_per_task", "plain integer");
        row("tasks zero", withJob({{"tasks", 0}}), "job.tasks", "between");
        row("time string", withJob({{"time_limit", "01:00:00"}}), "job.time_limit", "minutes");
        row("time zero", withJob({{"time_limit", 0}}), "job.time_limit", "infinite");
        row("time set without number", withJob({{"time_limit", {{"set", true}}}}), "job.time_limit",
            "number");
        row("time struct extra key", withJob({{"time_limit", {{"set", true}, {"value", 3}}}}),
            "job.time_limit.value", "wrapped");
        row("memory string", withJob({{"memory_per_node", "4G"}}), "job.memory_per_node",
            "megabytes");
        // The product is checked without overflowing (it wrapped negative and passed).
        row("memory per cpu times cpus",
            withJob(
                {{"memory_per_cpu", qint64(1) << 36}, {"tasks", 100000}, {"cpus_per_task", 4096}}),
            "job.memory_per_cpu", "larger than any node");
        row("memory per node huge", withJob({{"memory_per_node", qint64(1) << 50}}),
            "job.memory_per_node", "larger than any node");
        row("environment too large",
            withJob(
                {{"environment", json::array({"PATH=/bin", "BIG=" + std::string(300000, 'x')})}}),
            "job.environment[1]", "KiB");
        row("memory both", withJob({{"memory_per_node", 100}, {"memory_per_cpu", 100}}),
            "job.memory_per_cpu", "not both");
        row("memory negative", withJob({{"memory_per_node", -5}}), "job.memory_per_node",
            "negative");
        row("gres unknown", withJob({{"gres", "gpu:1"}}), "job.gres", "tres_per_node");
        row("ntasks unknown", withJob({{"ntasks", 2}}), "job.ntasks", "tasks");
        row("exclusive unknown", withJob({{"exclusive", true}}), "job.exclusive", "shared");
        row("made-up key", withJob({{"colour", "red"}}), "job.colour", "not a field");
        row("unsupported spec key", withJob({{"x11", json::array({"BATCH"})}}), "job.x11",
            "does not support");
        row("tres not gpu", withJob({{"tres_per_node", "license/x:1"}}), "job.tres_per_node",
            "GPU");
        row("array garbage", withJob({{"array", "1-x"}}), "job.array", "range");
        row("array too big", withJob({{"array", "0-5000"}}), "job.array", "below");
        row("partition bad", withJob({{"partition", "a b"}}), "job.partition", "partition name");
        row("job and jobs",
            json{{"script", "#!/bin/sh\n"}, {"job", json::object()}, {"jobs", json::array()}},
            "jobs", "never both");
        row("hetjob", json{{"jobs", json::array({goodBody()["job"]})}}, "jobs", "heterogeneous");
        row("no job", json{{"script", "#!/bin/sh\n"}}, "job", "required");
        row(
            "field at top level",
            [] {
                json b = goodBody();
                b["nodes"] = "1";
                return b;
            }(),
            "nodes", "inside");
        row("body not object", json::array(), "", "object");
        row("priority as text", withJob({{"priority", "7"}}), "job.priority", "a number, not");
        row("priority past int64", withJob({{"priority", 18446744073709551615ULL}}), "job.priority",
            "too large");
        row("priority infinite", withJob({{"priority", {{"infinite", true}}}}), "job.priority",
            "cannot be infinite");
    }

    void pitfalls() {
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        QFETCH(QString, messagePart);
        const auto check = checkJobSubmit(json::parse(body.toStdString()));
        QVERIFY2(!check.ok(), "expected an error");
        bool found = false;
        for (const auto &e : check.errors) {
            if (e.field == field) {
                found = true;
                QVERIFY2(e.message.contains(messagePart, Qt::CaseInsensitive),
                         qPrintable(e.message));
            }
        }
        QVERIFY2(found, qPrintable(QStringLiteral("no error on '%1'; first: %2 %3")
                                       .arg(field, check.errors.first().field,
                                            check.errors.first().message)));
    }

    // Nobody submits as someone else, even where every v0.0.44 key is otherwise accepted.
    void refusesIdentityKeys() {
        for (const char *key : {"user_id", "group_id"}) {
            for (const JobKeys keys : {JobKeys::LocalExecutor, JobKeys::AllV0044}) {
                const auto check = checkJobSubmit(withJob({{key, "0"}}), keys);
                QVERIFY(!check.ok());
                QCOMPARE(check.errors.first().field, QStringLiteral("job.") + QLatin1String(key));
                QVERIFY(check.errors.first().message.contains(QLatin1String("signed-in user")));
            }
        }
    }

    void acceptsHostedDocsExample() {
        const auto check = checkJobSubmit(goodBody());
        QVERIFY(check.ok());
        QCOMPARE(check.request.script, QStringLiteral("#!/bin/bash\necho hi\n"));
        QCOMPARE(check.request.environment, QStringList{QStringLiteral("PATH=/usr/bin:/bin")});
        QCOMPARE(check.request.nodesMin, 1);
    }

    void acceptsScriptInsideJob() {
        json body = goodBody();
        body["job"]["script"] = body["script"];
        body.erase("script");
        QVERIFY(checkJobSubmit(body).ok());
    }

    void topLevelScriptWins() {
        json body = goodBody();
        body["job"]["script"] = "#!/bin/sh\necho inner\n";
        const auto check = checkJobSubmit(body);
        QVERIFY(check.ok());
        QCOMPARE(check.request.script, QStringLiteral("#!/bin/bash\necho hi\n"));
        QCOMPARE(check.warnings.size(), 1);
    }

    // Decision: like slurmrestd, wrapped fields take a plain integer or the struct.
    void wrappedNumbers_data() {
        QTest::addColumn<QByteArray>("timeLimit");
        QTest::addColumn<qint64>("minutes");
        QTest::addColumn<bool>("unlimited");
        QTest::newRow("plain") << QByteArray("30") << qint64(30) << false;
        QTest::newRow("struct") << QByteArray(R"({"set":true,"infinite":false,"number":45})")
                                << qint64(45) << false;
        QTest::newRow("infinite") << QByteArray(R"({"infinite":true})") << qint64(-1) << true;
        QTest::newRow("unset") << QByteArray(R"({"set":false})") << qint64(-1) << false;
        QTest::newRow("u32 infinite") << QByteArray("4294967295") << qint64(-1) << true;
    }

    void wrappedNumbers() {
        QFETCH(QByteArray, timeLimit);
        QFETCH(qint64, minutes);
        QFETCH(bool, unlimited);
        const auto check =
            checkJobSubmit(withJob({{"time_limit", json::parse(timeLimit.toStdString())}}));
        QVERIFY2(check.ok(), check.ok() ? "" : qPrintable(check.errors.first().message));
        QCOMPARE(check.request.timeLimitMinutes.value_or(-1), minutes);
        QCOMPARE(check.request.timeUnlimited, unlimited);
    }

    void resources() {
        const auto check =
            checkJobSubmit(withJob({{"tasks", 2},
                                    {"cpus_per_task", 3},
                                    {"nodes", "1-2"},
                                    {"memory_per_cpu", {{"set", true}, {"number", 100}}},
                                    {"tres_per_node", "gres/gpu:a100:2"}}));
        QVERIFY(check.ok());
        QCOMPARE(check.request.totalCpus(), 6);
        QCOMPARE(check.request.nodesMax, 2);
        QCOMPARE(check.request.memoryPerNodeNeededMb(8000), qint64(600));
        QCOMPARE(check.request.gpusPerNode, 2);
    }

    void arraySpecs_data() {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QList<int>>("ids");
        QTest::addColumn<int>("limit");
        QTest::newRow("range") << QStringLiteral("0-3") << QList<int>{0, 1, 2, 3} << 0;
        QTest::newRow("list") << QStringLiteral("1,5,3") << QList<int>{1, 3, 5} << 0;
        QTest::newRow("step") << QStringLiteral("0-10:5") << QList<int>{0, 5, 10} << 0;
        QTest::newRow("limit") << QStringLiteral("1-2%1") << QList<int>{1, 2} << 1;
    }

    void arraySpecs() {
        QFETCH(QString, spec);
        QFETCH(QList<int>, ids);
        QFETCH(int, limit);
        QList<int> got;
        int maxConcurrent = -1;
        QString error;
        QVERIFY2(parseArraySpec(spec, got, maxConcurrent, error), qPrintable(error));
        QCOMPARE(got, ids);
        QCOMPARE(maxConcurrent, limit);
    }
};

QTEST_GUILESS_MAIN(TestJobSubmit)
#include "tst_jobsubmit.moc"
