#pragma once

#include <QString>
#include <QStringList>

namespace clusterra {

// Base job states as Slurm names them (squeue's long forms).
enum class JobState {
    Pending,
    Running,
    Suspended,
    Completing,
    Completed,
    Cancelled,
    Failed,
    Timeout,
    NodeFail,
    Preempted,
    BootFail,
    Deadline,
    OutOfMemory,
    Unknown,
};

// The console's filter tabs (seed 004). Which states land where:
//   RUNNING   RUNNING, COMPLETING, SUSPENDED  (the job holds an allocation)
//   PENDING   PENDING                         (queued, including requeued/held jobs)
//   COMPLETED COMPLETED                       (exit code 0)
//   FAILED    FAILED, CANCELLED, TIMEOUT, NODE_FAIL, OUT_OF_MEMORY, BOOT_FAIL, DEADLINE, PREEMPTED
//   UNKNOWN   anything the scheduler reports that we do not recognise
enum class StateFilter { All, Running, Pending, Completed, Failed, Unknown };

QString jobStateName(JobState state);
// Accepts Slurm's spellings: upper or lower case, a v0.0.40+ list's first entry, short codes.
JobState jobStateFromName(const QString &name);
bool isFinished(JobState state);
StateFilter stateFilterOf(JobState state);
QString stateFilterName(StateFilter filter);
StateFilter stateFilterFromName(const QString &name, bool *ok = nullptr);
// The states a filter covers, for a server query.
QList<JobState> statesOf(StateFilter filter);

} // namespace clusterra
