// The v0.0.44 submit validator against untrusted request bodies: it never throws or
// overflows, what it accepts is consistent (CPU and memory products, array ids within their
// limit), the canonical job it produces validates again to the same request, and every
// slurmrestd dialect can translate it without throwing.
#include "core/slurm/JobSubmit.h"
#include "core/slurm/SlurmDialect.h"
#include "core/util/Json.h"
#include "fuzz/FuzzSupport.h"

using namespace clusterra;

namespace {

void checkAccepted(const JobSubmitCheck &check, JobKeys keys) {
    const JobRequest &r = check.request;
    FUZZ_CHECK(r.tasks >= 1 && r.cpusPerTask >= 1);
    FUZZ_CHECK(r.totalCpus() >= 1);
    FUZZ_CHECK(r.arrayTaskIds.size() <= kMaxArrayTasks);
    FUZZ_CHECK(r.script.startsWith(QLatin1String("#!")));
    for (const qint64 node : {qint64(0), qint64(1), qint64(1) << 40, qint64(1) << 62})
        FUZZ_CHECK(r.memoryPerNodeNeededMb(node) >= 0);
    FUZZ_CHECK(r.job.is_object() && r.job.contains("script"));
    // The stored canonical form is what a resubmission and the Slurm backend send.
    const JobSubmitCheck again = checkJobSubmit({{"job", r.job}}, keys);
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again.request.script == r.script);
    FUZZ_CHECK(again.request.totalCpus() == r.totalCpus());
    FUZZ_CHECK(again.request.environment == r.environment);
    FUZZ_CHECK(again.request.arrayTaskIds == r.arrayTaskIds);
    for (const QString &version : SlurmDialect::knownVersions()) {
        const auto dialect = SlurmDialect::forVersion(version);
        FUZZ_CHECK(dialect != nullptr);
        const SlurmSubmitBody body = dialect->submitBody(r.job);
        FUZZ_CHECK(body.body.is_object() || !body.errors.isEmpty());
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(size));
    // The array expression on its own, as the console's form checks it.
    {
        QList<int> ids;
        int maxConcurrent = 0;
        QString error;
        if (parseArraySpec(QString::fromUtf8(text.left(256)), ids, maxConcurrent, error)) {
            FUZZ_CHECK(!ids.isEmpty() && ids.size() <= kMaxArrayTasks);
            FUZZ_CHECK(maxConcurrent >= 0);
        } else {
            FUZZ_CHECK(!error.isEmpty());
        }
    }
    const nlohmann::json body = parseJson(text);
    if (body.is_discarded())
        return 0;
    try {
        for (const JobKeys keys : {JobKeys::LocalExecutor, JobKeys::AllV0044}) {
            const JobSubmitCheck check = checkJobSubmit(body, keys);
            if (check.ok())
                checkAccepted(check, keys);
            for (const FieldError &e : check.errors)
                FUZZ_CHECK(!e.message.isEmpty());
        }
    } catch (const std::exception &e) {
        std::fprintf(stderr, "threw: %s\n", e.what());
        FUZZ_CHECK(!"the validator threw");
    }
    return 0;
}
