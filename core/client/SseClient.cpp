#include "core/client/SseClient.h"

#include "core/client/ApiClient.h"

#include <QNetworkReply>

namespace clusterra {

SseClient::SseClient(ApiClient *api, QObject *parent)
    : QObject(parent)
    , m_api(api) {
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &SseClient::connectNow);
}

SseClient::~SseClient() {
    stop();
}

void SseClient::start(const QString &path, const QString &lastEventId) {
    stop();
    m_path = path;
    m_parser = SseParser();
    if (!lastEventId.isEmpty())
        m_parser.feed(QStringLiteral("id: %1\n\n").arg(lastEventId).toUtf8());
    m_stopped = false;
    m_failures = 0;
    connectNow();
}

void SseClient::stop() {
    m_stopped = true;
    m_retryTimer.stop();
    if (m_reply) {
        QNetworkReply *reply = m_reply;
        m_reply = nullptr;
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
    if (m_state != State::Idle)
        setState(State::Closed);
}

void SseClient::connectNow() {
    if (m_stopped)
        return;
    setState(m_failures == 0 ? State::Connecting : State::Reconnecting);
    m_parser.reset();
    m_gotStatus = false;
    m_reply = m_api->openStream(m_path, m_parser.lastEventId().toUtf8());
    connect(m_reply, &QNetworkReply::readyRead, this, &SseClient::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &SseClient::onFinished);
}

void SseClient::onReadyRead() {
    if (!m_reply)
        return;
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status != 200)
        return; // an error body: onFinished reports it
    if (!m_gotStatus) {
        m_gotStatus = true;
        m_failures = 0;
        setState(State::Open);
    }
    const auto events = m_parser.feed(m_reply->readAll());
    for (const auto &e : events) {
        Q_EMIT eventReceived(e);
        if (m_stopped)
            return; // a handler stopped us
    }
}

void SseClient::onFinished() {
    if (!m_reply)
        return;
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status >= 400 && status < 500) {
        const ApiError error = errorFromReply(reply, reply->readAll());
        m_stopped = true;
        setState(State::Closed);
        Q_EMIT failed(error);
        return;
    }
    if (status == 200)
        onReadyRead();
    if (m_stopped)
        return;
    // Dropped, refused or closed by the server: come back after a growing pause.
    ++m_failures;
    const int backoff = qMin(m_maxBackoffMs, 500 * (1 << qMin(m_failures - 1, 6)));
    const int delay = m_parser.retryMs() ? qMax(*m_parser.retryMs(), qMin(backoff, 1000)) : backoff;
    setState(State::Reconnecting);
    m_retryTimer.start(delay);
}

void SseClient::setState(State state) {
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

} // namespace clusterra
