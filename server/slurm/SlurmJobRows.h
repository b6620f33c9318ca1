#pragma once

#include "core/slurm/OutputPattern.h"
#include "core/slurm/SlurmDialect.h"
#include "server/jobs/JobStore.h"

namespace clusterra::server {

// How a job Slurm reports becomes, and stays, a row of this server's: a pure mapping, so the
// scheduler only decides when and the tests can check what.

// The file Slurm writes a job's output to: `pattern` (Slurm's default when empty) expanded
// for the job and made absolute against its working directory.
QString slurmOutputPath(const QString &workDir, const QString &pattern,
                        const OutputPatternValues &values);

// Copies what Slurm says of a job (state, reason, nodes, times, exit, array position) onto its
// row; whether anything changed.
bool applySlurmInfo(JobRecord &job, const SlurmJobInfo &info);

// A job found in the queue that was submitted outside this server (sbatch), as first seen.
JobRecord outsideJobRow(const QString &clusterId, const SlurmJobInfo &info);

// A task Slurm split off an array this server has a row for: the array's owner, request and
// output pattern, the task's own id, still pending (the caller applies `info` and records the
// transition, so a task's start is an event like any job's). `user` is who it runs as.
JobRecord arrayTaskRow(const JobRecord &array, const SlurmJobInfo &info, const QString &user);

// The output file of an array task, once the row knows its task id (the array's own row
// becomes its last task); `user` is who it runs as.
void placeTaskOutput(JobRecord &task, const QString &pattern, const QString &user);

} // namespace clusterra::server
