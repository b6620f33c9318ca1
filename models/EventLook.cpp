#include "models/EventLook.h"

#include "core/util/Json.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>

namespace clusterra {

namespace {
// The words' translation context, for lupdate.
class EventWords {
    Q_DECLARE_TR_FUNCTIONS(EventLook)
};

EventLook jobStateLook(const EventInfo &e) {
    const JobState to = jobStateFromName(stringOr(e.data, "to"));
    const StateLook look = stateLookOf(to);
    switch (look) {
    case StateLook::Running:
        return {EventWords::tr("Job started"), look};
    case StateLook::Pending:
        return {EventWords::tr("Job waiting"), look};
    case StateLook::Completed:
        return {EventWords::tr("Job completed"), look};
    case StateLook::Failed:
        return {to == JobState::Timeout ? EventWords::tr("Job timed out")
                                        : EventWords::tr("Job failed"),
                look};
    case StateLook::Cancelled:
        return {EventWords::tr("Job cancelled"), look};
    case StateLook::Unknown:
        break;
    }
    return {EventWords::tr("Job state unknown"), look};
}
} // namespace

EventLook eventLookOf(const EventInfo &e) {
    const QString &k = e.kind;
    if (k == QLatin1String("job.state_changed"))
        return jobStateLook(e);
    if (k == QLatin1String("job.submitted"))
        return {EventWords::tr("Job submitted"), StateLook::Pending};
    if (k == QLatin1String("job.cancel_requested"))
        return {EventWords::tr("Cancel requested"), StateLook::Cancelled};
    if (k == QLatin1String("job.output_not_published"))
        return {EventWords::tr("Output not copied to Files"), StateLook::Failed};
    if (k == QLatin1String("cluster.created"))
        return {EventWords::tr("Cluster created"), StateLook::Pending};
    if (k == QLatin1String("cluster.state_changed"))
        return {EventWords::tr("Cluster ready"), StateLook::Completed};
    if (k == QLatin1String("cluster.deploy_failed"))
        return {EventWords::tr("Deployment failed"), StateLook::Failed};
    if (k == QLatin1String("cluster.retrying"))
        return {EventWords::tr("Deploying again"), StateLook::Pending};
    if (k == QLatin1String("cluster.updated"))
        return {EventWords::tr("Cluster changed"), std::nullopt};
    if (k == QLatin1String("cluster.deleting"))
        return {EventWords::tr("Deletion started"), StateLook::Cancelled};
    if (k == QLatin1String("cluster.deleted"))
        return {EventWords::tr("Cluster deleted"), StateLook::Cancelled};
    if (k == QLatin1String("cluster.connection_changed")) {
        const bool back = stringOr(e.data, "connection_state") == QLatin1String("connected");
        return back ? EventLook{EventWords::tr("Reachable again"), StateLook::Completed}
                    : EventLook{EventWords::tr("Unreachable"), StateLook::Failed};
    }
    // A kind this console does not know yet still says how serious it is.
    if (e.severity == QLatin1String("error"))
        return {k, StateLook::Failed};
    return {k, std::nullopt};
}

QString relativeTime(qint64 timeMs, qint64 nowMs) {
    const qint64 ago = (nowMs - timeMs) / 1000;
    if (ago < 45)
        return EventWords::tr("just now"); // also a clock slightly ahead of ours
    if (ago < 3600)
        return EventWords::tr("%n min ago", nullptr, int(qMax<qint64>(1, (ago + 30) / 60)));
    const QDateTime when = QDateTime::fromMSecsSinceEpoch(timeMs).toLocalTime();
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(nowMs).toLocalTime();
    const QString clock = QLocale().toString(when.time(), QLocale::ShortFormat);
    if (ago < 6 * 3600 || when.date() == now.date())
        return ago < 6 * 3600 ? EventWords::tr("%n h ago", nullptr, int(ago / 3600))
                              : EventWords::tr("today %1").arg(clock);
    if (when.date() == now.date().addDays(-1))
        return EventWords::tr("yesterday %1").arg(clock);
    if (when.date().year() == now.date().year())
        return QLocale().toString(when, QStringLiteral("d MMM HH:mm"));
    return QLocale().toString(when.date(), QLocale::ShortFormat);
}

} // namespace clusterra
