#include "server/clusters/ClusterStore.h"
#include "server/nodes/NodeStore.h"
#include "server/store/Database.h"

#include <QTemporaryDir>
#include <QTest>

using namespace clusterra::server;

// The cluster and node tables as the services see them, on a real SQLite file.
class TestClusterStore : public QObject {
    Q_OBJECT
    QTemporaryDir dir;
    Database db;

    static ClusterRecord record(const QString &id, const QString &org, const QString &name,
                                qint64 createdAt) {
        ClusterRecord c;
        c.id = id;
        c.org = org;
        c.name = name;
        c.provider = QStringLiteral("local");
        c.state = QStringLiteral("preparing");
        c.connectionState = QStringLiteral("connecting");
        c.spec = {{"name", name.toStdString()}};
        c.createdBy = QStringLiteral("ada@example.org");
        c.createdAt = c.updatedAt = createdAt;
        return c;
    }

    static NodeRecord node(const QString &name, int cpus) {
        NodeRecord n;
        n.name = name;
        n.cpus = cpus;
        n.memoryMb = 1024 * cpus;
        n.nodeType = QStringLiteral("local");
        return n;
    }

private Q_SLOTS:
    void initTestCase() {
        QString error;
        QVERIFY2(db.open(dir.filePath(QStringLiteral("server.db")), &error), qPrintable(error));
    }

    // A database an earlier server left (schema 8), where a Slurm cluster's slurmrestd token
    // sat in `secret`: the migration moves it to its own column and leaves a local cluster's
    // own secret where it is.
    void slurmTokenMovesOutOfTheSecret() {
        const QString path = dir.filePath(QStringLiteral("schema8.db"));
        QString error;
        {
            Database old;
            QVERIFY2(old.open(path, &error, 8), qPrintable(error));
            QCOMPARE(old.schemaVersion(), 8);
            const QString insert = QStringLiteral(
                "INSERT INTO clusters (id, org, name, provider, state, connection_state, spec, "
                "secret, created_by, created_at, updated_at) "
                "VALUES (?, 'acme', ?, ?, 'ready', 'connected', '{}', ?, 'ada@example.org', 1, 1)");
            old.exec(insert, {QStringLiteral("slurm001"), QStringLiteral("hpc"),
                              QStringLiteral("slurm"), QStringLiteral("eyJ.slurmrestd.jwt")});
            old.exec(insert, {QStringLiteral("local001"), QStringLiteral("box"),
                              QStringLiteral("local"), QStringLiteral("own-secret-of-box")});
        }
        Database now;
        QVERIFY2(now.open(path, &error), qPrintable(error));
        QCOMPARE(now.schemaVersion(), Database::latestSchemaVersion());
        ClusterStore store(now);
        const auto slurm = store.byId(QStringLiteral("slurm001"));
        QVERIFY(slurm);
        QCOMPARE(slurm->slurmToken, QStringLiteral("eyJ.slurmrestd.jwt"));
        QCOMPARE(slurm->accessSecret, QString());
        const auto local = store.byId(QStringLiteral("local001"));
        QVERIFY(local);
        QCOMPARE(local->accessSecret, QStringLiteral("own-secret-of-box"));
        QCOMPARE(local->slurmToken, QString());
    }

    // Nodes an earlier server stored (before GPUs in use and partitions were kept) read as
    // "not reported" and "in every partition", and new rows keep both.
    void nodesFromBeforeAllocatedGpus() {
        const QString path = dir.filePath(QStringLiteral("nodes-old.db"));
        QString error;
        {
            Database old;
            QVERIFY2(old.open(path, &error, Database::latestSchemaVersion() - 1),
                     qPrintable(error));
            old.exec(
                QStringLiteral("INSERT INTO nodes (cluster_id, name, cpus, memory_mb, gpus, "
                               "node_type, state, alloc_cpus, alloc_memory_mb, reason) "
                               "VALUES ('c1', 'n1', 8, 1024, 2, 'slurm', 'MIXED', 4, 512, '')"));
        }
        Database now;
        QVERIFY2(now.open(path, &error), qPrintable(error));
        NodeStore nodes(now);
        auto list = nodes.forCluster(QStringLiteral("c1"));
        QCOMPARE(list.size(), 1);
        QCOMPARE(list[0].allocCpus, std::optional<int>(4));
        QVERIFY(!list[0].allocGpus);
        QVERIFY(list[0].partitions.isEmpty());
        list[0].allocGpus = 1;
        list[0].partitions = {QStringLiteral("gpu"), QStringLiteral("all")};
        nodes.replace(QStringLiteral("c1"), list);
        const auto again = nodes.forCluster(QStringLiteral("c1"));
        QCOMPARE(again[0].allocGpus, std::optional<int>(1));
        QCOMPARE(again[0].partitions, QStringList({QStringLiteral("gpu"), QStringLiteral("all")}));
    }

    void clustersRoundTripWithTheirSecretsApart() {
        ClusterStore store(db);
        ClusterRecord c =
            record(QStringLiteral("clus0001"), QStringLiteral("acme"), QStringLiteral("Alpha"), 10);
        c.accessSecret = QStringLiteral("own-secret-own-secret-own");
        c.slurmToken = QStringLiteral("slurm-jwt");
        store.insert(c);
        auto got = store.byId(c.id);
        QVERIFY(got);
        QCOMPARE(got->accessSecret, c.accessSecret);
        QCOMPARE(got->slurmToken, c.slurmToken);
        QVERIFY(got->spec == c.spec);

        got->state = QStringLiteral("ready");
        got->stateReason = QStringLiteral("why");
        got->spec["description"] = "changed";
        got->name = QStringLiteral("renamed"); // not something save() writes
        store.save(*got);
        const auto saved = store.byId(c.id);
        QCOMPARE(saved->state, QStringLiteral("ready"));
        QCOMPARE(saved->stateReason, QStringLiteral("why"));
        QCOMPARE(saved->spec.value("description", ""), std::string("changed"));
        QCOMPARE(saved->name, QStringLiteral("Alpha"));
        QVERIFY(!store.byId(QStringLiteral("clus9999")));
    }

    void organisationsAreApart() {
        ClusterStore store(db);
        store.insert(
            record(QStringLiteral("clus0003"), QStringLiteral("acme"), QStringLiteral("gamma"), 5));
        store.insert(record(QStringLiteral("clus0002"), QStringLiteral("other"),
                            QStringLiteral("alpha"), 20));
        QVERIFY(store.nameTaken(QStringLiteral("acme"), QStringLiteral("ALPHA")));
        QVERIFY(!store.nameTaken(QStringLiteral("acme"), QStringLiteral("beta")));
        QVERIFY(store.nameTaken(QStringLiteral("other"), QStringLiteral("alpha")));
        QCOMPARE(store.countInOrg(QStringLiteral("acme")), 2);
        const auto acme = store.inOrg(QStringLiteral("acme"));
        QCOMPARE(acme.size(), 2);
        QCOMPARE(acme[0].id, QStringLiteral("clus0003")); // oldest first
        QCOMPARE(acme[1].id, QStringLiteral("clus0001"));
        QCOMPARE(store.idsInState(QStringLiteral("ready")),
                 QStringList{QStringLiteral("clus0001")});
        QCOMPARE(store.withProvider(QStringLiteral("local")).size(), 3);
        QVERIFY(store.withProvider(QStringLiteral("slurm")).isEmpty());
    }

    void nodesAreReplacedPerCluster() {
        NodeStore nodes(db);
        NodeRecord reported = node(QStringLiteral("n1"), 4);
        reported.allocCpus = 2;
        reported.allocMemoryMb = 512;
        reported.reason = QStringLiteral("drained by ops");
        nodes.replace(QStringLiteral("clus0001"), {node(QStringLiteral("n2"), 8), reported});
        nodes.replace(QStringLiteral("clus0002"), {node(QStringLiteral("x1"), 1)});

        const auto all = nodes.forClusters(
            {QStringLiteral("clus0001"), QStringLiteral("clus0002"), QStringLiteral("clus0003")});
        QCOMPARE(all.value(QStringLiteral("clus0001")).size(), 2);
        QCOMPARE(all.value(QStringLiteral("clus0002")).size(), 1);
        QVERIFY(!all.contains(QStringLiteral("clus0003")));
        const auto first = nodes.forCluster(QStringLiteral("clus0001"));
        QCOMPARE(first[0].name, QStringLiteral("n1")); // by name
        QCOMPARE(first[0].allocCpus, std::optional<int>(2));
        QCOMPARE(first[0].allocMemoryMb, std::optional<qint64>(512));
        QCOMPARE(first[0].reason, QStringLiteral("drained by ops"));
        QVERIFY(!first[1].allocCpus); // not reported stays unknown, not 0

        nodes.replace(QStringLiteral("clus0001"), {node(QStringLiteral("n3"), 2)});
        QCOMPARE(nodes.forCluster(QStringLiteral("clus0001")).size(), 1);
        QCOMPARE(nodes.forCluster(QStringLiteral("clus0002")).size(), 1);
        nodes.removeCluster(QStringLiteral("clus0002"));
        QVERIFY(nodes.forCluster(QStringLiteral("clus0002")).isEmpty());
        QVERIFY(nodes.forClusters({}).isEmpty());
    }

    void removingAClusterInATransaction() {
        ClusterStore store(db);
        NodeStore nodes(db);
        {
            Database::Transaction tx(db);
            nodes.removeCluster(QStringLiteral("clus0001"));
            store.remove(QStringLiteral("clus0001"));
            // Not committed: rolled back when tx goes.
        }
        QVERIFY(store.byId(QStringLiteral("clus0001")));
        QCOMPARE(nodes.forCluster(QStringLiteral("clus0001")).size(), 1);
        {
            Database::Transaction tx(db);
            nodes.removeCluster(QStringLiteral("clus0001"));
            store.remove(QStringLiteral("clus0001"));
            tx.commit();
        }
        QVERIFY(!store.byId(QStringLiteral("clus0001")));
        QVERIFY(nodes.forCluster(QStringLiteral("clus0001")).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestClusterStore)
#include "tst_cluster_store.moc"
