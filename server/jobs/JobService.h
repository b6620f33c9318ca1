#pragma once

#include "clusters/ClusterService.h"
#include "jobs/JobStore.h"
#include "jobs/Scheduler.h"
#include "jobs/TemplateCatalog.h"

namespace clusterra::server {

// The job routes' logic: submit (raw v0.0.44 or template), list, get, cancel, read output.
class JobService {
public:
    JobService(JobStore &jobs, ClusterService &clusters, Scheduler &scheduler,
               const TemplateCatalog &templates, EventLog &events, QString dataDir);

    nlohmann::json submit(const http::Principal &who, const ClusterRecord &cluster,
                          const nlohmann::json &body, ApiError *error);
    nlohmann::json list(const ClusterRecord &cluster, const http::Request &request,
                        ApiError *error);
    std::optional<JobRecord> find(const ClusterRecord &cluster, const QString &jobId,
                                  ApiError *error);
    nlohmann::json cancel(const http::Principal &who, const ClusterRecord &cluster,
                          const QString &jobId, ApiError *error);
    // The owner, or an admin, may read a job's output and environment.
    static bool mayInspect(const http::Principal &who, const JobRecord &job);

private:
    QString outputPathFor(const JobRecord &job, const JobRequest &request) const;

    JobStore &m_jobs;
    ClusterService &m_clusters;
    Scheduler &m_scheduler;
    const TemplateCatalog &m_templates;
    EventLog &m_events;
    QString m_dataDir;
};

} // namespace clusterra::server
