#pragma once

#include "core/base/ApiError.h"
#include "core/slurm/JobSubmit.h"

#include <QStringList>
#include <nlohmann/json.hpp>

namespace clusterra {

// What the form's fields can hold; a value outside stays in the JSON as it was written.
inline constexpr int kFormMaxTasks = 100000;
inline constexpr int kFormMaxCpusPerTask = 4096;
inline constexpr int kFormMaxGpus = 4096;
inline constexpr int kFormMaxMemoryMb = 4 * 1024 * 1024;
inline constexpr int kFormMaxTimeMinutes = 525600;

// One job as the submit dialog edits it, whichever view the user types in: the form's fields,
// and every other key of the v0.0.44 job object kept as it was written (`extra`), so switching
// from Raw JSON to the form and back loses nothing. A form field left at its "not asked" value
// (0, empty, one task of one CPU) is not sent, and a key the form cannot show exactly stays in
// `extra`, so a JSON without "tasks" or "name" stays without them.
struct JobDraft {
    QString script = QStringLiteral("#!/bin/bash\necho \"Hello from $SLURM_JOB_ID on "
                                    "$(hostname)\"\n");
    QString name = QStringLiteral("job");
    QString partition;
    QString workingDirectory = QStringLiteral("/tmp");
    QStringList environment{QStringLiteral("PATH=/usr/local/bin:/usr/bin:/bin"),
                            QStringLiteral("LANG=C.UTF-8")};
    int tasks = 1;
    int cpusPerTask = 1;
    QString nodes;               // "2" or "1-4"; empty: one node
    int gpus = 0;                // for the whole job (tres_per_job); 0: none
    qint64 memoryMb = 0;         // per node; 0: the partition's default
    qint64 timeLimitMinutes = 0; // 0: the partition's default
    QString standardOutput;
    QString standardError;
    QString array;      // "1-10%2"
    QString dependency; // "afterok:42"
    bool mailOnEnd = false;
    nlohmann::json extra = nlohmann::json::object(); // job keys the form does not show

    nlohmann::json toJson() const;
    // The body as the Raw JSON view shows it.
    QString toText() const;
    // The server's rules for a cluster taking these keys.
    FieldErrors check(JobKeys keys = JobKeys::LocalExecutor) const;
    // The job keys only the JSON view shows (account, qos…), for the form to name them.
    QStringList keysOnlyInJson() const;

    // A submit body (as Raw JSON holds it, or a stored job's request) as a draft; false when it
    // is not a JSON object with a job in it.
    static bool fromJson(const nlohmann::json &body, JobDraft *draft);
};

} // namespace clusterra
