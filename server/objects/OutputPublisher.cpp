#include "server/objects/OutputPublisher.h"

#include "core/base/Guard.h"
#include "core/rules/StorageRules.h"
#include "server/clusters/ClusterService.h"
#include "server/events/EventLog.h"
#include "server/jobs/JobService.h"
#include "server/jobs/JobStore.h"
#include "server/objects/StorageService.h"

#include <QFileInfo>

namespace clusterra::server {

OutputPublisher::OutputPublisher(JobStore &jobs, const JobService &service,
                                 ClusterService &clusters, StorageService &storage,
                                 EventLog &events, qint64 maxBytes, QObject *parent)
    : QObject(parent)
    , m_jobs(jobs)
    , m_service(service)
    , m_clusters(clusters)
    , m_storage(storage)
    , m_events(events)
    , m_maxBytes(maxBytes) {
    // A publication that fails is this job's loss only, never the write that ended the job.
    connect(&jobs, &JobStore::jobChanged, this, [this](qint64 jobId, JobState state) {
        if (isFinished(state))
            runGuarded("publishing a job's output", [&] { publish(jobId); });
    });
}

QString OutputPublisher::keyFor(const QString &email, qint64 jobId, const QString &fileName) {
    return rules::userPrefix(QStringLiteral("outputs"), email) + QString::number(jobId) +
           QLatin1Char('/') + fileName;
}

void OutputPublisher::publish(qint64 jobId) {
    const auto job = m_jobs.get(jobId);
    auto output = std::make_shared<QFile>();
    OutputWindow window;
    // Cancelled before it ran, only an earlier run's bytes, or nothing the job's user owns:
    // nothing to publish. The copy is the job's own bytes: an appending job's start on.
    if (!job || !m_service.openOwnOutput(*job, output.get(), &window))
        return;
    const auto cluster = m_clusters.byId(job->clusterId);
    if (!cluster)
        return;
    const QString key =
        keyFor(job->userEmail, job->publicId(), QFileInfo(job->outputPath).fileName());
    if (!rules::storageRefusal(key, rules::StorageAccess::Write, job->userEmail, false).isEmpty())
        return; // an email that cannot be a key segment: the log stays readable via the API
    // What the file holds now is what the job wrote; a process it left behind may go on
    // writing, and that is not copied.
    const qint64 length = qMax<qint64>(0, output->size() - window.base);
    if (length > m_maxBytes) {
        m_events.append(job->clusterId, QStringLiteral("job.output_not_published"),
                        QStringLiteral("warning"),
                        QStringLiteral("The output of job %1 (%2 MB) is larger than the %3 MB "
                                       "copied into Files; read or save it from the job's log.")
                            .arg(job->publicId())
                            .arg(length / 1000000)
                            .arg(m_maxBytes / 1000000),
                        QString(), {{"job_id", job->publicId()}, {"bytes", length}});
        return;
    }
    m_storage.importFile(*cluster, key, std::move(output), window.base, length,
                         QStringLiteral("text/plain"));
}

} // namespace clusterra::server
