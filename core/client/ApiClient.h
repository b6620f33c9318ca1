#pragma once

#include "core/api/Types.h"
#include "core/base/ApiError.h"

#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QUrl>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>

class QNetworkReply;

namespace clusterra {

class ClusterCalls;
class FileCalls;
class JobCalls;

// A request in flight. cancel() drops it: its callback never runs and its reply is aborted;
// cancelling a finished or already cancelled request does nothing.
class RequestHandle {
public:
    RequestHandle() = default;
    void cancel();
    bool isActive() const;

private:
    friend class ApiClient;
    struct State {
        bool cancelled = false;
        bool finished = false;
        QPointer<QNetworkReply> reply;
    };
    explicit RequestHandle(std::shared_ptr<State> state)
        : m_state(std::move(state)) {}
    std::shared_ptr<State> m_state;
};

// The console's one request path: base URL, bearer token, timeouts, retry with backoff for
// idempotent requests only, one re-authentication on 401, JSON decoding, and every failure
// as one ApiError. Callbacks run on the GUI thread and are dropped when `context` dies.
class ApiClient : public QObject {
    Q_OBJECT
public:
    using JsonDone = std::function<void(const nlohmann::json &, const ApiError &)>;
    // Asked to get a fresh access token (refresh token, local token...); reports success.
    using Reauthenticator = std::function<void(std::function<void(bool)>)>;

    explicit ApiClient(QObject *parent = nullptr);
    // Every request goes through `network` (owned by the caller, outliving the client): one
    // manager for the console's API calls and transfers, which tests can replace.
    explicit ApiClient(QNetworkAccessManager *network, QObject *parent = nullptr);
    ~ApiClient() override;

    QNetworkAccessManager *network() const { return m_nam; }

    void setBaseUrl(const QUrl &url) { m_base = url; }
    QUrl baseUrl() const { return m_base; }
    void setAccessToken(const QByteArray &token) { m_token = token; }
    bool hasToken() const { return !m_token.isEmpty(); }
    void setReauthenticator(Reauthenticator reauth) { m_reauth = std::move(reauth); }
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    // A stream that brings no byte (not even the server's keep-alive comment, every 15 s by
    // default) for this long is taken as dead and ends, so its owner reconnects.
    void setStreamIdleTimeoutMs(int ms) { m_streamIdleMs = ms; }
    void setMaxRetries(int retries) { m_maxRetries = retries; }
    bool isOnline() const { return m_online; }

    RequestHandle send(const QByteArray &method, const QString &path, const nlohmann::json &body,
                       QObject *context, JsonDone done);
    // Plain-text endpoints (job output): the body and the headers.
    RequestHandle
    sendRaw(const QString &path, QObject *context,
            std::function<void(const QByteArray &, const QHash<QByteArray, QByteArray> &,
                               const ApiError &)>
                done);
    // A request for a long-lived stream (SSE): same URL, token and idle timeout rules; the
    // caller owns it, and calls reauthenticate() when it is answered 401.
    QNetworkReply *openStream(const QString &path, const QByteArray &lastEventId);

    // Gets a fresh access token once for every caller asking while it runs: done(true) when
    // one is in place. A failure emits sessionExpired() once. Without a reauthenticator,
    // done(false) at once and nothing else.
    void reauthenticate(std::function<void(bool)> done);
    bool canReauthenticate() const { return bool(m_reauth); }
    static ApiError sessionExpiredError();

    // Exchanges the local token for a session; the client keeps the access token it gets.
    void signInLocal(const QByteArray &localToken, QObject *ctx,
                     std::function<void(const UserInfo &, const ApiError &)> done);

    // The typed endpoints, by area, over this transport.
    ClusterCalls &clusters() { return *m_clusterCalls; }
    JobCalls &jobs() { return *m_jobCalls; }
    FileCalls &files() { return *m_fileCalls; }

    static QString clusterPath(const QString &clusterId);
    // name=value pairs, each value percent-encoded ("+" too, which servers read as a space).
    static QString queryOf(std::initializer_list<std::pair<const char *, QString>> items);

Q_SIGNALS:
    void onlineChanged(bool online);
    void sessionExpired();

private:
    struct Call;
    RequestHandle start(std::shared_ptr<Call> call);
    void finish(std::shared_ptr<Call> call, QNetworkReply *reply);
    void setOnline(bool online);
    QNetworkRequest makeRequest(const QString &path) const;

    QNetworkAccessManager *m_nam;
    std::unique_ptr<ClusterCalls> m_clusterCalls;
    std::unique_ptr<JobCalls> m_jobCalls;
    std::unique_ptr<FileCalls> m_fileCalls;
    QUrl m_base;
    QByteArray m_token;
    Reauthenticator m_reauth;
    int m_timeoutMs = 30000;
    int m_streamIdleMs = 45000;
    int m_maxRetries = 3;
    bool m_online = true;
    bool m_reauthRunning = false;
    QList<std::function<void(bool)>> m_waitingForAuth;
};

// Turns a finished reply into an ApiError (None when it succeeded); used by the SSE client too.
ApiError errorFromReply(QNetworkReply *reply, const QByteArray &body);

} // namespace clusterra
