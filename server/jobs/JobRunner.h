#pragma once

// `clusterra-server --run-job SPEC.json`: the process that owns one running job. It is
// started detached, so jobs outlive a server restart. It puts the job in its own process
// group (the server signals the group), records the job's pid, waits, and writes the raw
// wait status atomically to the status file, which the server polls.
namespace clusterra::server {

int runJobFromSpec(const char *specPath);

} // namespace clusterra::server
