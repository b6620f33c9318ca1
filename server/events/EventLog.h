#pragma once

#include "server/store/Database.h"

#include <QObject>
#include <nlohmann/json.hpp>

namespace clusterra::server {

struct Event {
    qint64 seq = 0;
    QString clusterId;
    qint64 timeMs = 0;
    QString kind;     // "job.state_changed", "cluster.deploy_failed", ...
    QString severity; // "info" | "warning" | "error"
    QString message;
    QString actor;
    nlohmann::json data = nlohmann::json::object();

    nlohmann::json toJson() const;
};

// Every job state change, cluster state change and admin action, in order, per cluster.
class EventLog : public QObject {
    Q_OBJECT
public:
    explicit EventLog(Database &db, QObject *parent = nullptr);

    Event append(const QString &clusterId, const QString &kind, const QString &severity,
                 const QString &message, const QString &actor = {},
                 const nlohmann::json &data = nlohmann::json::object());
    QList<Event> list(const QString &clusterId, qint64 afterSeq, int limit);

Q_SIGNALS:
    void appended(const clusterra::server::Event &event);

private:
    Database &m_db;
};

} // namespace clusterra::server
