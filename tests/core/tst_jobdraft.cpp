// The submit dialog's one job: the form's fields and the Raw JSON are two views of it, so
// whatever either holds survives a trip through the other.
#include "core/api/Drafts.h"
#include "core/api/JobDraft.h"

#include <QTest>

using namespace clusterra;
using nlohmann::json;

class TestJobDraft : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void formFieldsRoundTrip() {
        JobDraft d;
        d.name = QStringLiteral("sweep");
        d.partition = QStringLiteral("gpu");
        d.tasks = 4;
        d.cpusPerTask = 2;
        d.nodes = QStringLiteral("1-2");
        d.gpus = 2;
        d.memoryMb = 4096;
        d.timeLimitMinutes = 90;
        d.standardOutput = QStringLiteral("out_%j.txt");
        d.standardError = QStringLiteral("err_%j.txt");
        d.array = QStringLiteral("1-10%2");
        d.dependency = QStringLiteral("afterok:42");
        d.mailOnEnd = true;
        const json body = d.toJson();
        QCOMPARE(body["job"]["tres_per_job"].get<std::string>(), std::string("gres/gpu:2"));
        QVERIFY(body["job"]["mail_type"] == json::array({"END"}));
        JobDraft back;
        QVERIFY(JobDraft::fromJson(body, &back));
        QVERIFY(back.toJson() == body);
        QVERIFY(back.extra.empty()); // the form shows every key it wrote
        QCOMPARE(back.gpus, 2);
        QCOMPARE(back.array, QStringLiteral("1-10%2"));
    }

    // Keys the form has no field for, or values it cannot show exactly, stay as written.
    void jsonOnlyKeysSurviveTheForm() {
        const json body = {{"script", "#!/bin/sh\ntrue\n"},
                           {"job",
                            {{"name", "j"},
                             {"environment", {"PATH=/bin"}},
                             {"current_working_directory", "/tmp"},
                             {"account", "lab"},
                             {"qos", "high"},
                             {"comment", "kept"},
                             {"time_limit", {{"set", false}, {"infinite", true}}},
                             {"mail_type", {"BEGIN", "END"}},
                             {"tres_per_job", "gres/gpu:a100:2"}}}};
        JobDraft d;
        QVERIFY(JobDraft::fromJson(body, &d));
        QCOMPARE(d.timeLimitMinutes, qint64(0));
        QVERIFY(!d.mailOnEnd);
        QCOMPARE(d.gpus, 0);
        QStringList only = d.keysOnlyInJson();
        only.sort();
        QCOMPARE(only.join(u','),
                 QStringLiteral("account,comment,mail_type,qos,time_limit,tres_per_job"));
        const json again = d.toJson();
        for (const char *key :
             {"account", "qos", "comment", "time_limit", "mail_type", "tres_per_job"})
            QVERIFY2(again["job"][key] == body["job"][key], key);
        // A value typed in the form wins over the one it could not show.
        d.timeLimitMinutes = 60;
        QCOMPARE(d.toJson()["job"]["time_limit"]["number"].get<int>(), 60);
    }

    // A JSON without the keys the form has defaults for stays without them, and a value the
    // form's field cannot hold stays as written instead of being clamped.
    void absentAndOutOfRangeStayAsWritten() {
        const json body = {{"script", "#!/bin/sh\ntrue\n"},
                           {"job", {{"tasks", 200000}, {"environment", {"PATH=/bin"}}}}};
        JobDraft d;
        QVERIFY(JobDraft::fromJson(body, &d));
        QCOMPARE(d.tasks, 1);
        QVERIFY(d.toJson() == body);
        QVERIFY(!d.toJson()["job"].contains("name"));
        QVERIFY(!d.toJson()["job"].contains("cpus_per_task"));
    }

    void notAJob() {
        JobDraft d;
        d.name = QStringLiteral("untouched");
        QVERIFY(!JobDraft::fromJson(json(), &d));
        QVERIFY(!JobDraft::fromJson(json::array(), &d));
        QVERIFY(!JobDraft::fromJson({{"script", "#!/bin/sh\n"}}, &d));
        QVERIFY(!JobDraft::fromJson({{"job", "x"}}, &d));
        QCOMPARE(d.name, QStringLiteral("untouched"));
    }

    // Duplicate: a stored request (the canonical job object with its script) as a draft.
    void draftOfAStoredRequest() {
        const json stored = {{"script", "#!/bin/bash\necho again\n"},
                             {"name", "first"},
                             {"environment", {"PATH=/bin"}},
                             {"current_working_directory", "/data"},
                             {"tasks", 2},
                             {"priority", 5}};
        const JobDraft d = draftFor(stored);
        QCOMPARE(d.script, QStringLiteral("#!/bin/bash\necho again\n"));
        QCOMPARE(d.name, QStringLiteral("first"));
        QCOMPARE(d.tasks, 2);
        QCOMPARE(d.workingDirectory, QStringLiteral("/data"));
        QCOMPARE(d.keysOnlyInJson(), QStringList({QStringLiteral("priority")}));
    }

    // The cluster's scheduler decides which keys a job may carry; the console checks by it.
    void keysFollowTheProvider() {
        QCOMPARE(jobKeysForProvider(QStringLiteral("slurm")), JobKeys::AllV0044);
        QCOMPARE(jobKeysForProvider(QStringLiteral("local")), JobKeys::LocalExecutor);
        JobDraft d;
        d.dependency = QStringLiteral("afterok:1");
        QVERIFY(!d.check(JobKeys::LocalExecutor).isEmpty());
        QVERIFY(d.check(JobKeys::AllV0044).isEmpty());
        QCOMPARE(checkSubmitText(d.toText(), JobKeys::AllV0044).errors.size(), 0);
        QVERIFY(!checkSubmitText(d.toText(), JobKeys::LocalExecutor).errors.isEmpty());
    }
};

QTEST_MAIN(TestJobDraft)
#include "tst_jobdraft.moc"
