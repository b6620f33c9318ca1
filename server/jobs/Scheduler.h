#pragma once

#include "api/ApiError.h"
#include "clusters/ClusterProvider.h"
#include "slurm/JobSubmit.h"

#include <QObject>
#include <optional>

namespace clusterra::server {

// Runs a cluster's jobs. The store's rows are the truth; a scheduler moves them through
// PENDING -> RUNNING -> a final state. Implementations: the local executor; slurmrestd later.
class Scheduler : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    // Refuses at submit time a job that could never run here (too big for every node...).
    virtual std::optional<ApiError> admit(const ClusterRecord &cluster,
                                          const QList<NodeRecord> &nodes,
                                          const JobRequest &request) = 0;
    // New PENDING rows exist for the cluster.
    virtual void jobsQueued(const QString &clusterId) = 0;
    // Pending jobs end CANCELLED at once; running ones are signalled and end when they exit.
    virtual void cancel(qint64 jobId, const QString &actor) = 0;
    // Jobs not yet in a final state.
    virtual int activeJobs(const QString &clusterId) = 0;
    // Picks up the jobs a previous server process left running.
    virtual void resume() = 0;
};

} // namespace clusterra::server
