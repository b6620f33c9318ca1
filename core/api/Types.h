#pragma once

#include "core/base/JobState.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <nlohmann/json.hpp>
#include <optional>

// Typed values of the /v1 API. The console's models and widgets use these, never JSON.
namespace clusterra {

struct UserInfo {
    qint64 id = 0;
    QString email;
    QString role;
    QString org;
    static UserInfo fromJson(const nlohmann::json &j);
};

struct PartitionInfo {
    QString name;
    QString nodeType;
    int minNodes = 0;
    int maxNodes = 0;
    bool isDefault = false;
    QString state;
    int totalNodes = 0;
    int availNodes = 0; // can take work now: idle or partly used
    int totalCpus = 0;
    std::optional<qint64> defaultTimeMinutes; // none: the maximum
    std::optional<qint64> maxTimeMinutes;     // none: unlimited
    static PartitionInfo fromJson(const nlohmann::json &j);
    bool operator==(const PartitionInfo &o) const = default;
};

struct ClusterInfo {
    QString id;
    QString name;
    QString provider;
    QString state; // preparing | ready | failed | deleting
    QString stateReason;
    QString connectionState;
    QString description;
    QString defaultPartition;
    QList<PartitionInfo> partitions;
    bool deletionProtection = false;
    int nodes = 0;
    int idleNodes = 0;
    int cpus = 0;
    int allocCpus = 0;
    int gpus = 0;
    int allocGpus = 0;
    qint64 memoryMb = 0;
    qint64 allocMemoryMb = 0;
    int jobsRunning = 0;
    int jobsPending = 0;
    QString secret; // only in the answer to a create, once
    static ClusterInfo fromJson(const nlohmann::json &j);
    // Every field, so any change the server reports reaches the views.
    bool operator==(const ClusterInfo &o) const = default;
};

// A cluster provider of the server, and why it cannot deploy now (empty when it can).
struct ProviderInfo {
    QString name;
    bool available = true;
    QString reason;
    static ProviderInfo fromJson(const nlohmann::json &j);
};

struct NodeInfo {
    QString name;
    QString state;
    QString nodeType;
    QString reason;
    int cpus = 0;
    int allocCpus = 0;
    qint64 memoryMb = 0;
    qint64 allocMemoryMb = 0;
    int gpus = 0;
    int allocGpus = 0;
    static NodeInfo fromJson(const nlohmann::json &j);
    bool operator==(const NodeInfo &o) const = default;
};

struct JobInfo {
    qint64 jobId = 0;
    QString clusterId;
    QString name;
    QString user;
    QString partition;
    JobState state = JobState::Unknown;
    QString stateName;
    QString reason;
    std::optional<int> exitCode;
    std::optional<int> exitSignal;
    qint64 priority = 0;
    int tasks = 1;
    int cpusPerTask = 1;
    int cpus = 1;
    int nodeCount = 1;
    QString nodes;
    int gpus = 0;
    qint64 memoryMb = 0;
    std::optional<qint64> timeLimitMinutes; // nullopt = unlimited
    qint64 submitTimeMs = 0;
    std::optional<qint64> startTimeMs;
    std::optional<qint64> endTimeMs;
    qint64 updatedAt = 0;
    std::optional<qint64> arrayJobId;
    std::optional<int> arrayTaskId;
    QString arrayTaskString;       // a Slurm array's own row: its tasks still pending ("5-9%2")
    bool submittedOutside = false; // found in Slurm's queue (sbatch, srun), not sent from here
    QString slurmUser;             // the Slurm account it runs as, on Slurm-backed clusters
    // Detail fields (GET one job, owner or admin only).
    QString script;
    QStringList environment;
    QString workingDirectory;
    QString standardOutput;
    nlohmann::json request;

    static JobInfo fromJson(const nlohmann::json &j);
    // Seconds the job has run (to `nowMs` while it runs); 0 before it starts.
    qint64 runSeconds(qint64 nowMs) const;
    bool sameRow(const JobInfo &o) const { return updatedAt == o.updatedAt && state == o.state; }
};

struct JobPage {
    QList<JobInfo> jobs;
    qint64 total = 0;
    QString cursor;
    bool hasMore = false;
};

struct EventInfo {
    qint64 seq = 0;
    QString clusterId;
    qint64 timeMs = 0;
    QString kind;
    QString severity;
    QString message;
    QString actor;
    nlohmann::json data;
    static EventInfo fromJson(const nlohmann::json &j);
};

struct TemplateSummary {
    QString id;
    QString name;
    QString description;
    QString category;
    static TemplateSummary fromJson(const nlohmann::json &j);
};

// One object in a cluster's bucket, as the storage listing returns it.
struct FileEntry {
    QString key;
    qint64 size = 0;
    QString etag;
    QString contentType;
    qint64 modifiedMs = 0;
    static FileEntry fromJson(const nlohmann::json &j);
};

// One page of a storage listing: files, and (with a "/" delimiter) the sub-folders below prefix.
struct FileListing {
    QString prefix;
    QList<FileEntry> files;
    QStringList folders;
    QString nextStartAfter; // empty on the last page
    static FileListing fromJson(const nlohmann::json &j);
};

// A presigned request: where to send it and the headers it was signed with.
struct PresignedUrl {
    QUrl url;
    QList<QPair<QByteArray, QByteArray>> headers;
    qint64 expiresAtMs = 0;
    static PresignedUrl fromJson(const nlohmann::json &j);
};

// "12.3 MB"-style sizes (decimal units, as file managers show them).
QString formatBytes(qint64 bytes);

// "1-02:03:04" style durations for tables; "UNLIMITED" for nullopt minutes.
QString formatDuration(qint64 seconds);
QString formatTimeLimit(const std::optional<qint64> &minutes);

// A job's id as squeue writes it: "42"; "45 (42_3)" for task 3 of array 42, its own id first;
// "42_[4-9%2]" for the array's own row while tasks of it are pending.
QString formatJobId(const JobInfo &job);

} // namespace clusterra

#include <QMetaType>
Q_DECLARE_METATYPE(clusterra::ClusterInfo)
Q_DECLARE_METATYPE(clusterra::JobInfo)
