#pragma once

#include "api/Types.h"
#include "base/ApiError.h"

#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QUrl>
#include <functional>
#include <nlohmann/json.hpp>

class QNetworkReply;

namespace clusterra {

class JobTemplate;

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

    void setBaseUrl(const QUrl &url) { m_base = url; }
    QUrl baseUrl() const { return m_base; }
    void setAccessToken(const QByteArray &token) { m_token = token; }
    bool hasToken() const { return !m_token.isEmpty(); }
    void setReauthenticator(Reauthenticator reauth) { m_reauth = std::move(reauth); }
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    void setMaxRetries(int retries) { m_maxRetries = retries; }
    bool isOnline() const { return m_online; }

    void send(const QByteArray &method, const QString &path, const nlohmann::json &body,
              QObject *context, JsonDone done);
    // Plain-text endpoints (job output): the body and the headers.
    void sendRaw(const QString &path, QObject *context,
                 std::function<void(const QByteArray &, const QHash<QByteArray, QByteArray> &,
                                    const ApiError &)>
                     done);
    // A request for a long-lived stream (SSE): same URL and auth rules; the caller owns it.
    QNetworkReply *openStream(const QString &path, const QByteArray &lastEventId);

    // Thin typed endpoints.
    void signInLocal(const QByteArray &localToken, QObject *ctx,
                     std::function<void(const UserInfo &, const ApiError &)> done);
    void clusters(QObject *ctx,
                  std::function<void(const QList<ClusterInfo> &, const ApiError &)> done);
    void createCluster(const nlohmann::json &body, QObject *ctx,
                       std::function<void(const ClusterInfo &, const ApiError &)> done);
    void deleteCluster(const QString &id, QObject *ctx, std::function<void(const ApiError &)> done);
    void nodes(const QString &clusterId, QObject *ctx,
               std::function<void(const QList<NodeInfo> &, const ApiError &)> done);
    void jobs(const QString &clusterId, const QString &updatedSince, QObject *ctx,
              std::function<void(const JobPage &, const ApiError &)> done);
    void job(const QString &clusterId, qint64 jobId, QObject *ctx,
             std::function<void(const JobInfo &, const ApiError &)> done);
    void submitJob(
        const QString &clusterId, const nlohmann::json &body, QObject *ctx,
        std::function<void(qint64 jobId, const QStringList &warnings, const ApiError &)> done);
    void cancelJob(const QString &clusterId, qint64 jobId, QObject *ctx,
                   std::function<void(const ApiError &)> done);
    void templates(QObject *ctx,
                   std::function<void(const QList<TemplateSummary> &, const ApiError &)> done);
    void templateSchema(const QString &id, QObject *ctx,
                        std::function<void(const nlohmann::json &, const ApiError &)> done);
    void events(const QString &clusterId, qint64 after, QObject *ctx,
                std::function<void(const QList<EventInfo> &, const ApiError &)> done);
    // One page of a bucket listing; `folders` groups keys at the next "/" below prefix.
    void listFiles(const QString &clusterId, const QString &prefix, bool folders,
                   const QString &startAfter, QObject *ctx,
                   std::function<void(const FileListing &, const ApiError &)> done);
    // Every file under prefix (all pages), for folder downloads, deletes and overwrite checks.
    void listAllFiles(const QString &clusterId, const QString &prefix, QObject *ctx,
                      std::function<void(const QList<FileEntry> &, const ApiError &)> done);
    void deleteFile(const QString &clusterId, const QString &key, QObject *ctx,
                    std::function<void(const ApiError &)> done);
    void presign(const QString &clusterId, const QString &key, const QByteArray &method,
                 const QString &contentType, QObject *ctx,
                 std::function<void(const PresignedUrl &, const ApiError &)> done);

    static QString clusterPath(const QString &clusterId);

Q_SIGNALS:
    void onlineChanged(bool online);
    void sessionExpired();

private:
    struct Call;
    void start(std::shared_ptr<Call> call);
    void finish(std::shared_ptr<Call> call, QNetworkReply *reply);
    void setOnline(bool online);
    QNetworkRequest makeRequest(const QString &path) const;

    QNetworkAccessManager m_nam;
    QUrl m_base;
    QByteArray m_token;
    Reauthenticator m_reauth;
    int m_timeoutMs = 30000;
    int m_maxRetries = 3;
    bool m_online = true;
    bool m_reauthRunning = false;
    QList<std::shared_ptr<Call>> m_waitingForAuth;
};

// Turns a finished reply into an ApiError (None when it succeeded); used by the SSE client too.
ApiError errorFromReply(QNetworkReply *reply, const QByteArray &body);

} // namespace clusterra
