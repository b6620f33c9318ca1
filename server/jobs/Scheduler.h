#pragma once

#include "core/base/ApiError.h"
#include "core/slurm/JobSubmit.h"
#include "server/clusters/ClusterProvider.h"
#include "server/jobs/JobStore.h"

#include <QObject>
#include <functional>
#include <optional>

namespace clusterra::server {

class ClusterService;

struct SubmitOutcome {
    QList<qint64> jobIds; // public ids (JobRecord::publicId), one per array task; empty: refused
    ApiError error;
};
using SubmitDone = std::function<void(const SubmitOutcome &)>;
using CancelDone = std::function<void(const ApiError &)>;

// Runs a cluster's jobs. The store's rows are the truth; a scheduler moves them through
// PENDING -> RUNNING -> a final state. Implementations: the local executor, slurmrestd.
class Scheduler : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    // Refuses at submit time a job that could never run here (too big for every node...).
    virtual std::optional<ApiError> admit(const ClusterRecord &cluster,
                                          const QList<NodeRecord> &nodes,
                                          const JobRequest &request) = 0;
    // Records a validated job (one row per array task, filled from `base`) and queues it.
    // `done` may run before this returns (a local queue) or later (a remote scheduler).
    virtual void submit(const ClusterRecord &cluster, const JobRequest &request,
                        const JobRecord &base, SubmitDone done) = 0;
    // Pending jobs end CANCELLED; running ones are signalled and end when they exit.
    virtual void cancel(const JobRecord &job, const QString &actor, CancelDone done) = 0;
    // Jobs not yet in a final state.
    virtual int activeJobs(const QString &clusterId) = 0;
    // Picks up the jobs a previous server process left running.
    virtual void resume() = 0;
    // The uid a job's output file must belong to; nullopt when this scheduler cannot tell
    // (then only the file type is checked).
    virtual std::optional<qint64> outputOwner(const JobRecord &) const { return std::nullopt; }
};

// Sends each cluster's calls to the scheduler of its provider ("local", "slurm").
class SchedulerRouter : public Scheduler {
    Q_OBJECT
public:
    explicit SchedulerRouter(ClusterService &clusters, QObject *parent = nullptr);
    void add(const QString &provider, Scheduler *scheduler);

    std::optional<ApiError> admit(const ClusterRecord &cluster, const QList<NodeRecord> &nodes,
                                  const JobRequest &request) override;
    void submit(const ClusterRecord &cluster, const JobRequest &request, const JobRecord &base,
                SubmitDone done) override;
    void cancel(const JobRecord &job, const QString &actor, CancelDone done) override;
    std::optional<qint64> outputOwner(const JobRecord &job) const override;
    int activeJobs(const QString &clusterId) override;
    void resume() override;

private:
    Scheduler *forCluster(const QString &clusterId);

    ClusterService &m_clusters;
    QHash<QString, Scheduler *> m_byProvider;
    QList<Scheduler *> m_all;
};

} // namespace clusterra::server
