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
// A 401 gets the client's one re-authentication and one more try, as any request does; other
// 4xx answers are final (no reconnect loop on a bad token or a deleted job). A stream silent
// past the client's idle timeout is dropped and reconnected.
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
    bool readStatus(QNetworkReply *reply);
    void readSlice(QNetworkReply *reply);
    void fail(const ApiError &error);
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
    bool m_drainQueued = false; // a pass over unread bytes is posted
    bool m_reauthed = false;    // since the stream was last open
    quint64 m_generation = 0;   // bumped by start() and stop(): a late re-auth answer is dropped
};

} // namespace clusterra
