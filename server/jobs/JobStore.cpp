#include "server/jobs/JobStore.h"

#include "core/util/Json.h"
#include "core/util/Time.h"

#include <QSqlRecord>

namespace clusterra::server {

namespace {
const QString kColumns = QStringLiteral(
    "job_id, cluster_id, name, user_email, user_id, uid, partition, state, reason, exit_code, "
    "exit_signal, priority, tasks, cpus_per_task, nodes_min, nodes_max, memory_mb, gpus, "
    "time_limit_min, submit_time, start_time, end_time, updated_at, node_list, work_dir, "
    "output_path, array_job_id, array_task_id, array_max_concurrent, request, runner_pid, "
    "job_pid, cancel_requested_at, kill_deadline, scheduler_job_id, linux_user, output_origin, "
    "submitted_outside, array_task_string");

QVariant opt(const std::optional<qint64> &v) {
    return v ? QVariant(*v) : QVariant();
}
QVariant opt(const std::optional<int> &v) {
    return v ? QVariant(*v) : QVariant();
}

template <typename T> std::optional<T> optValue(const QVariant &v) {
    if (v.isNull())
        return std::nullopt;
    return T(v.toLongLong());
}

JobRecord fromQuery(const QSqlQuery &q) {
    JobRecord j;
    int i = 0;
    j.jobId = q.value(i++).toLongLong();
    j.clusterId = q.value(i++).toString();
    j.name = q.value(i++).toString();
    j.userEmail = q.value(i++).toString();
    j.userId = q.value(i++).toLongLong();
    j.uid = q.value(i++).toLongLong();
    j.partition = q.value(i++).toString();
    j.state = jobStateFromName(q.value(i++).toString());
    j.reason = q.value(i++).toString();
    j.exitCode = optValue<int>(q.value(i++));
    j.exitSignal = optValue<int>(q.value(i++));
    j.priority = q.value(i++).toLongLong();
    j.tasks = q.value(i++).toInt();
    j.cpusPerTask = q.value(i++).toInt();
    j.nodesMin = q.value(i++).toInt();
    j.nodesMax = q.value(i++).toInt();
    j.memoryMb = q.value(i++).toLongLong();
    j.gpus = q.value(i++).toInt();
    j.timeLimitMin = optValue<qint64>(q.value(i++));
    j.submitTime = q.value(i++).toLongLong();
    j.startTime = optValue<qint64>(q.value(i++));
    j.endTime = optValue<qint64>(q.value(i++));
    j.updatedAt = q.value(i++).toLongLong();
    j.nodeList = q.value(i++).toString();
    j.workDir = q.value(i++).toString();
    j.outputPath = q.value(i++).toString();
    j.arrayJobId = optValue<qint64>(q.value(i++));
    j.arrayTaskId = optValue<int>(q.value(i++));
    j.arrayMaxConcurrent = q.value(i++).toInt();
    j.request = parseJson(q.value(i++).toString().toUtf8());
    j.runnerPid = optValue<qint64>(q.value(i++));
    j.jobPid = optValue<qint64>(q.value(i++));
    j.cancelRequestedAt = optValue<qint64>(q.value(i++));
    j.killDeadline = optValue<qint64>(q.value(i++));
    j.schedulerJobId = optValue<qint64>(q.value(i++));
    j.linuxUser = q.value(i++).toString();
    if (const QVariant origin = q.value(i++); !origin.isNull())
        j.outputOrigin = OutputOrigin::fromJson(parseJson(origin.toString().toUtf8()));
    j.submittedOutside = q.value(i++).toBool();
    j.arrayPendingTasks = q.value(i++).toString();
    return j;
}

nlohmann::json timeOrNull(const std::optional<qint64> &ms) {
    return ms ? nlohmann::json(toStd(toRfc3339(*ms))) : nlohmann::json();
}

} // namespace

nlohmann::json JobRecord::toJson(bool detailed) const {
    nlohmann::json j{
        {"job_id", publicId()},
        {"cluster_id", toStd(clusterId)},
        {"name", toStd(name)},
        // A job from outside with no console user is its Slurm user's, as squeue says.
        {"user", toStd(userEmail.isEmpty() ? linuxUser : userEmail)},
        {"uid", uid},
        {"partition", toStd(partition)},
        {"state", toStd(jobStateName(state))},
        {"state_reason", toStd(reason)},
        {"exit_code", exitCode ? nlohmann::json(*exitCode) : nlohmann::json()},
        {"exit_signal", exitSignal ? nlohmann::json(*exitSignal) : nlohmann::json()},
        {"priority", priority},
        {"tasks", tasks},
        {"cpus_per_task", cpusPerTask},
        {"cpus", cpus()},
        {"nodes", toStd(nodeList)},
        {"node_count", nodesMin},
        {"memory_mb", memoryMb},
        {"gpus", gpus},
        {"time_limit", timeLimitMin ? nlohmann::json(*timeLimitMin) : nlohmann::json()},
        {"submit_time", toStd(toRfc3339(submitTime))},
        {"start_time", timeOrNull(startTime)},
        {"end_time", timeOrNull(endTime)},
        {"updated_at", std::to_string(updatedAt)},
        {"array_job_id", arrayJobId ? nlohmann::json(*arrayJobId) : nlohmann::json()},
        {"array_task_id", arrayTaskId ? nlohmann::json(*arrayTaskId) : nlohmann::json()}};
    if (schedulerJobId) {
        j["slurm_job_id"] = *schedulerJobId;
        if (!linuxUser.isEmpty())
            j["slurm_user"] = toStd(linuxUser);
    }
    if (submittedOutside)
        j["submitted_outside"] = true;
    if (!arrayPendingTasks.isEmpty())
        j["array_task_string"] = toStd(arrayPendingTasks);
    if (detailed) {
        j["script"] = request.value("script", std::string());
        j["environment"] = request.value("environment", nlohmann::json::array());
        j["current_working_directory"] = toStd(workDir);
        j["standard_output"] = toStd(outputPath);
        j["request"] = request;
    }
    return j;
}

JobStore::JobStore(Database &db, EventLog &events, QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_events(events) {
    QSqlQuery q = m_db.exec(QStringLiteral("SELECT MAX(updated_at) FROM jobs"));
    if (q.next())
        m_lastStamp = q.value(0).toLongLong();
}

qint64 JobStore::stamp() {
    m_lastStamp = qMax(nowMs(), m_lastStamp + 1);
    return m_lastStamp;
}

qint64 JobStore::insert(JobRecord &job) {
    job.updatedAt = stamp();
    const QSqlQuery q = m_db.exec(
        QStringLiteral(
            "INSERT INTO jobs (cluster_id, name, user_email, user_id, uid, partition, "
            "state, reason, priority, tasks, cpus_per_task, nodes_min, nodes_max, "
            "memory_mb, gpus, time_limit_min, submit_time, updated_at, work_dir, "
            "output_path, array_job_id, array_task_id, array_max_concurrent, request, "
            "scheduler_job_id, node_list, start_time, linux_user, output_origin, "
            "submitted_outside, array_task_string) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        {job.clusterId,
         job.name,
         job.userEmail,
         job.userId,
         job.uid,
         job.partition,
         jobStateName(job.state),
         job.reason,
         job.priority,
         job.tasks,
         job.cpusPerTask,
         job.nodesMin,
         job.nodesMax,
         job.memoryMb,
         job.gpus,
         opt(job.timeLimitMin),
         job.submitTime,
         job.updatedAt,
         job.workDir,
         job.outputPath,
         opt(job.arrayJobId),
         opt(job.arrayTaskId),
         job.arrayMaxConcurrent,
         QString::fromUtf8(dumpJson(job.request)),
         opt(job.schedulerJobId),
         job.nodeList,
         opt(job.startTime),
         job.linuxUser,
         QString::fromUtf8(dumpJson(job.outputOrigin.toJson())),
         job.submittedOutside,
         job.arrayPendingTasks});
    job.jobId = q.lastInsertId().toLongLong();
    return job.jobId;
}

std::optional<JobRecord> JobStore::byPublicId(const QString &clusterId, qint64 publicId) {
    // Slurm's ids first (its index); a row of this server's own only where Slurm gave none,
    // so a Slurm job is never reachable by its internal row id.
    QSqlQuery q = m_db.exec(QStringLiteral("SELECT %1 FROM jobs WHERE cluster_id = ? AND "
                                           "scheduler_job_id = ? ORDER BY job_id DESC LIMIT 1")
                                .arg(kColumns),
                            {clusterId, publicId});
    if (q.next())
        return fromQuery(q);
    q = m_db.exec(QStringLiteral("SELECT %1 FROM jobs WHERE cluster_id = ? AND job_id = ? AND "
                                 "scheduler_job_id IS NULL")
                      .arg(kColumns),
                  {clusterId, publicId});
    if (q.next())
        return fromQuery(q);
    return std::nullopt;
}

QSet<qint64> JobStore::schedulerIds(const QString &clusterId) {
    QSqlQuery q = m_db.exec(QStringLiteral("SELECT scheduler_job_id FROM jobs WHERE cluster_id = ? "
                                           "AND scheduler_job_id IS NOT NULL"),
                            {clusterId});
    QSet<qint64> out;
    while (q.next())
        out.insert(q.value(0).toLongLong());
    return out;
}

std::optional<JobRecord> JobStore::get(qint64 jobId) {
    QSqlQuery q =
        m_db.exec(QStringLiteral("SELECT %1 FROM jobs WHERE job_id = ?").arg(kColumns), {jobId});
    if (!q.next())
        return std::nullopt;
    return fromQuery(q);
}

QList<JobRecord> JobStore::list(const JobQuery &query, qint64 *total) {
    QString where = QStringLiteral("cluster_id = ?");
    QVariantList binds{query.clusterId};
    if (!query.states.isEmpty()) {
        where +=
            QStringLiteral(" AND state IN (%1)").arg(Database::placeholders(query.states.size()));
        for (JobState s : query.states)
            binds << jobStateName(s);
    }
    if (!query.userEmail.isEmpty()) {
        where += QStringLiteral(" AND user_email = ?");
        binds << query.userEmail;
    }
    if (total) {
        QSqlQuery q(m_db.db());
        q.prepare(QStringLiteral("SELECT COUNT(*) FROM jobs WHERE ") + where);
        for (const auto &b : std::as_const(binds))
            q.addBindValue(b);
        q.exec();
        *total = q.next() ? q.value(0).toLongLong() : 0;
    }
    if (query.updatedSince) {
        where += QStringLiteral(" AND updated_at > ?");
        binds << *query.updatedSince;
    }
    QSqlQuery q(m_db.db());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM jobs WHERE %2 ORDER BY updated_at LIMIT ?")
                  .arg(kColumns, where));
    for (const auto &b : std::as_const(binds))
        q.addBindValue(b);
    q.addBindValue(query.limit);
    if (!q.exec())
        Database::fail(q);
    QList<JobRecord> out;
    while (q.next())
        out.append(fromQuery(q));
    return out;
}

QList<JobRecord> JobStore::withStates(const QList<JobState> &states, const QString &clusterId) {
    QString sql = QStringLiteral("SELECT %1 FROM jobs WHERE state IN (%2)")
                      .arg(kColumns, Database::placeholders(states.size()));
    if (!clusterId.isEmpty())
        sql += QStringLiteral(" AND cluster_id = ?");
    sql += QStringLiteral(" ORDER BY priority DESC, job_id");
    QSqlQuery q(m_db.db());
    q.prepare(sql);
    for (JobState s : states)
        q.addBindValue(jobStateName(s));
    if (!clusterId.isEmpty())
        q.addBindValue(clusterId);
    q.exec();
    QList<JobRecord> out;
    while (q.next())
        out.append(fromQuery(q));
    return out;
}

void JobStore::forEachQueued(const QString &clusterId,
                             const std::function<bool(const QueuedJob &)> &visit) {
    QSqlQuery q(m_db.db());
    q.setForwardOnly(true); // rows are stepped as they are read, never all cached
    q.prepare(QStringLiteral("SELECT job_id, priority, tasks * cpus_per_task, memory_mb, "
                             "array_job_id, array_max_concurrent, reason FROM jobs WHERE "
                             "cluster_id = ? AND state = ? ORDER BY priority DESC, job_id"));
    q.addBindValue(clusterId);
    q.addBindValue(jobStateName(JobState::Pending));
    if (!q.exec())
        Database::fail(q);
    while (q.next()) {
        QueuedJob job;
        job.jobId = q.value(0).toLongLong();
        job.priority = q.value(1).toLongLong();
        job.cpus = q.value(2).toInt();
        job.memoryMb = q.value(3).toLongLong();
        if (!q.value(4).isNull())
            job.arrayJobId = q.value(4).toLongLong();
        job.arrayMaxConcurrent = q.value(5).toInt();
        job.reason = q.value(6).toString();
        if (!visit(job))
            break;
    }
}

QStringList JobStore::clustersWithState(JobState state) {
    QSqlQuery q = m_db.exec(QStringLiteral("SELECT DISTINCT cluster_id FROM jobs WHERE state = ?"),
                            {jobStateName(state)});
    QStringList out;
    while (q.next())
        out << q.value(0).toString();
    return out;
}

QList<qint64> JobStore::pendingWithReason(const QString &clusterId, const QStringList &reasons) {
    QSqlQuery q(m_db.db());
    q.prepare(QStringLiteral("SELECT job_id FROM jobs WHERE cluster_id = ? AND state = ? AND "
                             "reason IN (%1) ORDER BY job_id")
                  .arg(Database::placeholders(reasons.size())));
    q.addBindValue(clusterId);
    q.addBindValue(jobStateName(JobState::Pending));
    for (const QString &r : reasons)
        q.addBindValue(r);
    if (!q.exec())
        Database::fail(q);
    QList<qint64> out;
    while (q.next())
        out << q.value(0).toLongLong();
    return out;
}

void JobStore::setReason(qint64 jobId, const QString &reason) {
    m_db.exec(QStringLiteral("UPDATE jobs SET reason = ?, updated_at = ? WHERE job_id = ?"),
              {reason, stamp(), jobId});
    Q_EMIT jobChanged(jobId, JobState::Pending);
}

int JobStore::countInStates(const QString &clusterId, const QList<JobState> &states) {
    QSqlQuery q(m_db.db());
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM jobs WHERE cluster_id = ? AND state IN (%1)")
                  .arg(Database::placeholders(states.size())));
    q.addBindValue(clusterId);
    for (JobState s : states)
        q.addBindValue(jobStateName(s));
    q.exec();
    return q.next() ? q.value(0).toInt() : 0;
}

QHash<QString, QHash<JobState, int>> JobStore::stateCounts(const QStringList &clusterIds) {
    QHash<QString, QHash<JobState, int>> out;
    if (clusterIds.isEmpty())
        return out;
    QSqlQuery q(m_db.db());
    q.prepare(QStringLiteral("SELECT cluster_id, state, COUNT(*) FROM jobs WHERE cluster_id IN "
                             "(%1) GROUP BY cluster_id, state")
                  .arg(Database::placeholders(clusterIds.size())));
    for (const QString &id : clusterIds)
        q.addBindValue(id);
    if (!q.exec())
        Database::fail(q);
    while (q.next())
        out[q.value(0).toString()][jobStateFromName(q.value(1).toString())] += q.value(2).toInt();
    return out;
}

void JobStore::save(JobRecord &job) {
    job.updatedAt = stamp();
    m_db.exec(
        QStringLiteral("UPDATE jobs SET state = ?, reason = ?, exit_code = ?, exit_signal = ?, "
                       "start_time = ?, end_time = ?, updated_at = ?, node_list = ?, "
                       "runner_pid = ?, job_pid = ?, cancel_requested_at = ?, kill_deadline = ?, "
                       "output_path = ?, priority = ?, array_task_id = ?, array_task_string = ? "
                       "WHERE job_id = ?"),
        {jobStateName(job.state), job.reason, opt(job.exitCode), opt(job.exitSignal),
         opt(job.startTime), opt(job.endTime), job.updatedAt, job.nodeList, opt(job.runnerPid),
         opt(job.jobPid), opt(job.cancelRequestedAt), opt(job.killDeadline), job.outputPath,
         job.priority, opt(job.arrayTaskId), job.arrayPendingTasks, job.jobId});
    Q_EMIT jobChanged(job.jobId, job.state);
}

void JobStore::saveSubmitDetails(const JobRecord &job) {
    m_db.exec(
        QStringLiteral("UPDATE jobs SET output_path = ?, array_job_id = ?, array_task_id = ?, "
                       "output_origin = ? WHERE job_id = ?"),
        {job.outputPath, opt(job.arrayJobId), opt(job.arrayTaskId),
         QString::fromUtf8(dumpJson(job.outputOrigin.toJson())), job.jobId});
}

void JobStore::setOutputOrigin(qint64 jobId, const OutputOrigin &origin) {
    m_db.exec(QStringLiteral("UPDATE jobs SET output_origin = ? WHERE job_id = ?"),
              {QString::fromUtf8(dumpJson(origin.toJson())), jobId});
}

void JobStore::transition(JobRecord &job, JobState from, const QString &actor) {
    save(job);
    if (job.state == from)
        return;
    QString message = QStringLiteral("Job %1 (%2) %3 → %4")
                          .arg(job.publicId())
                          .arg(job.name, jobStateName(from), jobStateName(job.state));
    if (!job.reason.isEmpty() && job.reason != QLatin1String("None") &&
        job.state != JobState::Running)
        message += QStringLiteral(": ") + job.reason;
    if (job.exitCode && isFinished(job.state))
        message += QStringLiteral(" (exit code %1)").arg(*job.exitCode);
    const bool bad = stateFilterOf(job.state) == StateFilter::Failed;
    m_events.append(job.clusterId, QStringLiteral("job.state_changed"),
                    bad ? QStringLiteral("warning") : QStringLiteral("info"), message, actor,
                    {{"job_id", job.publicId()},
                     {"from", toStd(jobStateName(from))},
                     {"to", toStd(jobStateName(job.state))},
                     {"reason", toStd(job.reason)}});
}

void JobStore::removeCluster(const QString &clusterId) {
    m_db.exec(QStringLiteral("DELETE FROM jobs WHERE cluster_id = ?"), {clusterId});
}

} // namespace clusterra::server
