#pragma once

#include "core/base/Done.h"
#include "server/clusters/ClusterService.h"
#include "server/jobs/JobStore.h"
#include "server/jobs/Scheduler.h"
#include "server/jobs/TemplateCatalog.h"

#include <QFile>

namespace clusterra::server {

struct SubmitResult {
    qint64 jobId = 0;          // the first (or only) job's public id
    QStringList warnings;      // accepted, but worth telling the user (ignored keys)
    QList<qint64> arrayJobIds; // every task's id, when the server split an array itself
};

struct CancelResult {
    qint64 jobId = 0;
    JobState state = JobState::Unknown;
    bool cancelled = false; // false: it had already finished
    QString message;
};

// One page of a cluster's jobs in updated_at order; `cursor` resumes after its last row.
struct JobPage {
    QList<JobRecord> jobs;
    qint64 total = 0;
    qint64 cursor = 0;
    bool hasMore = false;
};

// Jobs: submit (raw v0.0.44 or template), list, find, cancel, read output. Every call checks
// who may do it (their organisation's cluster; a job's details and output are its owner's,
// cancelling is its owner's or an administrator's), whoever calls: routes or the agent.
class JobService {
public:
    JobService(JobStore &jobs, ClusterService &clusters, Scheduler &scheduler,
               const TemplateCatalog &templates, EventLog &events);

    // Answers through `done`: at once for the local queue, once Slurm has answered otherwise.
    void submit(const Principal &who, const ClusterRecord &cluster, const nlohmann::json &body,
                Done<SubmitResult> done);
    // `query.clusterId` is the cluster's; limit 1..100000.
    JobPage list(const Principal &who, const ClusterRecord &cluster, JobQuery query,
                 ApiError *error);
    std::optional<JobRecord> find(const Principal &who, const ClusterRecord &cluster,
                                  const QString &jobId, ApiError *error);
    // The job when `who` may read its script, environment and output (its owner).
    std::optional<JobRecord> findInspectable(const Principal &who, const ClusterRecord &cluster,
                                             const QString &jobId, ApiError *error);
    void cancel(const Principal &who, const ClusterRecord &cluster, const QString &jobId,
                Done<CancelResult> done);
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
                       const nlohmann::json &body, ApiError *error, const Done<SubmitResult> &done);
    std::optional<JobRecord> findIn(const ClusterRecord &cluster, const QString &jobId,
                                    ApiError *error);

    JobStore &m_jobs;
    ClusterService &m_clusters;
    Scheduler &m_scheduler;
    const TemplateCatalog &m_templates;
    EventLog &m_events;
};

} // namespace clusterra::server
