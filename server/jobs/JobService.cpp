#include "server/jobs/JobService.h"
#include "server/jobs/JobAreas.h"

#include "core/slurm/OutputPattern.h"
#include "core/util/Json.h"
#include "core/util/Time.h"

#include <QDir>
#include <QFileInfo>
#include <unistd.h>

namespace clusterra::server {

JobService::JobService(JobStore &jobs, ClusterService &clusters, Scheduler &scheduler,
                       const TemplateCatalog &templates, EventLog &events)
    : m_jobs(jobs)
    , m_clusters(clusters)
    , m_scheduler(scheduler)
    , m_templates(templates)
    , m_events(events) {}

bool JobService::openOutput(const JobRecord &job, QFile *file) const {
    if (job.outputPath.isEmpty())
        return false;
    QString why;
    const int fd = openJobOutput(job.outputPath, m_scheduler.outputOwner(job), &why);
    if (fd < 0)
        return false;
    if (!file->open(fd, QIODevice::ReadOnly, QFileDevice::AutoCloseHandle)) {
        ::close(fd);
        return false;
    }
    return true;
}

bool JobService::openOwnOutput(const JobRecord &job, QFile *file, OutputWindow *window) const {
    if (!openOutput(job, file))
        return false;
    *window = resolveOutput(job.outputOrigin, identifyOpen(file->handle()));
    if (window->updated)
        m_jobs.setOutputOrigin(job.jobId, *window->updated);
    if (window->empty)
        file->close();
    return !window->empty;
}

bool JobService::mayInspect(const Principal &who, const JobRecord &job) {
    return job.userId == who.userId;
}

bool JobService::mayControl(const Principal &who, const JobRecord &job) {
    return who.isAdmin() || job.userId == who.userId;
}

void JobService::submit(const Principal &who, const ClusterRecord &cluster,
                        const nlohmann::json &rawBody, Done<SubmitResult> done) {
    if (const auto refused = refuseOtherOrg(who, cluster))
        return done({}, *refused);
    ApiError error;
    submitChecked(who, cluster, rawBody, &error, done);
    if (error.isError())
        done({}, error);
}

void JobService::submitChecked(const Principal &who, const ClusterRecord &cluster,
                               const nlohmann::json &rawBody, ApiError *error,
                               const Done<SubmitResult> &done) {
    if (cluster.state != QLatin1String("ready")) {
        *error = ApiError::make(ErrorType::Conflict,
                                QStringLiteral("Cluster %1 is %2; submit once it is ready.")
                                    .arg(cluster.name, cluster.state));
        return;
    }
    nlohmann::json body = rawBody;
    QString templateId;
    if (body.is_object() && body.contains("template_id")) {
        templateId = stringOr(body, "template_id");
        const JobTemplate *t = m_templates.find(templateId);
        if (!t) {
            *error =
                ApiError::validation(QStringLiteral("template_id"),
                                     QStringLiteral("No template with id \"%1\".").arg(templateId));
            return;
        }
        for (auto it = body.begin(); it != body.end(); ++it) {
            if (it.key() != "template_id" && it.key() != "params") {
                *error = ApiError::validation(
                    toQ(it.key()),
                    QStringLiteral(
                        "is not part of a template submission; send template_id and params."));
                return;
            }
        }
        if (body.contains("params") && !body["params"].is_object()) {
            *error = ApiError::validation(QStringLiteral("params"),
                                          QStringLiteral("must be an object of parameter values."));
            return;
        }
        nlohmann::json resolved;
        const FieldErrors paramErrors = t->checkParams(objectMember(body, "params"), resolved);
        if (!paramErrors.isEmpty()) {
            *error = ApiError::validation(paramErrors);
            return;
        }
        body = t->render(resolved);
    }
    const JobSubmitCheck check = checkJobSubmit(body, jobKeysForProvider(cluster.provider));
    if (!check.ok()) {
        *error = ApiError::validation(check.errors);
        return;
    }
    const JobRequest &req = check.request;
    // The queue is in priority order: who may jump it is the administrators' call, as Slurm
    // keeps `priority` to its operators.
    if (req.priority && !who.isAdmin()) {
        *error = ApiError::validation(
            QStringLiteral("job.priority"),
            QStringLiteral("only an administrator may set a job's priority; leave it out and "
                           "the job queues in the order it was submitted."));
        return;
    }
    const QString partition = req.partition.isEmpty() ? cluster.defaultPartition() : req.partition;
    const QList<NodeRecord> nodes = m_clusters.nodes(cluster.id);
    if (const auto refused = m_scheduler.admit(cluster, nodes, req)) {
        *error = *refused;
        return;
    }
    const qint64 nodeMemory = nodes.isEmpty() ? 0 : nodes.first().memoryMb;
    JobRecord base;
    base.clusterId = cluster.id;
    base.name = req.name;
    base.userEmail = who.email;
    base.userId = who.userId;
    base.uid = who.uid;
    base.linuxUser = who.linuxUser;
    base.partition = partition;
    base.priority = req.priority.value_or(1);
    base.tasks = req.tasks;
    base.cpusPerTask = req.cpusPerTask;
    base.nodesMin = req.nodesMin;
    base.nodesMax = req.nodesMax;
    base.memoryMb = req.memoryPerNodeNeededMb(nodeMemory);
    base.gpus = qMax(req.gpusPerNode, req.gpusPerJob);
    base.timeLimitMin = req.timeUnlimited ? std::nullopt : req.timeLimitMinutes;
    base.submitTime = nowMs();
    base.workDir = req.workingDirectory;
    base.request = req.job;
    base.arrayMaxConcurrent = req.arrayMaxConcurrent;
    base.reason = QStringLiteral("None");

    const QString clusterId = cluster.id;
    const QString email = who.email;
    const QString name = req.name;
    const QStringList warnings = check.warnings;
    const auto arrayTasks = req.arrayTaskIds.size();
    m_scheduler.submit(cluster, req, base, [=, this](const SubmitOutcome &outcome) {
        if (outcome.error.isError() || outcome.jobIds.isEmpty()) {
            done({}, outcome.error);
            return;
        }
        const qint64 firstId = outcome.jobIds.first();
        // Slurm answers an array with the array's id alone; its tasks get ids as they start.
        const auto tasks = qMax(outcome.jobIds.size(), qsizetype(arrayTasks));
        m_events.append(
            clusterId, QStringLiteral("job.submitted"), QStringLiteral("info"),
            tasks > 1
                ? QStringLiteral("%1 submitted array job %2 (%3 tasks)")
                      .arg(email)
                      .arg(firstId)
                      .arg(tasks)
                : QStringLiteral("%1 submitted job %2 (%3)").arg(email).arg(firstId).arg(name),
            email, {{"job_id", firstId}, {"template_id", toStd(templateId)}, {"tasks", tasks}});
        SubmitResult out{firstId, warnings, {}};
        if (outcome.jobIds.size() > 1)
            out.arrayJobIds = outcome.jobIds;
        done(out, ApiError());
    });
}

JobPage JobService::list(const Principal &who, const ClusterRecord &cluster, JobQuery query,
                         ApiError *error) {
    if (const auto refused = refuseOtherOrg(who, cluster)) {
        *error = *refused;
        return {};
    }
    if (query.limit < 1 || query.limit > 100000) {
        *error = ApiError::validation(QStringLiteral("limit"),
                                      QStringLiteral("must be between 1 and 100000."));
        return {};
    }
    query.clusterId = cluster.id;
    JobPage page;
    page.jobs = m_jobs.list(query, &page.total);
    page.cursor = page.jobs.isEmpty() ? query.updatedSince.value_or(0) : page.jobs.last().updatedAt;
    page.hasMore = page.jobs.size() == query.limit;
    return page;
}

std::optional<JobRecord> JobService::findIn(const ClusterRecord &cluster, const QString &jobId,
                                            ApiError *error) {
    bool ok = false;
    const qint64 id = jobId.toLongLong(&ok);
    auto job = ok ? m_jobs.byPublicId(cluster.id, id) : std::nullopt;
    if (!job) {
        *error =
            ApiError::make(ErrorType::NotFound,
                           QStringLiteral("No job %1 in cluster %2.").arg(jobId, cluster.name));
        return std::nullopt;
    }
    return job;
}

std::optional<JobRecord> JobService::find(const Principal &who, const ClusterRecord &cluster,
                                          const QString &jobId, ApiError *error) {
    if (const auto refused = refuseOtherOrg(who, cluster)) {
        *error = *refused;
        return std::nullopt;
    }
    return findIn(cluster, jobId, error);
}

std::optional<JobRecord> JobService::findInspectable(const Principal &who,
                                                     const ClusterRecord &cluster,
                                                     const QString &jobId, ApiError *error) {
    auto job = find(who, cluster, jobId, error);
    if (job && !mayInspect(who, *job)) {
        *error = ApiError::make(ErrorType::Forbidden,
                                QStringLiteral("Only the job's owner may read its output."));
        return std::nullopt;
    }
    return job;
}

void JobService::cancel(const Principal &who, const ClusterRecord &cluster, const QString &jobId,
                        Done<CancelResult> done) {
    ApiError error;
    auto job = find(who, cluster, jobId, &error);
    if (!job)
        return done({}, error);
    if (!mayControl(who, *job))
        return done({}, ApiError::make(ErrorType::Forbidden,
                                       QStringLiteral("Only the job's owner or an administrator "
                                                      "may cancel it.")));
    if (isFinished(job->state)) {
        return done({job->publicId(), job->state, false,
                     QStringLiteral("Job %1 already finished (%2); nothing to cancel.")
                         .arg(job->publicId())
                         .arg(jobStateName(job->state))},
                    ApiError());
    }
    m_events.append(cluster.id, QStringLiteral("job.cancel_requested"), QStringLiteral("info"),
                    QStringLiteral("%1 cancelled job %2 (%3)")
                        .arg(who.email)
                        .arg(job->publicId())
                        .arg(job->name),
                    who.email, {{"job_id", job->publicId()}});
    const qint64 id = job->jobId;
    const qint64 shown = job->publicId();
    m_scheduler.cancel(*job, who.email, [this, id, shown, done](const ApiError &refused) {
        if (refused.isError())
            return done({}, refused);
        const auto now = m_jobs.get(id);
        done({shown, now ? now->state : JobState::Unknown, true, {}}, ApiError());
    });
}

} // namespace clusterra::server
