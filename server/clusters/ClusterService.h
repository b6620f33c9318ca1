#pragma once

#include "server/auth/Principal.h"
#include "server/clusters/ClusterProvider.h"
#include "server/clusters/ClusterStore.h"
#include "server/events/EventLog.h"
#include "server/jobs/JobStore.h"
#include "server/nodes/NodeStore.h"

#include <QHash>
#include <QObject>
#include <optional>

namespace clusterra::server {

class Scheduler;

struct ClusterSettings {
    int maxClustersPerOrg = 10; // the subscription tier's limit
};

// A node as a caller sees it: allocation counted from the running jobs where the scheduler
// does not report it, and IDLE turned MIXED or ALLOCATED by it.
struct NodeView {
    NodeRecord node;
    int allocCpus = 0;
    qint64 allocMemoryMb = 0;
    int allocGpus = 0;
    int partitions = 0;
};

// What a caller sees of a cluster: its record (whose secrets a view never shows), its nodes,
// its partitions with what the scheduler did not report filled in, and its job counts.
struct ClusterView {
    ClusterRecord cluster;
    QList<NodeView> nodes;
    nlohmann::json partitions = nlohmann::json::array();
    int jobsRunning = 0;
    int jobsPending = 0;
};

// A provider this server has, and why it cannot deploy with it (empty when it can).
struct ProviderAvailability {
    QString name;
    QString unavailableReason;
};

struct CreatedCluster {
    ClusterView view;
    QString secretOnce; // the cluster's secret, in this answer only; empty when it has none
    QStringList warnings;
};

// Another organisation's cluster does not exist for a caller: what a service taking a cluster
// answers them, whoever looked the cluster up; none when it is theirs.
std::optional<ApiError> refuseOtherOrg(const Principal &who, const ClusterRecord &cluster);

// Cluster lifecycle: create (validated with core's rules), deploy through a provider in the
// background, list/get/patch, delete (cancelling jobs first). Callers outside the organisation
// find nothing; only administrators create, change or delete.
class ClusterService : public QObject {
    Q_OBJECT
public:
    ClusterService(Database &db, EventLog &events, JobStore &jobs, ClusterSettings settings,
                   QObject *parent = nullptr);

    void addProvider(const QString &name, ClusterProvider *provider);
    void setScheduler(Scheduler *scheduler) { m_scheduler = scheduler; }

    std::optional<CreatedCluster> create(const Principal &who, const nlohmann::json &body,
                                         ApiError *error);
    QList<ClusterView> list(const Principal &who);
    std::optional<ClusterRecord> find(const Principal &who, const QString &id, ApiError *error);
    std::optional<ClusterView> view(const Principal &who, const QString &id, ApiError *error);
    // The partitions alone, filled in as a view's are, without counting jobs.
    std::optional<nlohmann::json> partitions(const Principal &who, const QString &id,
                                             ApiError *error);
    std::optional<ClusterView> update(const Principal &who, const QString &id,
                                      const nlohmann::json &body, ApiError *error);
    std::optional<ClusterView> remove(const Principal &who, const QString &id, ApiError *error);
    // Deploys a failed cluster again with the same fields, as its provider may have been
    // down (a Slurm that was not answering yet) rather than the request wrong.
    std::optional<ClusterView> retry(const Principal &who, const QString &id, ApiError *error);
    // Anyone signed in may know what the server can deploy (the wizard asks before a create).
    QList<ProviderAvailability> providers(const Principal &who) const;
    std::optional<QList<NodeView>> nodeViews(const Principal &who, const QString &id,
                                             ApiError *error);

    // For the server's own parts (schedulers, publisher), which act for no caller.
    std::optional<ClusterRecord> byId(const QString &id) { return m_store.byId(id); }
    QList<ClusterRecord> withProvider(const QString &provider) {
        return m_store.withProvider(provider);
    }
    QList<NodeRecord> nodes(const QString &clusterId) { return m_nodes.forCluster(clusterId); }

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
    ClusterView viewOf(const ClusterRecord &cluster);
    ClusterView viewOf(const ClusterRecord &cluster, const QList<NodeRecord> &nodes,
                       const QHash<JobState, int> &jobCounts) const;
    QList<NodeView> allocated(const ClusterRecord &cluster, const QList<NodeRecord> &nodes) const;
    // The caller's organisation's cluster, for an administrator to change; else the refusal.
    std::optional<ClusterRecord> findToChange(const Principal &who, const QString &id,
                                              ApiError *error);
    void onDeployed(const QString &clusterId, const QList<NodeRecord> &nodes);
    void onDeployFailed(const QString &clusterId, const QString &reason);
    void setState(ClusterRecord &cluster, const QString &state, const QString &connection,
                  const QString &reason);

    Database &m_db;
    ClusterStore m_store;
    NodeStore m_nodes;
    EventLog &m_events;
    JobStore &m_jobs;
    ClusterSettings m_settings;
    QHash<QString, ClusterProvider *> m_providers;
    Scheduler *m_scheduler = nullptr;
};

} // namespace clusterra::server
