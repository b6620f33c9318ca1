#include "tests/server/TestServer.h"

#include <QTest>
#include <map>

using nlohmann::json;

class TestClustersApi : public QObject {
    Q_OBJECT
    TestServer server{{QStringLiteral("--max-clusters"), QStringLiteral("4")}};

private Q_SLOTS:
    void initTestCase() { QVERIFY(server.start()); }

    void createGoesPreparingThenReady() {
        const auto r =
            server.post(QStringLiteral("/v1/clusters"),
                        {{"name", "alpha"}, {"cluster_type", "slurm"}, {"description", "first"}});
        QCOMPARE(r.status, 201);
        QCOMPARE(r.json["state"].get<std::string>(), std::string("preparing"));
        QCOMPARE(r.json["secret"].get<std::string>().size(), size_t(32)); // generated, shown once
        const QString id = QString::fromStdString(r.json["id"].get<std::string>());
        QVERIFY(id.startsWith(QLatin1String("clus")));
        QTRY_COMPARE_WITH_TIMEOUT(
            server.get(QStringLiteral("/v1/clusters/") + id).json.value("state", ""),
            std::string("ready"), 10000);
        const auto got = server.get(QStringLiteral("/v1/clusters/") + id).json;
        QVERIFY(!got.contains("secret"));
        QCOMPARE(got["connection_state"].get<std::string>(), std::string("connected"));
        QVERIFY(got["counts"]["cpus"].get<int>() >= 1);
        const auto list = server.get(QStringLiteral("/v1/clusters")).json;
        QVERIFY(list["total"].get<int>() >= 1);
        QCOMPARE(server.get(QStringLiteral("/v1/clusters/") + id + QStringLiteral("/nodes"))
                     .json["nodes"]
                     .size(),
                 size_t(1));
    }

    // What Overview's cards and partition table read: a running job's CPUs are allocated, its
    // node no longer idle, and the partition says how many nodes can still take work.
    void countsShowWhatIsInUse() {
        const QString id = server.readyCluster(QStringLiteral("busy"));
        const QString path = QStringLiteral("/v1/clusters/") + id;
        json c = server.get(path).json;
        QCOMPARE(c["counts"]["alloc_cpus"].get<int>(), 0);
        QCOMPARE(c["counts"]["idle_nodes"].get<int>(), 1);
        QCOMPARE(c["partitions"][0]["avail_nodes"].get<int>(), 1);
        QVERIFY(c["partitions"][0].contains("default_time"));
        const int cpus = c["counts"]["cpus"].get<int>();
        const qint64 job = server.submitJob(id, testjobs::rawJob("#!/bin/sh\nsleep 30\n"));
        server.waitForJob(id, job, testjobs::inState("RUNNING"));
        c = server.get(path).json;
        QCOMPARE(c["counts"]["alloc_cpus"].get<int>(), 1);
        QCOMPARE(c["counts"]["idle_nodes"].get<int>(), 0);
        // Partly used (MIXED) still takes work; fully used (ALLOCATED) does not.
        QCOMPARE(c["partitions"][0]["avail_nodes"].get<int>(), cpus > 1 ? 1 : 0);
        QCOMPARE(
            server.get(path + QStringLiteral("/nodes")).json["nodes"][0]["alloc_cpus"].get<int>(),
            1);
        QCOMPARE(server.request("DELETE", TestServer::jobPath(id, job)).status, 200);
        server.waitForJob(id, job, testjobs::inState("CANCELLED"));
        QCOMPARE(server.request("DELETE", path).status, 202);
        QTRY_COMPARE_WITH_TIMEOUT(server.get(path).status, 404, 10000);
    }

    // The rules are core's (tested row by row there); here: they reach clients intact.
    void validationOverHttp_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field");
        QTest::newRow("bad name") << QByteArray(R"({"name":"-x","cluster_type":"slurm"})")
                                  << QStringLiteral("name");
        QTest::newRow("type") << QByteArray(R"({"name":"x","cluster_type":"pbs"})")
                              << QStringLiteral("cluster_type");
        QTest::newRow("secret") << QByteArray(
                                       R"({"name":"x","cluster_type":"slurm","secret":"short"})")
                                << QStringLiteral("secret");
        QTest::newRow("aws field on local")
            << QByteArray(R"({"name":"x","cluster_type":"slurm","region_name":"us-east-1"})")
            << QStringLiteral("region_name");
        QTest::newRow("partition max")
            << QByteArray(
                   R"({"name":"x","cluster_type":"slurm","partitions":[{"name":"a","node_type":"t","max_node_count":101}]})")
            << QStringLiteral("partitions[0].max_node_count");
        QTest::newRow("not json") << QByteArray("{nope") << QString();
    }

    void validationOverHttp() {
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        const json parsed = json::parse(body.toStdString(), nullptr, false);
        const auto r = parsed.is_discarded()
                           ? server.request("POST", QStringLiteral("/v1/clusters"), nullptr,
                                            QByteArray("<default>"))
                           : server.post(QStringLiteral("/v1/clusters"), parsed);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json["error"]["type"].get<std::string>(), std::string("ValidationError"));
        QCOMPARE(QString::fromStdString(r.json["error"].value("field", "")), field);
        QVERIFY(!r.json["error"]["message"].get<std::string>().empty());
    }

    void duplicateName() {
        server.readyCluster(QStringLiteral("dup"));
        const auto r = server.post(QStringLiteral("/v1/clusters"),
                                   {{"name", "DUP"}, {"cluster_type", "slurm"}});
        QCOMPARE(r.status, 409);
        QCOMPARE(r.json["error"]["type"].get<std::string>(), std::string("ClusterNameInUse"));
        QCOMPARE(r.json["error"]["field"].get<std::string>(), std::string("name"));
    }

    void awsDeployFailsInBackground() {
        const auto r =
            server.post(QStringLiteral("/v1/clusters"), testjobs::awsClusterBody("cloudy"));
        QCOMPARE(r.status, 201);
        const QString id = QString::fromStdString(r.json["id"].get<std::string>());
        QTRY_COMPARE_WITH_TIMEOUT(
            server.get(QStringLiteral("/v1/clusters/") + id).json.value("state", ""),
            std::string("failed"), 10000);
        QVERIFY(!server.get(QStringLiteral("/v1/clusters/") + id)
                     .json["state_reason"]
                     .get<std::string>()
                     .empty());
        const auto events =
            server.get(QStringLiteral("/v1/clusters/") + id + QStringLiteral("/events"))
                .json["events"];
        bool found = false;
        for (const auto &e : events)
            found = found || (e["kind"] == "cluster.deploy_failed" &&
                              e["data"]["error_type"] == "ClusterCouldNotBeDeployed");
        QVERIFY(found);

        // A provider that can never deploy here is not tried again.
        const auto refused =
            server.post(QStringLiteral("/v1/clusters/") + id + QStringLiteral("/retry"), {});
        QCOMPARE(refused.status, 409);
        QVERIFY(refused.json["error"]["message"].get<std::string>().find("AWS credentials") !=
                std::string::npos);
        QCOMPARE(server.request("DELETE", QStringLiteral("/v1/clusters/") + id).status, 202);
    }

    // A Slurm that did not answer when the cluster was created may answer later: a retry
    // deploys it again (back to preparing, an event naming who asked) and the provider's answer
    // (here the same refusal) comes once more.
    void retryDeploysAgain() {
        const auto r =
            server.post(QStringLiteral("/v1/clusters"), testjobs::unreachableSlurmBody("not-yet"));
        QCOMPARE(r.status, 201);
        const QString path = QStringLiteral("/v1/clusters/") +
                             QString::fromStdString(r.json["id"].get<std::string>());
        QTRY_COMPARE_WITH_TIMEOUT(server.get(path).json.value("state", ""), std::string("failed"),
                                  15000);
        const auto retried = server.post(path + QStringLiteral("/retry"), {});
        QCOMPARE(retried.status, 202);
        QCOMPARE(retried.json["state"].get<std::string>(), std::string("preparing"));
        QCOMPARE(retried.json["state_reason"].get<std::string>(), std::string());
        QTRY_COMPARE_WITH_TIMEOUT(server.get(path).json.value("state", ""), std::string("failed"),
                                  15000);
        int failures = 0;
        bool retriedEvent = false;
        const json events = server.get(path + QStringLiteral("/events")).json;
        for (const auto &e : events["events"]) {
            failures += e["kind"] == "cluster.deploy_failed";
            retriedEvent = retriedEvent || e["kind"] == "cluster.retrying";
        }
        QCOMPARE(failures, 2);
        QVERIFY(retriedEvent);
        QCOMPARE(server.request("DELETE", path).status, 202);
        QTRY_COMPARE_WITH_TIMEOUT(server.get(path).status, 404, 10000);
    }

    // Only a failed cluster is deployed again; a ready one answers Conflict and stays ready.
    void retryOnlyWhenFailed() {
        const QString id = server.readyCluster(QStringLiteral("steady"));
        const auto r =
            server.post(QStringLiteral("/v1/clusters/") + id + QStringLiteral("/retry"), {});
        QCOMPARE(r.status, 409);
        QCOMPARE(r.json["error"]["type"].get<std::string>(), std::string("Conflict"));
        QCOMPARE(server.get(QStringLiteral("/v1/clusters/") + id).json.value("state", ""),
                 std::string("ready"));
        QCOMPARE(server.request("DELETE", QStringLiteral("/v1/clusters/") + id).status, 202);
    }

    // The wizard's source for what it may offer: every provider, and why one cannot deploy.
    void capabilitiesNameEachProvider() {
        const auto r = server.get(QStringLiteral("/v1/capabilities"));
        QCOMPARE(r.status, 200);
        std::map<std::string, json> byName;
        for (const auto &p : r.json["providers"])
            byName[p["name"].get<std::string>()] = p;
        QCOMPARE(byName.size(), size_t(3));
        QVERIFY(byName["local"]["available"].get<bool>());
        QVERIFY(byName["slurm"]["available"].get<bool>());
        QVERIFY(!byName["aws"]["available"].get<bool>());
        QVERIFY(byName["aws"]["reason"].get<std::string>().find("AWS credentials") !=
                std::string::npos);
        QVERIFY(!byName["local"].contains("reason"));
    }

    // The slurmrestd token is for the server's calls to Slurm: no answer carries it, not even
    // as the hint a cluster's own secret gets.
    void slurmTokenIsNeverShown() {
        const std::string token = "eyJhbGciOi.tokenbody.SIGNATUREzq9";
        const auto r = server.post(
            QStringLiteral("/v1/clusters"),
            {{"name", "elsewhere"},
             {"cluster_type", "slurm"},
             {"provider", "slurm"},
             {"slurm",
              {{"rest_url", "http://127.0.0.1:9"}, {"user_name", "alice"}, {"token", token}}}});
        QCOMPARE(r.status, 201);
        const QString id = QString::fromStdString(r.json["id"].get<std::string>());
        const auto shown = [&](const json &j) {
            const std::string text = j.dump();
            return text.find("SIGNATURE") != std::string::npos ||
                   text.find("eyJ") != std::string::npos || text.find("zq9") != std::string::npos;
        };
        QVERIFY(!shown(r.json));
        QVERIFY(!r.json.contains("secret"));
        QVERIFY(!shown(server.get(QStringLiteral("/v1/clusters/") + id).json));
        QVERIFY(!shown(server.get(QStringLiteral("/v1/clusters")).json));
        QVERIFY(!shown(
            server.get(QStringLiteral("/v1/clusters/") + id + QStringLiteral("/events")).json));
        QCOMPARE(server.request("DELETE", QStringLiteral("/v1/clusters/") + id).status, 202);
        QTRY_COMPARE_WITH_TIMEOUT(server.get(QStringLiteral("/v1/clusters/") + id).status, 404,
                                  10000);
    }

    void deletionProtectionAndPatch() {
        const QString id = server.readyCluster(QStringLiteral("keep"));
        auto r = server.request(
            "PATCH", QStringLiteral("/v1/clusters/") + id,
            {{"deletion_protection", true},
             {"partitions", json::array({{{"name", "local"}, {"max_node_count", 3}}})}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json["partitions"][0]["max_node_count"].get<int>(), 3);
        r = server.request("DELETE", QStringLiteral("/v1/clusters/") + id);
        QCOMPARE(r.status, 409);
        QCOMPARE(r.json["error"]["type"].get<std::string>(), std::string("DeletionProtected"));
        QCOMPARE(server
                     .request("PATCH", QStringLiteral("/v1/clusters/") + id,
                              {{"deletion_protection", false}})
                     .status,
                 200);
        QCOMPARE(server.request("DELETE", QStringLiteral("/v1/clusters/") + id).status, 202);
        QTRY_COMPARE_WITH_TIMEOUT(server.get(QStringLiteral("/v1/clusters/") + id).status, 404,
                                  10000);
    }

    void subscriptionLimit() {
        // --max-clusters 4: fill up to the limit, then one more is refused.
        int existing = server.get(QStringLiteral("/v1/clusters")).json["total"].get<int>();
        for (int i = existing; i < 4; ++i)
            server.readyCluster(QStringLiteral("fill-%1").arg(i));
        const auto r = server.post(QStringLiteral("/v1/clusters"),
                                   {{"name", "one-too-many"}, {"cluster_type", "slurm"}});
        QCOMPARE(r.status, 403);
        QCOMPARE(r.json["error"]["type"].get<std::string>(),
                 std::string("SubscriptionLimitReached"));
    }

    void unknownCluster() {
        const auto r = server.get(QStringLiteral("/v1/clusters/clus00000000"));
        QCOMPARE(r.status, 404);
        QCOMPARE(r.json["error"]["type"].get<std::string>(), std::string("NotFound"));
    }
};

QTEST_GUILESS_MAIN(TestClustersApi)
#include "tst_clusters_api.moc"
