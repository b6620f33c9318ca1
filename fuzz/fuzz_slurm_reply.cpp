// The reader of slurmrestd replies (every version's shapes) against any JSON a Slurm, a proxy
// in front of it or an impostor sends: no throw, no crash, no overflow.
#include "core/slurm/SlurmDialect.h"
#include "core/util/Json.h"
#include "fuzz/FuzzSupport.h"

using namespace clusterra;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(size));
    (void)gpusInGres(QString::fromUtf8(text.left(512)));
    const nlohmann::json reply = parseJson(text);
    if (reply.is_discarded())
        return 0;
    try {
        for (const SlurmJobInfo &job : SlurmDialect::jobs(reply)) {
            FUZZ_CHECK(job.jobId >= 0);
            if (job.timeLimitMinutes)
                FUZZ_CHECK(*job.timeLimitMinutes >= 0);
        }
        for (const SlurmNodeInfo &node : SlurmDialect::nodes(reply)) {
            static const QStringList folded{QStringLiteral("IDLE"), QStringLiteral("ALLOCATED"),
                                            QStringLiteral("MIXED"), QStringLiteral("DOWN"),
                                            QStringLiteral("UNKNOWN")};
            FUZZ_CHECK(folded.contains(node.state));
        }
        (void)SlurmDialect::partitions(reply);
        (void)SlurmDialect::submittedJobId(reply);
        (void)SlurmDialect::errors(reply);
        (void)SlurmDialect::isUnknownJob(reply);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "threw: %s\n", e.what());
        FUZZ_CHECK(!"the Slurm reply reader threw");
    }
    return 0;
}
