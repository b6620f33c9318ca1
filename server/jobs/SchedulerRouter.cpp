#include "server/clusters/ClusterService.h"
#include "server/jobs/Scheduler.h"

namespace clusterra::server {

SchedulerRouter::SchedulerRouter(ClusterService &clusters, QObject *parent)
    : Scheduler(parent)
    , m_clusters(clusters) {}

void SchedulerRouter::add(const QString &provider, Scheduler *scheduler) {
    m_byProvider.insert(provider, scheduler);
    if (!m_all.contains(scheduler))
        m_all.append(scheduler);
}

Scheduler *SchedulerRouter::forCluster(const QString &clusterId) {
    const auto cluster = m_clusters.byId(clusterId);
    return cluster ? m_byProvider.value(cluster->provider) : nullptr;
}

std::optional<ApiError> SchedulerRouter::admit(const ClusterRecord &cluster,
                                               const QList<NodeRecord> &nodes,
                                               const JobRequest &request) {
    Scheduler *s = m_byProvider.value(cluster.provider);
    if (!s)
        return ApiError::make(
            ErrorType::Conflict,
            QStringLiteral("Cluster %1 has no scheduler on this server.").arg(cluster.name));
    return s->admit(cluster, nodes, request);
}

std::optional<qint64> SchedulerRouter::outputOwner(const JobRecord &job) const {
    const auto cluster = m_clusters.byId(job.clusterId);
    const Scheduler *s = cluster ? m_byProvider.value(cluster->provider) : nullptr;
    return s ? s->outputOwner(job) : std::nullopt;
}

void SchedulerRouter::submit(const ClusterRecord &cluster, const JobRequest &request,
                             const JobRecord &base, SubmitDone done) {
    m_byProvider.value(cluster.provider)->submit(cluster, request, base, std::move(done));
}

void SchedulerRouter::cancel(const JobRecord &job, const QString &actor, CancelDone done) {
    if (Scheduler *s = forCluster(job.clusterId))
        s->cancel(job, actor, std::move(done));
    else if (done)
        done(ApiError::make(ErrorType::NotFound, QStringLiteral("The job's cluster is gone.")));
}

int SchedulerRouter::activeJobs(const QString &clusterId) {
    Scheduler *s = forCluster(clusterId);
    return s ? s->activeJobs(clusterId) : 0;
}

void SchedulerRouter::resume() {
    for (Scheduler *s : std::as_const(m_all))
        s->resume();
}

} // namespace clusterra::server
