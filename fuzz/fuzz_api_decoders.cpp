// The console's decoders of /v1 replies against whatever a server (or something pretending
// to be one) sends: they never throw and never crash, whatever the shape.
#include "core/api/Types.h"
#include "core/util/Json.h"
#include "fuzz/FuzzSupport.h"

using namespace clusterra;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const nlohmann::json j =
        parseJson(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)));
    if (j.is_discarded())
        return 0;
    try {
        (void)UserInfo::fromJson(j);
        (void)PartitionInfo::fromJson(j);
        (void)ClusterInfo::fromJson(j);
        (void)NodeInfo::fromJson(j);
        const JobInfo job = JobInfo::fromJson(j);
        // What the table shows of it: durations and sizes from any numbers the reply held.
        (void)job.runSeconds(job.updatedAt);
        (void)job.runSeconds(job.submitTimeMs);
        (void)formatTimeLimit(job.timeLimitMinutes);
        (void)formatBytes(job.memoryMb);
        (void)formatDuration(job.submitTimeMs);
        if (job.timeLimitMinutes)
            (void)formatDuration(*job.timeLimitMinutes);
        (void)EventInfo::fromJson(j);
        (void)TemplateSummary::fromJson(j);
        (void)FileEntry::fromJson(j);
        (void)FileListing::fromJson(j);
        (void)PresignedUrl::fromJson(j);
        // Lists arrive as arrays of the same objects.
        for (const auto &item : arrayMember(j, "jobs"))
            (void)JobInfo::fromJson(item);
        for (const auto &item : arrayMember(j, "clusters"))
            (void)ClusterInfo::fromJson(item);
    } catch (...) {
        FUZZ_CHECK(!"a decoder threw");
    }
    return 0;
}
