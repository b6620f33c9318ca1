#pragma once

#include "core/base/ApiError.h"
#include "core/base/JobState.h"

#include <QList>
#include <QStringList>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

namespace clusterra {

// What a slurmrestd job listing says about one job, in the API's terms.
struct SlurmJobInfo {
    qint64 jobId = 0;
    QString name;
    QString userName;
    QString partition;
    QString nodes;
    JobState state = JobState::Unknown;
    QString reason;
    QString comment;
    std::optional<qint64> timeLimitMinutes; // nullopt = unlimited
    std::optional<qint64> startTime;        // unix seconds
    std::optional<qint64> endTime;
    std::optional<int> exitCode;
    std::optional<int> exitSignal;
    std::optional<qint64> submitTime; // unix seconds
    QString standardOutput;           // as Slurm reports it (patterns may be unexpanded)
    QString workDir;
    int cpus = 0;
    int nodeCount = 0;
    // Arrays: each started task is its own job (its own id, arrayJobId the array's); the
    // array's own record (jobId == arrayJobId) holds the pending rest as `arrayTaskString`
    // ("5-9%2") until it becomes the last task itself.
    std::optional<qint64> arrayJobId;
    std::optional<int> arrayTaskId;
    QString arrayTaskString;
};

// One node, its state folded onto the console's five: IDLE, ALLOCATED, MIXED, DOWN, UNKNOWN.
struct SlurmNodeInfo {
    QString name;
    QString state;
    QString reason;
    int cpus = 0;
    int allocCpus = 0;
    qint64 memoryMb = 0;
    qint64 allocMemoryMb = 0;
    int gpus = 0;
    int allocGpus = 0; // from gres_used
    QStringList partitions;
};

struct SlurmPartitionInfo {
    QString name;
    QString state; // UP, DOWN, DRAIN, INACTIVE
    bool isDefault = false;
    int totalNodes = 0;
    int totalCpus = 0;
    std::optional<qint64> maxTimeMinutes;     // nullopt = unlimited
    std::optional<qint64> defaultTimeMinutes; // nullopt = the maximum
};

struct SlurmSubmitBody {
    nlohmann::json body;
    FieldErrors errors; // keys this slurmrestd cannot take, with the field at fault
};

// The differences between slurmrestd's OpenAPI versions, with v0.0.44 as the contract:
//  - v0.0.38 (Slurm 22.05, Debian 12): the submit body is translated (script at the top level,
//    environment as an object, plain numbers, renamed node and GPU fields); keys that 22.05
//    cannot take are refused with their path instead of being dropped, because dropping one
//    would silently change the job.
//  - v0.0.40 to v0.0.44 (23.11 and later): the v0.0.44 job object goes as it is.
// Replies are read by shape, not by version (a string or a list for job_state, a raw wait
// status or an object for exit_code, a plain or a wrapped number), so one reader serves all.
class SlurmDialect {
public:
    virtual ~SlurmDialect() = default;

    // nullptr for a version this server cannot speak.
    static std::unique_ptr<SlurmDialect> forVersion(const QString &version);
    // The versions worth probing, newest first.
    static QStringList knownVersions();

    virtual QString version() const = 0;
    // A canonical v0.0.44 job object (script inside) as this version's submit body.
    virtual SlurmSubmitBody submitBody(const nlohmann::json &job) const = 0;

    QString path(const QString &rest) const;

    static QList<SlurmJobInfo> jobs(const nlohmann::json &reply);
    static QList<SlurmNodeInfo> nodes(const nlohmann::json &reply);
    static QList<SlurmPartitionInfo> partitions(const nlohmann::json &reply);
    static std::optional<qint64> submittedJobId(const nlohmann::json &reply);
    // The messages of `errors[]`, in either of slurmrestd's error shapes.
    static QStringList errors(const nlohmann::json &reply);
    // Slurm's "Invalid job id specified" (the job is unknown or was purged after MinJobAge).
    static bool isUnknownJob(const nlohmann::json &reply);
};

// "gpu:a100:4(S:0-1),mps:100" -> 4.
int gpusInGres(const QString &gres);

} // namespace clusterra
