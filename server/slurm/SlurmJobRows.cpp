#include "server/slurm/SlurmJobRows.h"

#include "core/slurm/JobSubmit.h"
#include "core/slurm/OutputPattern.h"
#include "core/util/Json.h"
#include "core/util/Time.h"

#include <QDir>

namespace clusterra::server {

namespace {
template <typename T> bool assign(T &field, const T &value) {
    if (field == value)
        return false;
    field = value;
    return true;
}

std::optional<qint64> msOf(const std::optional<qint64> &seconds) {
    return seconds ? std::optional<qint64>(*seconds * 1000) : std::nullopt;
}

// A job cancelled while pending gets a start time from Slurm but never had nodes.
bool hasStarted(const SlurmJobInfo &info) {
    return info.state != JobState::Pending && !info.nodes.isEmpty();
}

// The pattern a task's output follows: what its submitter asked for, else what Slurm says.
QString patternOf(const JobRecord &array, const SlurmJobInfo &info) {
    const QString asked = stringOr(array.request, "standard_output");
    return asked.isEmpty() ? info.standardOutput : asked;
}
} // namespace

QString slurmOutputPath(const QString &workDir, const QString &pattern,
                        const OutputPatternValues &values) {
    const QString p =
        pattern.isEmpty() ? defaultOutputPattern(values.arrayJobId.has_value()) : pattern;
    return QDir(workDir.isEmpty() ? QStringLiteral("/") : workDir)
        .absoluteFilePath(expandOutputPattern(p, values));
}

bool applySlurmInfo(JobRecord &job, const SlurmJobInfo &info) {
    const bool finished = isFinished(info.state);
    bool changed = assign(job.state, info.state);
    changed |= assign(job.reason, info.reason.isEmpty() ? QStringLiteral("None") : info.reason);
    changed |= assign(job.nodeList, info.nodes);
    changed |= assign(job.timeLimitMin, info.timeLimitMinutes); // the partition's default too
    // For pending and running jobs Slurm's start and end times are forecasts: not kept.
    changed |= assign(job.startTime, hasStarted(info) ? msOf(info.startTime) : std::nullopt);
    changed |= assign(job.endTime, finished ? msOf(info.endTime) : std::nullopt);
    changed |= assign(job.exitCode, info.exitCode);
    changed |= assign(job.exitSignal, info.exitSignal);
    if (info.arrayJobId) {
        changed |= assign(job.arrayPendingTasks, info.arrayTaskString);
        if (info.arrayTaskId)
            changed |= assign(job.arrayTaskId, info.arrayTaskId);
    }
    return changed;
}

JobRecord outsideJobRow(const QString &clusterId, const SlurmJobInfo &info) {
    JobRecord job;
    job.clusterId = clusterId;
    job.schedulerJobId = info.jobId;
    job.submittedOutside = true;
    job.name = info.name;
    job.linuxUser = info.userName;
    job.partition = info.partition;
    job.tasks = 1;
    job.cpusPerTask = qMax(1, info.cpus);
    job.nodesMin = job.nodesMax = qMax(1, info.nodeCount);
    job.submitTime = info.submitTime ? *info.submitTime * 1000 : nowMs();
    job.workDir = info.workDir;
    job.arrayJobId = info.arrayJobId;
    applySlurmInfo(job, info);
    // The array's own row holds no task's output until it is the last task itself.
    if (!info.arrayJobId || info.arrayTaskId) {
        job.outputPath = slurmOutputPath(
            info.workDir, info.standardOutput,
            {info.jobId, info.name, info.userName, info.arrayJobId, info.arrayTaskId, QString()});
        job.outputOrigin =
            markOutput(identifyPath(job.outputPath), false, job.startTime.value_or(job.submitTime));
    }
    job.request = nlohmann::json::object();
    return job;
}

JobRecord arrayTaskRow(const JobRecord &array, const SlurmJobInfo &info, const QString &user) {
    JobRecord task = array;
    task.jobId = 0;
    task.schedulerJobId = info.jobId;
    task.arrayJobId = array.arrayJobId ? array.arrayJobId : info.arrayJobId;
    task.arrayTaskId = info.arrayTaskId;
    task.arrayPendingTasks.clear();
    task.state = JobState::Pending;
    task.reason = QStringLiteral("None");
    task.nodeList.clear();
    task.startTime.reset();
    task.endTime.reset();
    task.exitCode.reset();
    task.exitSignal.reset();
    task.runnerPid.reset();
    task.jobPid.reset();
    task.cancelRequestedAt.reset();
    task.killDeadline.reset();
    if (info.submitTime)
        task.submitTime = *info.submitTime * 1000;
    placeTaskOutput(task, patternOf(array, info), user);
    return task;
}

void placeTaskOutput(JobRecord &task, const QString &pattern, const QString &user) {
    task.outputPath = slurmOutputPath(
        task.workDir, pattern,
        {task.publicId(), task.name, user, task.arrayJobId, task.arrayTaskId, QString()});
    // Against the array's submit time: a file written since is this task's (Slurm truncated
    // it at the task's start, maybe before this poll saw it); an older one is an earlier
    // run's until it changes. Appending, the task's bytes start where the file is now.
    task.outputOrigin =
        markOutput(identifyPath(task.outputPath), appendsOutput(task.request), task.submitTime);
}

} // namespace clusterra::server
