#include "client/ApiClient.h"

#include "base/Log.h"

#include "util/Json.h"

#include <QCoreApplication>
#include <QNetworkReply>
#include <QTimer>

namespace clusterra {

struct ApiClient::Call {
    QByteArray method;
    QString path;
    QByteArray body;
    QPointer<QObject> context;
    bool hasContext = false;
    std::function<void(QNetworkReply *, const QByteArray &, const ApiError &)> done;
    int attempt = 0;
    bool reauthed = false;
    bool idempotent() const {
        return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE";
    }
};

namespace {
bool transient(const ApiError &e) {
    return e.type == ErrorType::NetworkError || e.httpStatus == 502 || e.httpStatus == 503 ||
           e.httpStatus == 504;
}
} // namespace

ApiError errorFromReply(QNetworkReply *reply, const QByteArray &body) {
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 0 || (reply->error() != QNetworkReply::NoError && status == 0)) {
        ApiError e =
            ApiError::make(ErrorType::NetworkError,
                           QCoreApplication::translate("ApiClient", "Cannot reach the server: %1")
                               .arg(reply->errorString()));
        e.httpStatus = 0;
        e.networkError = int(reply->error());
        return e;
    }
    if (status >= 200 && status < 300)
        return {};
    const auto json = parseJson(body);
    ApiError e = ApiError::fromJson(json.is_discarded() ? nlohmann::json() : json, status);
    if (e.message.isEmpty() || json.is_discarded())
        e.message =
            QCoreApplication::translate("ApiClient", "The server answered HTTP %1.").arg(status);
    return e;
}

ApiClient::ApiClient(QObject *parent)
    : QObject(parent) {}

namespace {
// Query strings built by hand: QUrlQuery leaves "+" alone, which servers read as a space.
QString queryOf(std::initializer_list<std::pair<const char *, QString>> items) {
    QStringList parts;
    for (const auto &[name, value] : items)
        parts << QLatin1String(name) + QLatin1Char('=') +
                     QString::fromLatin1(QUrl::toPercentEncoding(value));
    return parts.join(QLatin1Char('&'));
}
} // namespace

QString ApiClient::clusterPath(const QString &clusterId) {
    return QStringLiteral("/v1/clusters/") +
           QString::fromLatin1(QUrl::toPercentEncoding(clusterId));
}

QNetworkRequest ApiClient::makeRequest(const QString &path) const {
    QUrl url = m_base;
    const qsizetype q = path.indexOf(QLatin1Char('?'));
    url.setPath(m_base.path() + (q < 0 ? path : path.left(q)));
    if (q >= 0)
        url.setQuery(path.mid(q + 1));
    QNetworkRequest req(url);
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    req.setRawHeader("Accept", "application/json");
    if (!m_token.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + m_token);
    req.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                     QNetworkRequest::NoLessSafeRedirectPolicy);
    req.setMaximumRedirectsAllowed(3);
    return req;
}

void ApiClient::send(const QByteArray &method, const QString &path, const nlohmann::json &body,
                     QObject *context, JsonDone done) {
    auto call = std::make_shared<Call>();
    call->method = method;
    call->path = path;
    call->body = body.is_null() ? QByteArray() : dumpJson(body);
    call->context = context;
    call->hasContext = context != nullptr;
    call->done = [done = std::move(done)](QNetworkReply *, const QByteArray &data,
                                          const ApiError &error) {
        nlohmann::json json = data.isEmpty() ? nlohmann::json() : parseJson(data);
        if (!error.isError() && json.is_discarded()) {
            done({}, ApiError::make(ErrorType::InternalError,
                                    QCoreApplication::translate(
                                        "ApiClient", "The server sent a reply that is not JSON.")));
            return;
        }
        // Decoders see an object even for an error or an empty reply, and nothing they or the
        // caller throw may cross the event loop: Qt would abort the console.
        if (!json.is_object() && !json.is_array())
            json = nlohmann::json::object();
        try {
            done(json, error);
        } catch (const std::exception &ex) {
            qCWarning(lcClient, "a reply handler failed: %s", ex.what());
        }
    };
    start(call);
}

void ApiClient::sendRaw(
    const QString &path, QObject *context,
    std::function<void(const QByteArray &, const QHash<QByteArray, QByteArray> &, const ApiError &)>
        done) {
    auto call = std::make_shared<Call>();
    call->method = "GET";
    call->path = path;
    call->context = context;
    call->hasContext = context != nullptr;
    call->done = [done = std::move(done)](QNetworkReply *reply, const QByteArray &data,
                                          const ApiError &error) {
        QHash<QByteArray, QByteArray> headers;
        if (reply) {
            for (const auto &[k, v] : reply->rawHeaderPairs())
                headers.insert(k.toLower(), v);
        }
        done(data, headers, error);
    };
    start(call);
}

QNetworkReply *ApiClient::openStream(const QString &path, const QByteArray &lastEventId) {
    QNetworkRequest req = makeRequest(path);
    req.setRawHeader("Accept", "text/event-stream");
    req.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    if (!lastEventId.isEmpty())
        req.setRawHeader("Last-Event-ID", lastEventId);
    return m_nam.get(req);
}

void ApiClient::start(std::shared_ptr<Call> call) {
    QNetworkRequest req = makeRequest(call->path);
    req.setTransferTimeout(m_timeoutMs);
    QNetworkReply *reply = call->body.isEmpty() && call->method == "GET"
                               ? m_nam.get(req)
                               : m_nam.sendCustomRequest(req, call->method, call->body);
    connect(reply, &QNetworkReply::finished, this, [this, call, reply] { finish(call, reply); });
}

void ApiClient::finish(std::shared_ptr<Call> call, QNetworkReply *reply) {
    reply->deleteLater();
    const QByteArray data = reply->readAll();
    const ApiError error = errorFromReply(reply, data);
    if (error.type == ErrorType::NetworkError)
        setOnline(false);
    else
        setOnline(true);
    if (transient(error) && call->idempotent() && call->attempt < m_maxRetries) {
        // Back off 250 ms, 500 ms, 1 s...: a restarting server gets time to come back.
        const int delay = 250 << call->attempt++;
        QTimer::singleShot(delay, this, [this, call] { start(call); });
        return;
    }
    if (error.type == ErrorType::Unauthorized && m_reauth && !call->reauthed &&
        !call->path.startsWith(QLatin1String("/v1/auth/"))) {
        call->reauthed = true;
        m_waitingForAuth.append(call);
        if (m_reauthRunning)
            return;
        m_reauthRunning = true;
        m_reauth([this](bool ok) {
            m_reauthRunning = false;
            const auto waiting = std::exchange(m_waitingForAuth, {});
            for (const auto &c : waiting) {
                if (ok) {
                    start(c);
                } else if (!c->hasContext || c->context) {
                    c->done(nullptr, {},
                            ApiError::make(
                                ErrorType::Unauthorized,
                                QCoreApplication::translate(
                                    "ApiClient", "Your session has expired. Sign in again.")));
                }
            }
            if (!ok)
                Q_EMIT sessionExpired();
        });
        return;
    }
    if (call->hasContext && !call->context)
        return; // whoever asked is gone
    call->done(reply, data, error);
}

void ApiClient::setOnline(bool online) {
    if (m_online == online)
        return;
    m_online = online;
    Q_EMIT onlineChanged(online);
}

void ApiClient::signInLocal(const QByteArray &localToken, QObject *ctx,
                            std::function<void(const UserInfo &, const ApiError &)> done) {
    send("POST", QStringLiteral("/v1/auth/callback"), {{"local_token", localToken.toStdString()}},
         ctx, [this, done](const nlohmann::json &j, const ApiError &e) {
             if (!e.isError())
                 m_token = stringOr(j, "access_token").toUtf8();
             done(e.isError() ? UserInfo{} : UserInfo::fromJson(objectMember(j, "user")), e);
         });
}

void ApiClient::clusters(QObject *ctx,
                         std::function<void(const QList<ClusterInfo> &, const ApiError &)> done) {
    send("GET", QStringLiteral("/v1/clusters"), nullptr, ctx,
         [done](const nlohmann::json &j, const ApiError &e) {
             QList<ClusterInfo> out;
             for (const auto &c : arrayMember(j, "clusters"))
                 out.append(ClusterInfo::fromJson(c));
             done(out, e);
         });
}

void ApiClient::createCluster(const nlohmann::json &body, QObject *ctx,
                              std::function<void(const ClusterInfo &, const ApiError &)> done) {
    send("POST", QStringLiteral("/v1/clusters"), body, ctx,
         [done](const nlohmann::json &j, const ApiError &e) { done(ClusterInfo::fromJson(j), e); });
}

void ApiClient::deleteCluster(const QString &id, QObject *ctx,
                              std::function<void(const ApiError &)> done) {
    send("DELETE", clusterPath(id), nullptr, ctx,
         [done](const nlohmann::json &, const ApiError &e) { done(e); });
}

void ApiClient::nodes(const QString &clusterId, QObject *ctx,
                      std::function<void(const QList<NodeInfo> &, const ApiError &)> done) {
    send("GET", clusterPath(clusterId) + QStringLiteral("/nodes"), nullptr, ctx,
         [done](const nlohmann::json &j, const ApiError &e) {
             QList<NodeInfo> out;
             for (const auto &n : arrayMember(j, "nodes"))
                 out.append(NodeInfo::fromJson(n));
             done(out, e);
         });
}

void ApiClient::jobs(const QString &clusterId, const QString &updatedSince, QObject *ctx,
                     std::function<void(const JobPage &, const ApiError &)> done) {
    QString path = clusterPath(clusterId) + QStringLiteral("/jobs?limit=20000");
    if (!updatedSince.isEmpty()) // the server's cursor, passed back as it is: encoded
        path += QLatin1Char('&') + queryOf({{"updated_since", updatedSince}});
    send("GET", path, nullptr, ctx, [done](const nlohmann::json &j, const ApiError &e) {
        JobPage page;
        const auto &items = arrayMember(j, "jobs");
        page.jobs.reserve(qsizetype(items.size()));
        for (const auto &item : items)
            page.jobs.append(JobInfo::fromJson(item));
        page.total = intMember(j, "total").value_or(0);
        page.cursor = stringOr(j, "cursor");
        page.hasMore = boolOr(j, "has_more", false);
        done(page, e);
    });
}

void ApiClient::job(const QString &clusterId, qint64 jobId, QObject *ctx,
                    std::function<void(const JobInfo &, const ApiError &)> done) {
    send("GET", clusterPath(clusterId) + QStringLiteral("/jobs/%1").arg(jobId), nullptr, ctx,
         [done](const nlohmann::json &j, const ApiError &e) { done(JobInfo::fromJson(j), e); });
}

void ApiClient::submitJob(const QString &clusterId, const nlohmann::json &body, QObject *ctx,
                          std::function<void(qint64, const QStringList &, const ApiError &)> done) {
    send("POST", clusterPath(clusterId) + QStringLiteral("/jobs/submit"), body, ctx,
         [done](const nlohmann::json &j, const ApiError &e) {
             done(intMember(j, "job_id").value_or(0), stringList(arrayMember(j, "warnings")), e);
         });
}

void ApiClient::cancelJob(const QString &clusterId, qint64 jobId, QObject *ctx,
                          std::function<void(const ApiError &)> done) {
    send("DELETE", clusterPath(clusterId) + QStringLiteral("/jobs/%1").arg(jobId), nullptr, ctx,
         [done](const nlohmann::json &, const ApiError &e) { done(e); });
}

void ApiClient::templates(
    QObject *ctx, std::function<void(const QList<TemplateSummary> &, const ApiError &)> done) {
    send("GET", QStringLiteral("/v1/templates"), nullptr, ctx,
         [done](const nlohmann::json &j, const ApiError &e) {
             QList<TemplateSummary> out;
             for (const auto &t : arrayMember(j, "templates"))
                 out.append(TemplateSummary::fromJson(t));
             done(out, e);
         });
}

void ApiClient::templateSchema(const QString &id, QObject *ctx,
                               std::function<void(const nlohmann::json &, const ApiError &)> done) {
    send("GET", QStringLiteral("/v1/templates/") + id, nullptr, ctx, std::move(done));
}

void ApiClient::events(const QString &clusterId, qint64 after, QObject *ctx,
                       std::function<void(const QList<EventInfo> &, const ApiError &)> done) {
    send("GET", clusterPath(clusterId) + QStringLiteral("/events?limit=1000&after=%1").arg(after),
         nullptr, ctx, [done](const nlohmann::json &j, const ApiError &e) {
             QList<EventInfo> out;
             for (const auto &ev : arrayMember(j, "events"))
                 out.append(EventInfo::fromJson(ev));
             done(out, e);
         });
}

void ApiClient::listFiles(const QString &clusterId, const QString &prefix, bool folders,
                          const QString &startAfter, QObject *ctx,
                          std::function<void(const FileListing &, const ApiError &)> done) {
    QString query = queryOf({{"prefix", prefix}, {"limit", QStringLiteral("1000")}});
    if (folders)
        query += QStringLiteral("&delimiter=%2F");
    if (!startAfter.isEmpty())
        query += QLatin1Char('&') + queryOf({{"start_after", startAfter}});
    send("GET", clusterPath(clusterId) + QStringLiteral("/storage/files?") + query, nullptr, ctx,
         [done](const nlohmann::json &j, const ApiError &e) { done(FileListing::fromJson(j), e); });
}

void ApiClient::listAllFiles(const QString &clusterId, const QString &prefix, QObject *ctx,
                             std::function<void(const QList<FileEntry> &, const ApiError &)> done) {
    auto acc = std::make_shared<QList<FileEntry>>();
    auto next = std::make_shared<std::function<void(const QString &)>>();
    // The pending callback owns the chain; the chain only points back weakly (no cycle).
    *next = [=, this, weak = std::weak_ptr(next)](const QString &after) {
        listFiles(clusterId, prefix, false, after, ctx,
                  [=, self = weak.lock()](const FileListing &page, const ApiError &e) {
                      if (e.isError())
                          return done({}, e);
                      acc->append(page.files);
                      if (page.nextStartAfter.isEmpty())
                          return done(*acc, {});
                      (*self)(page.nextStartAfter);
                  });
    };
    (*next)({});
}

void ApiClient::deleteFile(const QString &clusterId, const QString &key, QObject *ctx,
                           std::function<void(const ApiError &)> done) {
    send("DELETE",
         clusterPath(clusterId) + QStringLiteral("/storage/files?") + queryOf({{"key", key}}),
         nullptr, ctx, [done](const nlohmann::json &, const ApiError &e) { done(e); });
}

void ApiClient::presign(const QString &clusterId, const QString &key, const QByteArray &method,
                        const QString &contentType, QObject *ctx,
                        std::function<void(const PresignedUrl &, const ApiError &)> done) {
    nlohmann::json body = {{"key", toStd(key)}, {"method", method.toStdString()}};
    if (!contentType.isEmpty())
        body["content_type"] = toStd(contentType);
    send(
        "POST", clusterPath(clusterId) + QStringLiteral("/storage/presigned-url"), body, ctx,
        [done](const nlohmann::json &j, const ApiError &e) { done(PresignedUrl::fromJson(j), e); });
}

} // namespace clusterra
