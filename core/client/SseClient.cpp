#include "core/client/SseClient.h"

#include "core/client/ApiClient.h"

#include <QNetworkReply>

namespace clusterra {

namespace {
// Qt stops reading the socket past this much unread data, so a stream faster than its
// consumer waits in the kernel (TCP pushes back on the server) instead of in our heap.
constexpr qint64 kReadBuffer = 4 * 1024 * 1024;
// One pass of the event loop parses at most this much; the rest waits for the next pass, so
// a burst never holds the GUI thread for longer than one slice takes.
constexpr qint64 kSlice = 256 * 1024;
} // namespace

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
    ++m_generation;
    m_reauthed = false;
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
    ++m_generation;
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
    m_reply->setReadBufferSize(kReadBuffer);
    connect(m_reply, &QNetworkReply::readyRead, this, &SseClient::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &SseClient::onFinished);
}

void SseClient::onReadyRead() {
    if (!m_reply || !readStatus(m_reply))
        return;
    readSlice(m_reply);
    if (!m_stopped && m_reply && m_reply->bytesAvailable() > 0 && !m_drainQueued) {
        m_drainQueued = true;
        QMetaObject::invokeMethod(
            this,
            [this] {
                m_drainQueued = false;
                onReadyRead();
            },
            Qt::QueuedConnection);
    }
}

bool SseClient::readStatus(QNetworkReply *reply) {
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status != 200)
        return false; // an error body: onFinished reports it
    if (!m_gotStatus) {
        m_gotStatus = true;
        m_failures = 0;
        m_reauthed = false;
        setState(State::Open);
    }
    return true;
}

void SseClient::readSlice(QNetworkReply *reply) {
    const auto events = m_parser.feed(reply->read(kSlice));
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
    if (status == 401 && !m_reauthed && m_api->canReauthenticate()) {
        m_reauthed = true;
        setState(State::Reconnecting);
        m_api->reauthenticate(
            [this, self = QPointer<SseClient>(this), generation = m_generation](bool ok) {
                if (!self || m_stopped || generation != m_generation)
                    return;
                if (ok)
                    connectNow();
                else
                    fail(ApiClient::sessionExpiredError());
            });
        return;
    }
    if (status >= 400 && status < 500) {
        fail(errorFromReply(reply, reply->readAll()));
        return;
    }
    // The rest of a finished reply is at most one read buffer: parsed now, before the
    // reconnect, so no event is lost or reordered.
    if (status == 200 && readStatus(reply))
        while (!m_stopped && reply->bytesAvailable() > 0)
            readSlice(reply);
    if (m_stopped)
        return;
    // Dropped, refused or closed by the server: come back after a growing pause.
    ++m_failures;
    const int backoff = qMin(m_maxBackoffMs, 500 * (1 << qMin(m_failures - 1, 6)));
    const int delay = m_parser.retryMs() ? qMax(*m_parser.retryMs(), qMin(backoff, 1000)) : backoff;
    setState(State::Reconnecting);
    m_retryTimer.start(delay);
}

void SseClient::fail(const ApiError &error) {
    m_stopped = true;
    setState(State::Closed);
    Q_EMIT failed(error);
}

void SseClient::setState(State state) {
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

} // namespace clusterra
