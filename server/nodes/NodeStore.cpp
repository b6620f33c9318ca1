#include "server/nodes/NodeStore.h"

#include "server/store/Database.h"

namespace clusterra::server {

namespace {
const QString kColumns = QStringLiteral("cluster_id, name, cpus, memory_mb, gpus, node_type, "
                                        "state, alloc_cpus, alloc_memory_mb, reason, alloc_gpus, "
                                        "partitions");

NodeRecord fromQuery(const QSqlQuery &q) {
    NodeRecord n;
    n.name = q.value(1).toString();
    n.cpus = q.value(2).toInt();
    n.memoryMb = q.value(3).toLongLong();
    n.gpus = q.value(4).toInt();
    n.nodeType = q.value(5).toString();
    n.state = q.value(6).toString();
    if (!q.value(7).isNull())
        n.allocCpus = q.value(7).toInt();
    if (!q.value(8).isNull())
        n.allocMemoryMb = q.value(8).toLongLong();
    n.reason = q.value(9).toString();
    if (!q.value(10).isNull())
        n.allocGpus = q.value(10).toInt();
    n.partitions = q.value(11).toString().split(QLatin1Char(','), Qt::SkipEmptyParts);
    return n;
}
} // namespace

QList<NodeRecord> NodeStore::forCluster(const QString &clusterId) const {
    return forClusters({clusterId}).value(clusterId);
}

QHash<QString, QList<NodeRecord>> NodeStore::forClusters(const QStringList &clusterIds) const {
    QHash<QString, QList<NodeRecord>> out;
    if (clusterIds.isEmpty())
        return out;
    QSqlQuery q(m_db.db());
    q.prepare(QStringLiteral("SELECT %1 FROM nodes WHERE cluster_id IN (%2) ORDER BY name")
                  .arg(kColumns, Database::placeholders(clusterIds.size())));
    for (const QString &id : clusterIds)
        q.addBindValue(id);
    if (!q.exec())
        Database::fail(q);
    while (q.next())
        out[q.value(0).toString()].append(fromQuery(q));
    return out;
}

void NodeStore::replace(const QString &clusterId, const QList<NodeRecord> &nodes) {
    Database::Transaction tx(m_db);
    removeCluster(clusterId);
    for (const auto &n : nodes) {
        m_db.exec(
            QStringLiteral("INSERT INTO nodes (%1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .arg(kColumns),
            {clusterId, n.name, n.cpus, n.memoryMb, n.gpus, n.nodeType, n.state,
             n.allocCpus ? QVariant(*n.allocCpus) : QVariant(),
             n.allocMemoryMb ? QVariant(*n.allocMemoryMb) : QVariant(), n.reason,
             n.allocGpus ? QVariant(*n.allocGpus) : QVariant(),
             n.partitions.join(QLatin1Char(','))});
    }
    tx.commit();
}

void NodeStore::removeCluster(const QString &clusterId) {
    m_db.exec(QStringLiteral("DELETE FROM nodes WHERE cluster_id = ?"), {clusterId});
}

} // namespace clusterra::server
