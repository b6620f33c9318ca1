#pragma once

#include "auth/Principal.h"
#include "clusters/ClusterProvider.h"
#include "events/EventLog.h"
#include "jobs/JobStore.h"
#include "store/Database.h"

#include <QHash>
#include <QObject>
#include <optional>

namespace clusterra::server {

class Scheduler;

struct ClusterSettings {
    int maxClustersPerOrg = 10; // the subscription tier's limit
};

// Another organisation's cluster does not exist for a caller: what a service taking a cluster
// answers them, whoever looked the cluster up; none when it is theirs.
std::optional<ApiError> refuseOtherOrg(const Principal &who, const ClusterRecord &cluster);

// Cluster lifecycle: create (validated with core's rules), deploy through a provider in the
// background, list/get/patch, delete (cancelling jobs first).
class ClusterService : public QObject {
    Q_OBJECT
public:
    ClusterService(Database &db, EventLog &events, JobStore &jobs, ClusterSettings settings,
                   QObject *parent = nullptr);

    void addProvider(const QString &name, ClusterProvider *provider);
    void setScheduler(Scheduler *scheduler) { m_scheduler = scheduler; }

    nlohmann::json create(const Principal &who, const nlohmann::json &body, ApiError *error);
    nlohmann::json list(const Principal &who);
    std::optional<ClusterRecord> find(const Principal &who, const QString &id, ApiError *error);
    nlohmann::json describe(const ClusterRecord &cluster);
    nlohmann::json update(const Principal &who, const QString &id, const nlohmann::json &body,
                          ApiError *error);
    nlohmann::json remove(const Principal &who, const QString &id, ApiError *error);

    QList<NodeRecord> nodes(const QString &clusterId);
    nlohmann::json nodesJson(const ClusterRecord &cluster);
    nlohmann::json partitionsJson(const ClusterRecord &cluster);
    std::optional<ClusterRecord> byId(const QString &id);
    QList<ClusterRecord> withProvider(const QString &provider);

    // A scheduler's fresh view of the cluster's nodes and partitions (Slurm reports them).
    void updateInventory(const QString &clusterId, const QList<NodeRecord> &nodes,
                         const nlohmann::json &partitions);
    // Whether the cluster's scheduler answers; a change becomes an event.
    void setConnection(const QString &clusterId, bool connected, const QString &reason);

    // Called when jobs end: a cluster being deleted goes once its last job is gone.
    void finishDeletions();

Q_SIGNALS:
    // The cluster's last row is gone (its jobs ended and it was deleted).
    void clusterRemoved(const QString &clusterId);

private:
    void onDeployed(const QString &clusterId, const QList<NodeRecord> &nodes);
    void onDeployFailed(const QString &clusterId, const QString &reason);
    void writeNodes(const QString &clusterId, const QList<NodeRecord> &nodes);
    void setState(ClusterRecord &cluster, const QString &state, const QString &connection,
                  const QString &reason);
    void save(const ClusterRecord &cluster);

    Database &m_db;
    EventLog &m_events;
    JobStore &m_jobs;
    ClusterSettings m_settings;
    QHash<QString, ClusterProvider *> m_providers;
    Scheduler *m_scheduler = nullptr;
};

} // namespace clusterra::server
