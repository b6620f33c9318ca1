#pragma once

#include "server/jobs/JobAreas.h"
#include "server/jobs/JobStore.h"
#include "server/jobs/Scheduler.h"

#include <QElapsedTimer>
#include <QHash>
#include <QTimer>

namespace clusterra::server {

class ClusterService;

struct ExecutorSettings {
    QString dataDir;
    QString runnerProgram; // this server's binary, run as `--run-job SPEC`
    int pollMs = 200;
    int killGraceMs = 5000; // SIGTERM, then SIGKILL after this long (Slurm's KillWait)
    // Each job runs as its owner's uid (gid = uid) with a home under homesDir; needs root.
    bool perUserAccounts = false;
    QString homesDir;
    QStringList scratchDirs{QStringLiteral("/tmp")}; // shared areas any job may write to
};

// Runs jobs as real processes on this machine: as each owner's own account when
// perUserAccounts is set, else as the server's user (local single-user mode). Either way a job
// starts with only its own environment, none of the server's descriptors, and output paths
// inside its owner's areas (JobAreas). Strict priority order
// per cluster (no backfill): the first job that does not fit waits with reason Resources,
// the ones behind it with Priority; a queue is read only up to that first job, and a submit
// behind it reads nothing, so the cost of a submit does not grow with the queue. Only clusters
// of the "local" provider are run here: a Slurm-backed cluster's jobs are Slurm's. Jobs run under a
// detached runner, so a server restart leaves them running; the next server picks them up from
// their pid and status files.
class LocalExecutor : public Scheduler {
    Q_OBJECT
public:
    LocalExecutor(JobStore &jobs, ClusterService &clusters, ExecutorSettings settings,
                  QObject *parent = nullptr);

    std::optional<ApiError> admit(const ClusterRecord &cluster, const QList<NodeRecord> &nodes,
                                  const JobRequest &request) override;
    void submit(const ClusterRecord &cluster, const JobRequest &request, const JobRecord &base,
                SubmitDone done) override;
    void cancel(const JobRecord &job, const QString &actor, CancelDone done) override;
    int activeJobs(const QString &clusterId) override;
    void resume() override;

    QString jobDir(qint64 jobId) const;
    JobAreas areasFor(qint64 uid) const;
    // The uid whose files a job's output must be.
    std::optional<qint64> outputOwner(const JobRecord &job) const override;

private:
    // `pattern` expanded for `job` and resolved in its owner's areas; empty when outside them.
    QString resolvedPath(const QString &pattern, const JobRecord &job) const;
    QString outputPathFor(const JobRecord &job, const JobRequest &request) const;
    std::optional<ApiError> checkPaths(const JobRequest &request, const JobRecord &base) const;
    bool prepareHome(const JobRecord &job) const;
    void cancelNow(qint64 jobId, const QString &actor);
    void tick();
    // Something freed or changed what jobs can have: every queue is weighed again.
    void needSchedule();
    void schedule();
    void scheduleCluster(const ClusterRecord &cluster);
    // Whether a cluster is one this executor runs (not one Slurm runs).
    static bool runs(const ClusterRecord &cluster);
    bool runsCluster(const QString &clusterId);
    bool launch(JobRecord &job, const ClusterRecord &cluster, const NodeRecord &node);
    void watch(JobRecord &job);
    void finish(JobRecord &job, int waitStatus);
    void signalJob(const JobRecord &job, int signal);
    QStringList environmentFor(const JobRecord &job, const ClusterRecord &cluster,
                               const NodeRecord &node) const;

    JobStore &m_jobs;
    ClusterService &m_clusters;
    ExecutorSettings m_settings;
    QTimer m_timer;
    bool m_scheduleNeeded = true;
    // Clusters whose queue head cannot start, by that job: until something frees resources,
    // a job submitted behind it (no higher priority) waits without the queue being read.
    struct Blocker {
        qint64 priority = 0;
        qint64 jobId = 0;
    };
    QHash<QString, Blocker> m_blocked;
    QElapsedTimer m_sinceSchedule;
};

} // namespace clusterra::server
