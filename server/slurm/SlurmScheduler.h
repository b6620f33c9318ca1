#pragma once

#include "core/slurm/SlurmDialect.h"
#include "server/auth/Principal.h"
#include "server/jobs/Scheduler.h"
#include "server/slurm/SlurmRestClient.h"

#include <QNetworkAccessManager>
#include <QTimer>
#include <map>
#include <memory>

namespace clusterra::server {

class ClusterService;

struct SlurmSettings {
    int pollMs = 1000;       // job states, while the cluster has jobs in flight
    int inventoryMs = 10000; // nodes and partitions; also the idle job poll
    int minUid = 1000;       // per_user mapping never runs anyone as an account below this
};

// Hands a cluster's jobs to an existing Slurm through slurmrestd. Slurm decides where and when
// jobs run; this server keeps its own row of every job it submitted (Slurm forgets finished
// jobs after MinJobAge) and moves it along as Slurm reports. Submissions and cancels answer
// once slurmrestd has, so Slurm's own refusals reach the user.
class SlurmScheduler : public Scheduler {
    Q_OBJECT
public:
    using Connected = std::function<void(const QString &problem, const QList<NodeRecord> &nodes)>;

    SlurmScheduler(JobStore &jobs, ClusterService &clusters, SlurmSettings settings,
                   QObject *parent = nullptr);
    ~SlurmScheduler() override;

    // Finds an API version slurmrestd speaks, reads partitions and nodes, then keeps polling.
    void connectCluster(const ClusterRecord &cluster, Connected done);

    std::optional<ApiError> admit(const ClusterRecord &cluster, const QList<NodeRecord> &nodes,
                                  const JobRequest &request) override;
    void submit(const ClusterRecord &cluster, const JobRequest &request, const JobRecord &base,
                SubmitDone done) override;
    void cancel(const JobRecord &job, const QString &actor, CancelDone done) override;
    int activeJobs(const QString &clusterId) override;
    // The Slurm job's Linux user on this host: its output on the shared filesystem must be
    // theirs (-1, which no file has, when that account is unknown here).
    std::optional<qint64> outputOwner(const JobRecord &job) const override;
    void resume() override;
    // Who a Slurm account is here (per_user mapping), for jobs found in the queue that were
    // submitted outside this server; none: only administrators act on them.
    using AccountOwner = std::function<std::optional<Principal>(const QString &account)>;
    void setAccountOwner(AccountOwner owner) { m_accountOwner = std::move(owner); }

private:
    struct Connection;

    Connection *connection(const QString &clusterId);
    void probe(Connection *c, QStringList versions, Connected done);
    void checkActsForOthers(Connection *c, const QString &version, Connected done);
    void refreshInventory(Connection *c, Connected done);
    void tick(Connection *c);
    void pollJobs(Connection *c);
    void applyJobs(Connection *c, const SlurmReply &reply, qint64 askedAtMs);
    bool needsRow(Connection *c, const SlurmJobInfo &info, QSet<qint64> &activeIds,
                  QList<JobRecord> &active);
    // Whether the job's state moved (which changes what its nodes have allocated).
    bool update(const Connection &c, JobRecord &job, const SlurmJobInfo &info);
    bool addArrayTask(Connection *c, const SlurmJobInfo &info);
    void adopt(Connection *c, const SlurmJobInfo &info);
    void confirmGone(Connection *c, qint64 jobId);
    void lost(Connection *c, const QString &problem);
    // Who a request about the job acts as (per_user: the submitter's account; shared: the
    // cluster's user_name).
    QString userFor(const Connection &c, const JobRecord &job) const;
    // Who the job runs as in Slurm: userFor, or its own Slurm user for a job from outside.
    QString slurmUserOf(const Connection &c, const JobRecord &job) const;
    ApiError checkActingUser(const Connection &c, const JobRecord &job, const QString &user,
                             const QString &outcome) const;

    JobStore &m_jobs;
    ClusterService &m_clusters;
    SlurmSettings m_settings;
    QNetworkAccessManager m_nam;
    std::map<QString, std::unique_ptr<Connection>> m_connections;
    AccountOwner m_accountOwner;
    QHash<QString, int> m_submitting; // per cluster: submits slurmrestd has not answered yet
};

// Registers an existing Slurm cluster: ready once slurmrestd answers with its inventory.
class SlurmProvider : public ClusterProvider {
    Q_OBJECT
public:
    explicit SlurmProvider(SlurmScheduler &scheduler, QObject *parent = nullptr);
    void deploy(const ClusterRecord &cluster) override;

private:
    SlurmScheduler &m_scheduler;
};

} // namespace clusterra::server
