#include "server/events/EventStream.h"

#include "core/base/Guard.h"
#include "core/sse/SseParser.h"
#include "core/util/Json.h"

namespace clusterra::server {

namespace {
constexpr qsizetype kHighWater = 256 * 1024;
constexpr int kPage = 500;
} // namespace

EventStream::EventStream(std::shared_ptr<http::StreamBody> body, EventLog &log, QString clusterId,
                         qint64 afterSeq, int keepAliveMs, QObject *parent)
    : QObject(parent)
    , m_body(std::move(body))
    , m_log(log)
    , m_clusterId(std::move(clusterId))
    , m_cursor(afterSeq) {
    connect(m_body.get(), &http::StreamBody::closed, this, &QObject::deleteLater);
    connect(m_body.get(), &http::StreamBody::drained, this,
            [this] { runGuarded("event stream", [this] { catchUp(); }); });
    connect(&m_log, &EventLog::appended, this,
            [this](const Event &event) { runGuarded("event stream", [&] { onAppended(event); }); });
    connect(&m_keepAlive, &QTimer::timeout, this,
            [this] { m_body->write(formatSseComment("keep-alive")); });
    m_body->write("retry: 2000\n\n");
    m_keepAlive.start(keepAliveMs);
    catchUp();
}

void EventStream::catchUp() {
    if (m_live || m_body->isClosed())
        return;
    while (m_body->pending() < kHighWater) {
        const QList<Event> page = m_log.list(m_clusterId, m_cursor, kPage);
        for (const Event &e : page)
            send(e);
        if (page.size() < kPage) {
            m_live = true;
            return;
        }
    }
}

void EventStream::onAppended(const Event &event) {
    if (event.clusterId != m_clusterId || event.seq <= m_cursor)
        return;
    if (!m_live)
        return; // catchUp() reads it from the log when the client has room
    if (m_body->pending() >= kHighWater) {
        m_live = false;
        return;
    }
    send(event);
}

void EventStream::send(const Event &event) {
    m_cursor = event.seq;
    m_body->write(formatSseEvent(event.kind, QString::number(event.seq), dumpJson(event.toJson())));
    m_keepAlive.start();
}

} // namespace clusterra::server
