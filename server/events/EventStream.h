#pragma once

#include "server/events/EventLog.h"
#include "server/http/HttpTypes.h"

#include <QTimer>

namespace clusterra::server {

// Feeds a cluster's events to an SSE stream: first the backlog after `afterSeq` in pages (as
// fast as the client reads), then live events. A client that falls behind goes back to
// paging, so memory stays bounded. `id` is the event's sequence number.
class EventStream : public QObject {
    Q_OBJECT
public:
    EventStream(std::shared_ptr<http::StreamBody> body, EventLog &log, QString clusterId,
                qint64 afterSeq, int keepAliveMs, QObject *parent = nullptr);

private:
    void catchUp();
    void onAppended(const clusterra::server::Event &event);
    void send(const Event &event);

    std::shared_ptr<http::StreamBody> m_body;
    EventLog &m_log;
    QString m_clusterId;
    qint64 m_cursor;
    bool m_live = false;
    QTimer m_keepAlive;
};

} // namespace clusterra::server
