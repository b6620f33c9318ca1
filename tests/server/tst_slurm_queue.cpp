// A Slurm-backed cluster's whole queue, against the real single-node Slurm of the "slurm"
// CTest fixture: jobs and arrays someone submitted with sbatch, whose they are, and ids that
// Slurm hands out again (a reset counter, a requeue).
#include "tests/server/SlurmEnv.h"
#include "tests/server/TestServer.h"

#include <QDateTime>
#include <QFile>
#include <QTest>

using nlohmann::json;
using namespace testjobs;

class TestSlurmQueue : public QObject {
    Q_OBJECT
    SlurmEnv env;
    TestServer server{{QStringLiteral("--slurm-poll-ms"), QStringLiteral("200")}};
    QString cluster;

    TestServer::Reply submit(TestServer &s, const QString &clusterId, const json &body) {
        return s.post(QStringLiteral("/v1/clusters/%1/jobs/submit").arg(clusterId), body);
    }

    // Restarts the server with `statements` applied to its database, connected again.
    void restartEditing(const QStringList &statements) {
        QVERIFY(server.stop() == 0);
        QVERIFY(server.editDatabase(statements));
        QVERIFY(server.startOnSamePort());
        QTRY_COMPARE_WITH_TIMEOUT(server.get(QStringLiteral("/v1/clusters/") + cluster)
                                      .json.value("connection_state", ""),
                                  std::string("connected"), 30000);
    }

    QList<json> rowsWithId(qint64 id) {
        QList<json> rows;
        const auto list = server.get(QStringLiteral("/v1/clusters/%1/jobs").arg(cluster));
        for (const auto &j : list.json["jobs"])
            if (j.value("job_id", qint64(0)) == id)
                rows << j;
        return rows;
    }

private Q_SLOTS:
    void initTestCase() {
        SLURM_ENV_OR_SKIP(env);
        QVERIFY(server.start());
        cluster = env.readyCluster(server, QStringLiteral("slurm"), QStringLiteral("shared"),
                                   env.jobToken);
        QVERIFY(!cluster.isEmpty());
    }

    // The Jobs tab shows the whole queue, as squeue does: a job someone submitted with sbatch
    // appears with Slurm's id, user and partition. Its Slurm user is nobody here, so only an
    // administrator acts on it, and nobody reads its output.
    void jobsFromSbatchAreShown() {
        QByteArray why;
        const qint64 slurmId =
            env.sbatch({QStringLiteral("-J"), QStringLiteral("from-sbatch"), QStringLiteral("-D"),
                        QStringLiteral("/tmp"), QStringLiteral("--wrap"),
                        QStringLiteral("echo outside; sleep 60")},
                       &why);
        QVERIFY2(slurmId > 0, why.constData());

        json found;
        QVERIFY(QTest::qWaitFor(
            [&] {
                const auto list = server.get(QStringLiteral("/v1/clusters/%1/jobs").arg(cluster));
                for (const auto &j : list.json["jobs"])
                    if (j.value("job_id", qint64(0)) == slurmId)
                        found = j;
                return found.is_object() && found.value("state", "") == "RUNNING";
            },
            20000));
        QCOMPARE(found["name"].get<std::string>(), std::string("from-sbatch"));
        QCOMPARE(QString::fromStdString(found["user"].get<std::string>()), env.jobUser);
        QCOMPARE(QString::fromStdString(found["slurm_user"].get<std::string>()), env.jobUser);
        QVERIFY(found.value("submitted_outside", false));
        QVERIFY(!found["partition"].get<std::string>().empty());
        const QString path = TestServer::jobPath(cluster, slurmId);
        QCOMPARE(server.get(path).json.value("job_id", qint64(0)), slurmId);
        const int read = server.get(path + QStringLiteral("/output")).status;
        QVERIFY2(read == 403 || read == 404, QByteArray::number(read).constData());

        const auto cancel = server.request("DELETE", path);
        QVERIFY2(cancel.status == 200, cancel.body.constData());
        QCOMPARE(server.waitForJob(cluster, slurmId, inState("CANCELLED")).value("state", ""),
                 std::string("CANCELLED"));
    }

    // With per_user mapping an sbatch job of an account someone here holds is that person's:
    // theirs to read and cancel.
    void sbatchJobsOfAMappedAccountAreTheirs() {
        if (env.rootToken.isEmpty())
            QSKIP("no root token in the Slurm env");
        TestServer other{{QStringLiteral("--local-email"),
                          env.jobUser + QStringLiteral("@localhost"),
                          QStringLiteral("--slurm-poll-ms"), QStringLiteral("200")}};
        QVERIFY(other.start());
        const QString mapped = env.readyCluster(other, QStringLiteral("mapped"),
                                                QStringLiteral("per_user"), env.rootToken);
        QVERIFY(!mapped.isEmpty());
        const QString out =
            QStringLiteral("/tmp/clusterra-sbatch-%1.out").arg(QDateTime::currentMSecsSinceEpoch());
        QByteArray why;
        const qint64 slurmId =
            env.sbatch({QStringLiteral("-J"), QStringLiteral("mine"), QStringLiteral("-D"),
                        QStringLiteral("/tmp"), QStringLiteral("-o"), out, QStringLiteral("--wrap"),
                        QStringLiteral("echo mine; sleep 60")},
                       &why);
        QVERIFY2(slurmId > 0, why.constData());
        const QString path = TestServer::jobPath(mapped, slurmId);
        const json running = other.waitForJob(mapped, slurmId, inState("RUNNING"));
        QCOMPARE(QString::fromStdString(running.value("user", "")),
                 env.jobUser + QStringLiteral("@localhost"));
        QTRY_COMPARE_WITH_TIMEOUT(other.get(path + QStringLiteral("/output")).body,
                                  QByteArray("mine\n"), 10000);
        QCOMPARE(other.request("DELETE", path).status, 200);
        other.waitForJob(mapped, slurmId, inState("CANCELLED"));
        QFile::remove(out);
    }

    // An array someone submitted with sbatch shows the same way, each task theirs.
    void arraysFromSbatchAreShown() {
        QByteArray why;
        const qint64 arrayId =
            env.sbatch({QStringLiteral("-J"), QStringLiteral("outside-sweep"), QStringLiteral("-D"),
                        QStringLiteral("/tmp"), QStringLiteral("--array=3-5%1"),
                        QStringLiteral("--wrap"), QStringLiteral("sleep 60")},
                       &why);
        QVERIFY2(arrayId > 0, why.constData());
        json task = json::object(), rest;
        QVERIFY(QTest::qWaitFor(
            [&] {
                const auto list = server.get(QStringLiteral("/v1/clusters/%1/jobs").arg(cluster));
                for (const auto &j : list.json["jobs"]) {
                    if (arrayIdOf(j) != arrayId)
                        continue;
                    (j["array_task_id"].is_number() ? task : rest) = j;
                }
                return task.value("state", "") == "RUNNING" && rest.is_object();
            },
            30000));
        QVERIFY(task["array_task_id"] == 3);
        QVERIFY(task.value("job_id", qint64(0)) != arrayId);
        QVERIFY(task.value("submitted_outside", false));
        QCOMPARE(QString::fromStdString(task.value("slurm_user", "")), env.jobUser);
        QCOMPARE(rest.value("job_id", qint64(0)), arrayId);
        QCOMPARE(rest.value("array_task_string", ""), std::string("4-5%1"));
        QCOMPARE(server.request("DELETE", TestServer::jobPath(cluster, arrayId)).status, 200);
        server.waitForJob(cluster, task.value("job_id", qint64(0)), inState("CANCELLED"));
    }

    // A Slurm whose counter was reset hands out an id the server's history already holds: the
    // id names the newest job, and the older row stays in the listing.
    void aReusedSlurmIdNamesTheNewestJob() {
        const auto a = submit(server, cluster, rawJob("#!/bin/sh\necho older\n"));
        const auto b = submit(server, cluster, rawJob("#!/bin/sh\necho newer\n"));
        QCOMPARE(a.status, 201);
        QCOMPARE(b.status, 201);
        const qint64 older = a.json["job_id"].get<qint64>();
        const qint64 newer = b.json["job_id"].get<qint64>();
        server.waitForJob(cluster, older, inState("COMPLETED"));
        server.waitForJob(cluster, newer, inState("COMPLETED"));
        QVERIFY(server.stop() == 0);
        QVERIFY(server.editDatabase({QStringLiteral("UPDATE jobs SET scheduler_job_id = %1 WHERE "
                                                    "scheduler_job_id = %2")
                                         .arg(newer)
                                         .arg(older)}));
        QVERIFY(server.startOnSamePort());
        // Connected to slurmrestd again before the next test submits.
        QTRY_COMPARE_WITH_TIMEOUT(server.get(QStringLiteral("/v1/clusters/") + cluster)
                                      .json.value("connection_state", ""),
                                  std::string("connected"), 30000);
        QCOMPARE(server.get(TestServer::jobPath(cluster, newer) + QStringLiteral("/output")).body,
                 QByteArray("newer\n"));
        QCOMPARE(server.get(TestServer::jobPath(cluster, older)).status, 404);
        const json list = server.get(QStringLiteral("/v1/clusters/%1/jobs").arg(cluster)).json;
        int named = 0;
        for (const auto &j : list["jobs"])
            named += j.value("job_id", qint64(0)) == newer;
        QCOMPARE(named, 2);
    }

    // Slurm hands an id this server's history holds for an ended job to someone's new sbatch
    // job (its counter was reset): the new job gets its own row, the ended one stays as it was.
    void anIdSlurmGaveAgainIsAnotherJob() {
        QByteArray why;
        const qint64 slurmId = env.sbatch({QStringLiteral("-J"), QStringLiteral("newer-outside"),
                                           QStringLiteral("-D"), QStringLiteral("/tmp"),
                                           QStringLiteral("--wrap"), QStringLiteral("sleep 60")},
                                          &why);
        QVERIFY2(slurmId > 0, why.constData());
        server.waitForJob(cluster, slurmId, inState("RUNNING"));
        // What the server would hold had an earlier job of someone else's had this id.
        restartEditing({QStringLiteral("UPDATE jobs SET state = 'COMPLETED', name = 'earlier', "
                                       "submitted_outside = 0, user_email = 'admin@localhost' "
                                       "WHERE scheduler_job_id = %1")
                            .arg(slurmId)});
        QList<json> rows;
        QVERIFY(QTest::qWaitFor(
            [&] {
                rows = rowsWithId(slurmId);
                return rows.size() == 2;
            },
            20000));
        QStringList seen;
        for (const json &j : rows)
            seen << QString::fromStdString(j.value("name", "") + "/" + j.value("state", ""));
        seen.sort();
        QCOMPARE(seen, (QStringList{QStringLiteral("earlier/COMPLETED"),
                                    QStringLiteral("newer-outside/RUNNING")}));
        const json named = server.get(TestServer::jobPath(cluster, slurmId)).json;
        QCOMPARE(named.value("name", ""), std::string("newer-outside")); // the newest
        QVERIFY(named.value("submitted_outside", false));
        QCOMPARE(server.request("DELETE", TestServer::jobPath(cluster, slurmId)).status, 200);
        server.waitForJob(cluster, slurmId, inState("CANCELLED"));
    }

    // A job this server saw end that Slurm runs again under the same id, name and user (a
    // requeue after a node failure) goes on in its own row.
    void aJobSlurmRunsAgainKeepsItsRow() {
        const auto r =
            submit(server, cluster, rawJob("#!/bin/sh\nsleep 60\n", {{"name", "again"}}));
        QCOMPARE(r.status, 201);
        const qint64 id = r.json["job_id"].get<qint64>();
        server.waitForJob(cluster, id, inState("RUNNING"));
        restartEditing({QStringLiteral("UPDATE jobs SET state = 'NODE_FAIL' WHERE "
                                       "scheduler_job_id = %1")
                            .arg(id)});
        QCOMPARE(server.get(TestServer::jobPath(cluster, id)).json.value("state", ""),
                 std::string("NODE_FAIL"));
        QCOMPARE(server.waitForJob(cluster, id, inState("RUNNING")).value("state", ""),
                 std::string("RUNNING"));
        QCOMPARE(rowsWithId(id).size(), 1);
        QCOMPARE(server.request("DELETE", TestServer::jobPath(cluster, id)).status, 200);
        server.waitForJob(cluster, id, inState("CANCELLED"));
    }
};

QTEST_GUILESS_MAIN(TestSlurmQueue)
#include "tst_slurm_queue.moc"
