#pragma once

#include "clusters/ClusterService.h"
#include "http/HttpTypes.h" // Reply and Request: still to become typed inputs and results
#include "jobs/JobStore.h"
#include "jobs/Scheduler.h"
#include "jobs/TemplateCatalog.h"

#include <QFile>

namespace clusterra::server {

// The job routes' logic: submit (raw v0.0.44 or template), list, get, cancel, read output.
class JobService {
public:
    JobService(JobStore &jobs, ClusterService &clusters, Scheduler &scheduler,
               const TemplateCatalog &templates, EventLog &events);

    // Answers through `done`: at once for the local queue, once Slurm has answered otherwise.
    void submit(const Principal &who, const ClusterRecord &cluster, const nlohmann::json &body,
                http::Reply done);
    nlohmann::json list(const ClusterRecord &cluster, const http::Request &request,
                        ApiError *error);
    std::optional<JobRecord> find(const ClusterRecord &cluster, const QString &jobId,
                                  ApiError *error);
    void cancel(const Principal &who, const ClusterRecord &cluster, const QString &jobId,
                http::Reply done);
    // Opens the job's output file for reading (see openJobOutput); false when there is none
    // yet or it is not the job's to show.
    bool openOutput(const JobRecord &job, QFile *file) const;
    // Opens the output and says where the job's own bytes start in it (after an earlier run's,
    // or after what an appending job found); records a truncation or replacement it notices.
    // False also while the file holds only an earlier run's bytes.
    bool openOwnOutput(const JobRecord &job, QFile *file, OutputWindow *window) const;
    // A job's script, environment and output are its owner's alone, as the user's files are;
    // an administrator may still cancel it (quotas do, through the same route).
    static bool mayInspect(const Principal &who, const JobRecord &job);
    static bool mayControl(const Principal &who, const JobRecord &job);

private:
    void submitChecked(const Principal &who, const ClusterRecord &cluster,
                       const nlohmann::json &body, ApiError *error, const http::Reply &done);

    JobStore &m_jobs;
    ClusterService &m_clusters;
    Scheduler &m_scheduler;
    const TemplateCatalog &m_templates;
    EventLog &m_events;
};

} // namespace clusterra::server
