#pragma once

#include "server/nodes/NodeRecord.h"

#include <QHash>
#include <QList>
#include <QStringList>

namespace clusterra::server {

class Database;

// The nodes table: each cluster's nodes as its provider or scheduler last reported them.
class NodeStore {
public:
    explicit NodeStore(Database &db)
        : m_db(db) {}

    QList<NodeRecord> forCluster(const QString &clusterId) const;
    // Every listed cluster's nodes in one query, for listings that show many clusters.
    QHash<QString, QList<NodeRecord>> forClusters(const QStringList &clusterIds) const;
    // The cluster's nodes become exactly `nodes`, in one transaction.
    void replace(const QString &clusterId, const QList<NodeRecord> &nodes);
    // Inside the caller's transaction (deleting a cluster removes its row in the same one).
    void removeCluster(const QString &clusterId);

private:
    Database &m_db;
};

} // namespace clusterra::server
