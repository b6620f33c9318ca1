#include "widgets/JobCanceller.h"

#include "core/client/ApiClient.h"
#include "core/client/JobCalls.h"
#include "widgets/Confirm.h"

#include <QWidget>
#include <memory>

namespace clusterra {

JobCanceller::JobCanceller(ApiClient *api, QWidget *parent)
    : QObject(parent)
    , m_api(api)
    , m_parent(parent) {}

void JobCanceller::cancel(const QString &clusterId, const QList<JobInfo> &jobs) {
    if (jobs.isEmpty())
        return;
    QString question;
    if (jobs.size() == 1) {
        question = tr("Cancel job %1 (%2)? A running job gets SIGTERM, then SIGKILL after a "
                      "grace period.")
                       .arg(jobs.first().jobId)
                       .arg(jobs.first().name);
    } else {
        // Named one by one (the first ten), so a selection that caught a job by mistake shows.
        QStringList names;
        for (qsizetype i = 0; i < jobs.size() && i < 10; ++i)
            names << tr("%1 (%2)").arg(jobs[i].jobId).arg(jobs[i].name);
        QString list = names.join(QStringLiteral(", "));
        if (jobs.size() > 10)
            list = tr("%1 and %n more", nullptr, int(jobs.size() - 10)).arg(list);
        question = tr("Cancel these %n jobs: %1? Running jobs get SIGTERM, then SIGKILL after a "
                      "grace period.",
                      nullptr, int(jobs.size()))
                       .arg(list);
    }
    QList<qint64> ids;
    for (const JobInfo &j : jobs)
        ids << j.jobId;
    Confirm::ask(
        m_parent, jobs.size() == 1 ? tr("Cancel job") : tr("Cancel jobs"), question,
        jobs.size() == 1 ? tr("Cancel job") : tr("Cancel %n jobs", nullptr, int(jobs.size())),
        tr("Keep running"), [this, clusterId, ids](bool yes) {
            if (!yes)
                return;
            // The answers are gathered and told once, with the first refusal in full.
            struct Tally {
                qsizetype left = 0;
                qsizetype failed = 0;
                QString firstError;
            };
            auto tally = std::make_shared<Tally>();
            tally->left = ids.size();
            for (const qint64 jobId : ids) {
                m_api->jobs().cancel(
                    clusterId, jobId, this,
                    [this, jobId, tally, total = ids.size()](const ApiError &e) {
                        if (e.isError() && tally->failed++ == 0)
                            tally->firstError =
                                total == 1
                                    ? tr("Cannot cancel job %1: %2").arg(jobId).arg(e.message)
                                    : tr("job %1: %2").arg(jobId).arg(e.message);
                        if (--tally->left > 0)
                            return;
                        if (tally->failed == 0)
                            Q_EMIT statusMessage(
                                total == 1 ? tr("Job %1 is being cancelled").arg(jobId)
                                           : tr("%n jobs are being cancelled", nullptr, int(total)),
                                6000);
                        else if (total == 1)
                            Q_EMIT statusMessage(tally->firstError, 10000);
                        else
                            Q_EMIT statusMessage(tr("%1 of %2 could not be cancelled (%3)")
                                                     .arg(tally->failed)
                                                     .arg(total)
                                                     .arg(tally->firstError),
                                                 10000);
                        Q_EMIT finished();
                    });
            }
        });
}

} // namespace clusterra
