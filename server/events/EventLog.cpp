#include "server/events/EventLog.h"

#include "core/util/Json.h"
#include "core/util/Time.h"

namespace clusterra::server {

nlohmann::json Event::toJson() const {
    return {{"seq", seq},
            {"cluster_id", toStd(clusterId)},
            {"time", toStd(toRfc3339(timeMs))},
            {"kind", toStd(kind)},
            {"severity", toStd(severity)},
            {"message", toStd(message)},
            {"actor", toStd(actor)},
            {"data", data}};
}

EventLog::EventLog(Database &db, QObject *parent)
    : QObject(parent)
    , m_db(db) {}

Event EventLog::append(const QString &clusterId, const QString &kind, const QString &severity,
                       const QString &message, const QString &actor, const nlohmann::json &data) {
    Event e;
    e.clusterId = clusterId;
    e.timeMs = nowMs();
    e.kind = kind;
    e.severity = severity;
    e.message = message;
    e.actor = actor;
    e.data = data;
    const QSqlQuery q = m_db.exec(
        QStringLiteral(
            "INSERT INTO events (cluster_id, time, kind, severity, message, actor, data) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)"),
        {clusterId, e.timeMs, kind, severity, message, actor, QString::fromUtf8(dumpJson(data))});
    e.seq = q.lastInsertId().toLongLong();
    Q_EMIT appended(e);
    return e;
}

QList<Event> EventLog::list(const QString &clusterId, qint64 afterSeq, int limit) {
    QSqlQuery q = m_db.exec(
        QStringLiteral("SELECT seq, time, kind, severity, message, actor, data FROM events "
                       "WHERE cluster_id = ? AND seq > ? ORDER BY seq LIMIT ?"),
        {clusterId, afterSeq, limit});
    QList<Event> out;
    while (q.next()) {
        Event e;
        e.seq = q.value(0).toLongLong();
        e.clusterId = clusterId;
        e.timeMs = q.value(1).toLongLong();
        e.kind = q.value(2).toString();
        e.severity = q.value(3).toString();
        e.message = q.value(4).toString();
        e.actor = q.value(5).toString();
        e.data = parseJson(q.value(6).toString().toUtf8());
        out.append(std::move(e));
    }
    return out;
}

} // namespace clusterra::server
