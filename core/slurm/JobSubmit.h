#pragma once

#include "core/base/ApiError.h"

#include <QList>
#include <QStringList>
#include <nlohmann/json.hpp>
#include <optional>

namespace clusterra {

// A submission after validation, in the units the schedulers use.
struct JobRequest {
    QString script;
    QString name;
    QString partition; // empty: the cluster's default partition
    QString workingDirectory;
    QStringList environment; // "KEY=VALUE"
    int tasks = 1;
    int cpusPerTask = 1;
    int nodesMin = 1;
    int nodesMax = 1;
    std::optional<qint64> memoryPerNodeMb; // 0 = all memory of the node
    std::optional<qint64> memoryPerCpuMb;
    std::optional<qint64> timeLimitMinutes; // nullopt: partition default
    bool timeUnlimited = false;
    QString standardOutput;
    QString standardError;
    QString standardInput;
    // open_mode ["APPEND"]: output goes after what the files hold; default (TRUNCATE, as
    // Slurm's default JobFileAppend=0): they are emptied when the job starts.
    bool appendOutput = false;
    int gpusPerNode = 0;
    int gpusPerJob = 0;
    QString arraySpec;
    QList<int> arrayTaskIds;
    int arrayMaxConcurrent = 0; // 0 = no limit
    std::optional<qint64> priority;
    QString comment;
    QString account;
    QString qos;
    // The job object in canonical v0.0.44 form (script inside), for backends that forward it.
    nlohmann::json job;

    int totalCpus() const { return tasks * cpusPerTask; }
    // Memory the job needs on one node in MB, given the node's size; 0 means none asked.
    qint64 memoryPerNodeNeededMb(qint64 nodeMemoryMb) const;
};

struct JobSubmitCheck {
    FieldErrors errors;
    QStringList warnings;
    JobRequest request;
    bool ok() const { return errors.isEmpty(); }
};

// Validates a slurmrestd v0.0.44 submit body the way slurmrestd and slurmctld really behave,
// plus the rules they leave to sbatch (see reference/slurmrestd-notes.md):
//  - `script` at the top level (it wins) or in `job.script`; it must start with "#!",
//    with no NUL bytes or DOS line ends.
//  - `job` is required, `jobs` (a HetJob) is refused.
//  - `environment` is required: a non-empty array of "KEY=VALUE" strings.
//  - `current_working_directory` is required (slurmctld >= 23.11 rejects jobs without it).
//  - `nodes` is a string ("2", "1-4").
//  - Wrapped numbers: `time_limit`, `memory_per_node`, `memory_per_cpu`, `priority` accept a
//    plain integer or {"set", "infinite", "number"}, as slurmrestd does; plain-integer fields
//    (`tasks`, `cpus_per_task`) refuse the wrapped form, as slurmrestd does.
//  - `open_mode` is ["APPEND"] or ["TRUNCATE"] (a plain string is taken too).
//  - Unknown keys are refused with their path (slurmrestd would silently ignore them).
// Which v0.0.44 job keys a scheduler takes: the local executor's subset, or all of them for a
// scheduler that forwards the job to slurmrestd (which translates or refuses them itself).
enum class JobKeys { LocalExecutor, AllV0044 };
// A cluster's provider decides: an existing Slurm gets the job as it is; the others run it
// here. The server refuses by this and the console checks by it.
JobKeys jobKeysForProvider(const QString &provider);
JobSubmitCheck checkJobSubmit(const nlohmann::json &body, JobKeys keys = JobKeys::LocalExecutor);

// Whether a canonical v0.0.44 job object (JobRequest::job) appends to its output files.
bool appendsOutput(const nlohmann::json &job);

// "0-15:4%2", "1,3,5-7": the task ids and the concurrency limit, or an error message.
bool parseArraySpec(const QString &spec, QList<int> &ids, int &maxConcurrent, QString &error);

inline constexpr int kMaxArrayTasks = 1001;
inline constexpr qint64 kMaxScriptBytes = 4 * 1024 * 1024;

} // namespace clusterra
