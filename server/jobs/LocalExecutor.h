#pragma once

#include "jobs/JobStore.h"
#include "jobs/Scheduler.h"

#include <QTimer>

namespace clusterra::server {

class ClusterService;

struct ExecutorSettings {
    QString dataDir;
    QString runnerProgram; // this server's binary, run as `--run-job SPEC`
    int pollMs = 200;
    int killGraceMs = 5000; // SIGTERM, then SIGKILL after this long (Slurm's KillWait)
};

// Runs jobs as real processes of the server's user on this machine. Strict priority order
// per cluster (no backfill): the first job that does not fit waits with reason Resources,
// the ones behind it with Priority. Jobs run under a detached runner, so a server restart
// leaves them running; the next server picks them up from their pid and status files.
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

private:
    QString outputPathFor(const JobRecord &job, const JobRequest &request) const;
    void cancelNow(qint64 jobId, const QString &actor);
    void tick();
    void schedule();
    void scheduleCluster(const ClusterRecord &cluster);
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
};

} // namespace clusterra::server
