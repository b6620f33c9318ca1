#pragma once

#include "core/base/JobState.h"
#include "server/events/EventLog.h"
#include "server/jobs/OutputOrigin.h"
#include "server/store/Database.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <functional>
#include <optional>

namespace clusterra::server {

struct JobRecord {
    qint64 jobId = 0;
    QString clusterId;
    QString name;
    QString userEmail;
    qint64 userId = 0;
    qint64 uid = 0;
    QString linuxUser; // the Slurm account it was submitted as (per_user mapping)
    QString partition;
    JobState state = JobState::Pending;
    QString reason;
    std::optional<int> exitCode;
    std::optional<int> exitSignal;
    qint64 priority = 1;
    int tasks = 1;
    int cpusPerTask = 1;
    int nodesMin = 1;
    int nodesMax = 1;
    qint64 memoryMb = 0; // per node, resolved
    int gpus = 0;
    std::optional<qint64> timeLimitMin; // nullopt = unlimited
    qint64 submitTime = 0;
    std::optional<qint64> startTime;
    std::optional<qint64> endTime;
    qint64 updatedAt = 0;
    QString nodeList;
    QString workDir;
    QString outputPath;
    OutputOrigin outputOrigin; // where this job's bytes start in outputPath
    std::optional<qint64> arrayJobId;
    std::optional<int> arrayTaskId;
    int arrayMaxConcurrent = 0;
    // A Slurm array's own row: the tasks still pending in it, as Slurm writes them ("5-9%2");
    // empty once they have all started (the row is then the array's last task).
    QString arrayPendingTasks;
    nlohmann::json request; // canonical v0.0.44 job object: script, environment, ...
    std::optional<qint64> runnerPid;
    std::optional<qint64> jobPid;
    std::optional<qint64> cancelRequestedAt;
    std::optional<qint64> killDeadline;
    std::optional<qint64> schedulerJobId; // the id in Slurm, for Slurm-backed clusters
    bool submittedOutside = false; // found in Slurm's queue, not submitted through this server

    int cpus() const { return tasks * cpusPerTask; }
    // The id the API and the console show: Slurm's own on a Slurm-backed cluster (so squeue,
    // sacct and scontrol agree with the console), this server's row id otherwise.
    qint64 publicId() const { return schedulerJobId.value_or(jobId); }
    // `detailed` adds the script and the environment: only for the owner or an admin.
    nlohmann::json toJson(bool detailed) const;
};

struct JobQuery {
    QString clusterId;
    QList<JobState> states; // empty = all
    QString userEmail;
    std::optional<qint64> updatedSince;
    int limit = 5000;
};

// The jobs table. Every write stamps a strictly increasing updated_at, so `updated_since`
// paging is exact, and every state change becomes an event.
// A pending job as a scheduler weighs it: what it needs and where it stands, not its request.
struct QueuedJob {
    qint64 jobId = 0;
    qint64 priority = 0;
    int cpus = 1;
    qint64 memoryMb = 0;
    std::optional<qint64> arrayJobId;
    int arrayMaxConcurrent = 0;
    QString reason;
};

class JobStore : public QObject {
    Q_OBJECT
public:
    JobStore(Database &db, EventLog &events, QObject *parent = nullptr);

    qint64 insert(JobRecord &job); // sets jobId and updatedAt
    std::optional<JobRecord> get(qint64 jobId);
    // The job a cluster's API id names (see publicId); after Slurm reused an id, the newest.
    std::optional<JobRecord> byPublicId(const QString &clusterId, qint64 publicId);
    // Every Slurm id a cluster's rows hold.
    QSet<qint64> schedulerIds(const QString &clusterId);
    QList<JobRecord> list(const JobQuery &query, qint64 *total);
    QList<JobRecord> withStates(const QList<JobState> &states, const QString &clusterId = {});
    // A cluster's pending jobs in scheduling order (priority, then age), read one at a time
    // until `visit` returns false: a scheduler that stops at the first job that cannot start
    // reads no further, however deep the queue.
    void forEachQueued(const QString &clusterId,
                       const std::function<bool(const QueuedJob &)> &visit);
    // The clusters that have jobs in `state`.
    QStringList clustersWithState(JobState state);
    // The pending jobs of a cluster whose reason is one of `reasons`.
    QList<qint64> pendingWithReason(const QString &clusterId, const QStringList &reasons);
    void setReason(qint64 jobId, const QString &reason);
    int countInStates(const QString &clusterId, const QList<JobState> &states);
    // Each listed cluster's jobs counted by state, in one query (clusters without jobs absent).
    QHash<QString, QHash<JobState, int>> stateCounts(const QStringList &clusterIds);

    void save(JobRecord &job);
    // The fields known only once the id is: output path and array ids.
    void saveSubmitDetails(const JobRecord &job);
    // The output was found truncated or replaced: the job's bytes start elsewhere now.
    void setOutputOrigin(qint64 jobId, const OutputOrigin &origin);
    Database::Transaction transaction() { return Database::Transaction(m_db); }
    // Saves and records the change as an event when the state differs from `from`.
    void transition(JobRecord &job, JobState from, const QString &actor = {});
    void removeCluster(const QString &clusterId);

    qint64 stamp();

Q_SIGNALS:
    void jobChanged(qint64 jobId, clusterra::JobState state);

private:
    Database &m_db;
    EventLog &m_events;
    qint64 m_lastStamp = 0;
};

} // namespace clusterra::server
