#pragma once

#include "core/base/ApiError.h"
#include "core/sse/SseParser.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

class QNetworkReply;

namespace clusterra {

class ApiClient;

// An SSE subscription over ApiClient: parses with SseParser, reconnects with backoff (or the
// server's `retry`) sending Last-Event-ID so nothing is lost or repeated, and stops cleanly.
// 4xx answers are final (no reconnect loop on a bad token or a deleted job).
class SseClient : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Connecting, Open, Reconnecting, Closed };
    Q_ENUM(State)

    explicit SseClient(ApiClient *api, QObject *parent = nullptr);
    ~SseClient() override;

    void start(const QString &path, const QString &lastEventId = {});
    void stop();
    State state() const { return m_state; }
    QString lastEventId() const { return m_parser.lastEventId(); }
    void setMaxBackoffMs(int ms) { m_maxBackoffMs = ms; }

Q_SIGNALS:
    void eventReceived(const clusterra::SseEvent &event);
    void stateChanged(clusterra::SseClient::State state);
    void failed(const clusterra::ApiError &error);

private:
    void connectNow();
    void onReadyRead();
    void onFinished();
    void setState(State state);

    ApiClient *m_api;
    QPointer<QNetworkReply> m_reply;
    SseParser m_parser;
    QString m_path;
    QTimer m_retryTimer;
    State m_state = State::Idle;
    int m_failures = 0;
    int m_maxBackoffMs = 30000;
    bool m_stopped = true;
    bool m_gotStatus = false;
};

} // namespace clusterra
