#include "objects/OutputPublisher.h"

#include "clusters/ClusterService.h"
#include "jobs/JobStore.h"
#include "objects/StorageService.h"
#include "rules/StorageRules.h"

#include <QFileInfo>

namespace clusterra::server {

OutputPublisher::OutputPublisher(JobStore &jobs, ClusterService &clusters, StorageService &storage,
                                 QObject *parent)
    : QObject(parent)
    , m_jobs(jobs)
    , m_clusters(clusters)
    , m_storage(storage) {
    connect(&jobs, &JobStore::jobChanged, this, [this](qint64 jobId, JobState state) {
        if (isFinished(state))
            publish(jobId);
    });
}

QString OutputPublisher::keyFor(const QString &email, qint64 jobId, const QString &fileName) {
    return rules::userPrefix(QStringLiteral("outputs"), email) + QString::number(jobId) +
           QLatin1Char('/') + fileName;
}

void OutputPublisher::publish(qint64 jobId) {
    const auto job = m_jobs.get(jobId);
    if (!job || job->outputPath.isEmpty() || !QFileInfo(job->outputPath).isFile())
        return; // cancelled before it ran: no output to publish
    const auto cluster = m_clusters.byId(job->clusterId);
    if (!cluster)
        return;
    const QString key = keyFor(job->userEmail, jobId, QFileInfo(job->outputPath).fileName());
    if (!rules::storageRefusal(key, rules::StorageAccess::Write, job->userEmail, false).isEmpty())
        return; // an email that cannot be a key segment: the log stays readable via the API
    m_storage.importFile(*cluster, key, job->outputPath, QStringLiteral("text/plain"));
}

} // namespace clusterra::server
