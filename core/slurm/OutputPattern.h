#pragma once

#include <QString>
#include <optional>

namespace clusterra {

// The values Slurm substitutes into `standard_output` / `standard_error` patterns.
struct OutputPatternValues {
    qint64 jobId = 0;
    QString jobName;
    QString userName;
    std::optional<qint64> arrayJobId;
    std::optional<int> arrayTaskId;
    QString nodeName;
};

// Expands %j %x %u %A %a %N and %% as Slurm does; other codes stay as written.
QString expandOutputPattern(const QString &pattern, const OutputPatternValues &values);

// Slurm's default when a batch job names no output file: slurm-%j.out, or slurm-%A_%a.out.
QString defaultOutputPattern(bool arrayTask);

} // namespace clusterra
