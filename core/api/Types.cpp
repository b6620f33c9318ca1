#include "core/api/Types.h"

#include "core/util/Json.h"
#include "core/util/Time.h"

namespace clusterra {

namespace {
std::optional<qint64> timeMember(const nlohmann::json &j, const char *key) {
    const QString text = stringOr(j, key);
    return text.isEmpty() ? std::nullopt : parseTimestampMs(text);
}

template <typename T> std::optional<T> optInt(const nlohmann::json &j, const char *key) {
    const auto v = intMember(j, key);
    return v ? std::optional<T>(T(*v)) : std::nullopt;
}
} // namespace

UserInfo UserInfo::fromJson(const nlohmann::json &j) {
    return {intMember(j, "id").value_or(0), stringOr(j, "email"), stringOr(j, "role"),
            stringOr(j, "org")};
}

PartitionInfo PartitionInfo::fromJson(const nlohmann::json &j) {
    PartitionInfo p;
    p.name = stringOr(j, "name");
    p.nodeType = stringOr(j, "node_type");
    p.minNodes = int(intMember(j, "min_node_count").value_or(0));
    p.maxNodes = int(intMember(j, "max_node_count").value_or(0));
    p.isDefault = boolOr(j, "is_default", false);
    p.state = stringOr(j, "state");
    p.totalNodes = int(intMember(j, "total_nodes").value_or(0));
    p.totalCpus = int(intMember(j, "total_cpus").value_or(0));
    p.availNodes = int(intMember(j, "avail_nodes").value_or(p.totalNodes));
    p.defaultTimeMinutes = intMember(j, "default_time");
    p.maxTimeMinutes = intMember(j, "max_time");
    return p;
}

ClusterInfo ClusterInfo::fromJson(const nlohmann::json &j) {
    ClusterInfo c;
    c.id = stringOr(j, "id");
    c.name = stringOr(j, "name");
    c.provider = stringOr(j, "provider");
    c.state = stringOr(j, "state");
    c.stateReason = stringOr(j, "state_reason");
    c.connectionState = stringOr(j, "connection_state");
    c.description = stringOr(j, "description");
    c.defaultPartition = stringOr(j, "default_partition");
    for (const auto &p : arrayMember(j, "partitions"))
        c.partitions.append(PartitionInfo::fromJson(p));
    c.deletionProtection = boolOr(j, "deletion_protection", false);
    const auto counts = objectMember(j, "counts");
    c.nodes = int(intMember(counts, "nodes").value_or(0));
    c.idleNodes = int(intMember(counts, "idle_nodes").value_or(0));
    c.cpus = int(intMember(counts, "cpus").value_or(0));
    c.allocCpus = int(intMember(counts, "alloc_cpus").value_or(0));
    c.gpus = int(intMember(counts, "gpus").value_or(0));
    c.allocGpus = int(intMember(counts, "alloc_gpus").value_or(0));
    c.memoryMb = intMember(counts, "memory_mb").value_or(0);
    c.allocMemoryMb = intMember(counts, "alloc_memory_mb").value_or(0);
    c.jobsRunning = int(intMember(counts, "jobs_running").value_or(0));
    c.jobsPending = int(intMember(counts, "jobs_pending").value_or(0));
    c.secret = stringOr(j, "secret");
    return c;
}

ProviderInfo ProviderInfo::fromJson(const nlohmann::json &j) {
    ProviderInfo p;
    p.name = stringOr(j, "name");
    p.available = boolOr(j, "available", true);
    p.reason = stringOr(j, "reason");
    return p;
}

NodeInfo NodeInfo::fromJson(const nlohmann::json &j) {
    NodeInfo n;
    n.name = stringOr(j, "name");
    n.state = stringOr(j, "state");
    n.cpus = int(intMember(j, "cpus").value_or(0));
    n.allocCpus = int(intMember(j, "alloc_cpus").value_or(0));
    n.memoryMb = intMember(j, "memory_mb").value_or(0);
    n.gpus = int(intMember(j, "gpus").value_or(0));
    n.nodeType = stringOr(j, "node_type");
    n.reason = stringOr(j, "reason");
    n.allocMemoryMb = intMember(j, "alloc_memory_mb").value_or(0);
    n.allocGpus = int(intMember(j, "alloc_gpus").value_or(0));
    return n;
}

JobInfo JobInfo::fromJson(const nlohmann::json &j) {
    JobInfo job;
    job.jobId = intMember(j, "job_id").value_or(0);
    job.clusterId = stringOr(j, "cluster_id");
    job.name = stringOr(j, "name");
    job.user = stringOr(j, "user");
    job.partition = stringOr(j, "partition");
    job.stateName = stringOr(j, "state");
    job.state = jobStateFromName(job.stateName);
    job.reason = stringOr(j, "state_reason");
    job.exitCode = optInt<int>(j, "exit_code");
    job.exitSignal = optInt<int>(j, "exit_signal");
    job.priority = intMember(j, "priority").value_or(0);
    job.tasks = int(intMember(j, "tasks").value_or(1));
    job.cpusPerTask = int(intMember(j, "cpus_per_task").value_or(1));
    job.cpus = int(intMember(j, "cpus").value_or(job.tasks * job.cpusPerTask));
    job.nodeCount = int(intMember(j, "node_count").value_or(1));
    job.nodes = stringOr(j, "nodes");
    job.gpus = int(intMember(j, "gpus").value_or(0));
    job.memoryMb = intMember(j, "memory_mb").value_or(0);
    job.timeLimitMinutes = optInt<qint64>(j, "time_limit");
    job.submitTimeMs = timeMember(j, "submit_time").value_or(0);
    job.startTimeMs = timeMember(j, "start_time");
    job.endTimeMs = timeMember(j, "end_time");
    job.updatedAt = stringOr(j, "updated_at").toLongLong();
    job.arrayJobId = optInt<qint64>(j, "array_job_id");
    job.arrayTaskId = optInt<int>(j, "array_task_id");
    job.arrayTaskString = stringOr(j, "array_task_string");
    job.submittedOutside = boolOr(j, "submitted_outside", false);
    job.slurmUser = stringOr(j, "slurm_user");
    job.script = stringOr(j, "script");
    job.environment = stringList(arrayMember(j, "environment"));
    job.workingDirectory = stringOr(j, "current_working_directory");
    job.standardOutput = stringOr(j, "standard_output");
    job.request = objectMember(j, "request");
    return job;
}

qint64 JobInfo::runSeconds(qint64 nowMs) const {
    if (!startTimeMs)
        return 0;
    const qint64 end = endTimeMs.value_or(nowMs);
    return qMax<qint64>(0, (end - *startTimeMs) / 1000);
}

EventInfo EventInfo::fromJson(const nlohmann::json &j) {
    EventInfo e;
    e.seq = intMember(j, "seq").value_or(0);
    e.clusterId = stringOr(j, "cluster_id");
    e.timeMs = parseTimestampMs(stringOr(j, "time")).value_or(0);
    e.kind = stringOr(j, "kind");
    e.severity = stringOr(j, "severity");
    e.message = stringOr(j, "message");
    e.actor = stringOr(j, "actor");
    e.data = objectMember(j, "data");
    return e;
}

TemplateSummary TemplateSummary::fromJson(const nlohmann::json &j) {
    return {stringOr(j, "id"), stringOr(j, "name"), stringOr(j, "description"),
            stringOr(j, "category")};
}

QString formatDuration(qint64 seconds) {
    const qint64 d = seconds / 86400;
    const QString hms = QStringLiteral("%1:%2:%3")
                            .arg((seconds / 3600) % 24, 2, 10, QLatin1Char('0'))
                            .arg((seconds / 60) % 60, 2, 10, QLatin1Char('0'))
                            .arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return d > 0 ? QStringLiteral("%1-%2").arg(d).arg(hms) : hms;
}

QString formatTimeLimit(const std::optional<qint64> &minutes) {
    return minutes ? formatDuration(*minutes * 60) : QStringLiteral("UNLIMITED");
}

QString formatJobId(const JobInfo &job) {
    const QString id = QString::number(job.jobId);
    if (!job.arrayJobId)
        return id;
    const QString array = QString::number(*job.arrayJobId);
    if (job.arrayTaskId)
        return QStringLiteral("%1 (%2_%3)").arg(id, array).arg(*job.arrayTaskId);
    if (!job.arrayTaskString.isEmpty())
        return QStringLiteral("%1_[%2]").arg(array, job.arrayTaskString);
    return id;
}

FileEntry FileEntry::fromJson(const nlohmann::json &j) {
    FileEntry f;
    f.key = stringOr(j, "key");
    f.size = intMember(j, "size").value_or(0);
    f.etag = stringOr(j, "etag");
    f.contentType = stringOr(j, "content_type");
    f.modifiedMs = parseTimestampMs(stringOr(j, "modified")).value_or(0);
    return f;
}

FileListing FileListing::fromJson(const nlohmann::json &j) {
    FileListing l;
    l.prefix = stringOr(j, "prefix");
    for (const auto &f : arrayMember(j, "files"))
        l.files.append(FileEntry::fromJson(f));
    for (const auto &f : arrayMember(j, "folders"))
        if (f.is_string())
            l.folders.append(toQ(f.get<std::string>()));
    l.nextStartAfter = stringOr(j, "next_start_after");
    return l;
}

PresignedUrl PresignedUrl::fromJson(const nlohmann::json &j) {
    PresignedUrl p;
    p.url = QUrl(stringOr(j, "url"), QUrl::StrictMode);
    const auto headers = objectMember(j, "headers");
    for (auto it = headers.begin(); it != headers.end(); ++it)
        if (it->is_string())
            p.headers.append({QByteArray::fromStdString(it.key()),
                              QByteArray::fromStdString(it->get<std::string>())});
    p.expiresAtMs = parseTimestampMs(stringOr(j, "expires_at")).value_or(0);
    return p;
}

QString formatBytes(qint64 bytes) {
    if (bytes < 1000)
        return QStringLiteral("%1 B").arg(bytes);
    static const char *const units[] = {"kB", "MB", "GB", "TB", "PB"};
    double v = double(bytes);
    int unit = -1;
    while (v >= 1000 && unit < 4) {
        v /= 1000;
        ++unit;
    }
    return QStringLiteral("%1 %2").arg(v, 0, 'f', v < 10 ? 1 : 0).arg(QLatin1String(units[unit]));
}

} // namespace clusterra
