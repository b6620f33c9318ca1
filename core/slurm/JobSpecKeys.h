#pragma once

#include <string>

namespace clusterra {

// Property names of v0.0.44_job_desc_msg in slurmrestd's OpenAPI document (Slurm 25.11,
// shared/reference/slurmrestd-v0.0.44-openapi.json), extracted once by a script.
bool isV0044JobKey(const std::string &key);
// The subset this server's schedulers honour; the rest are refused rather than ignored.
bool isSupportedJobKey(const std::string &key);

} // namespace clusterra
