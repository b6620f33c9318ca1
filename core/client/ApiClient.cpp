#include "core/client/ApiClient.h"

#include "core/client/ClusterCalls.h"
#include "core/client/FileCalls.h"
#include "core/client/JobCalls.h"

#include "core/base/Log.h"

#include "core/util/Json.h"

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
    std::shared_ptr<RequestHandle::State> handle = std::make_shared<RequestHandle::State>();
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
    // Errors below 100 are the connection's (refused, closed, timed out): one that ends a reply
    // after its status line arrived cut the body short, so the status says nothing.
    const bool connectionLost = reply->error() > QNetworkReply::NoError &&
                                reply->error() < QNetworkReply::ProxyConnectionRefusedError;
    if (status == 0 || connectionLost) {
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

void RequestHandle::cancel() {
    if (!m_state || m_state->cancelled || m_state->finished)
        return;
    m_state->cancelled = true;
    if (m_state->reply)
        m_state->reply->abort(); // finish() sees it cancelled and says nothing
}

bool RequestHandle::isActive() const {
    return m_state && !m_state->cancelled && !m_state->finished;
}

ApiClient::ApiClient(QObject *parent)
    : ApiClient(new QNetworkAccessManager, parent) {
    m_nam->setParent(this); // made here, so owned here
}

ApiClient::ApiClient(QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_nam(network)
    , m_clusterCalls(std::make_unique<ClusterCalls>(*this))
    , m_jobCalls(std::make_unique<JobCalls>(*this))
    , m_fileCalls(std::make_unique<FileCalls>(*this)) {}

ApiClient::~ApiClient() = default;

// Query strings built by hand: QUrlQuery leaves "+" alone, which servers read as a space.
QString ApiClient::queryOf(std::initializer_list<std::pair<const char *, QString>> items) {
    QStringList parts;
    for (const auto &[name, value] : items)
        parts << QLatin1String(name) + QLatin1Char('=') +
                     QString::fromLatin1(QUrl::toPercentEncoding(value));
    return parts.join(QLatin1Char('&'));
}

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

RequestHandle ApiClient::send(const QByteArray &method, const QString &path,
                              const nlohmann::json &body, QObject *context, JsonDone done) {
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
    return start(call);
}

RequestHandle ApiClient::sendRaw(
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
    return start(call);
}

QNetworkReply *ApiClient::openStream(const QString &path, const QByteArray &lastEventId) {
    QNetworkRequest req = makeRequest(path);
    req.setRawHeader("Accept", "text/event-stream");
    req.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    if (!lastEventId.isEmpty())
        req.setRawHeader("Last-Event-ID", lastEventId);
    // Qt counts this from the last byte received, not from the start: a live stream that
    // gets its keep-alives never times out, a half-open connection after a network drop does.
    req.setTransferTimeout(m_streamIdleMs);
    return m_nam->get(req);
}

void ApiClient::reauthenticate(std::function<void(bool)> done) {
    if (!m_reauth) {
        done(false);
        return;
    }
    m_waitingForAuth.append(std::move(done));
    if (m_reauthRunning)
        return;
    m_reauthRunning = true;
    m_reauth([this](bool ok) {
        m_reauthRunning = false;
        const auto waiting = std::exchange(m_waitingForAuth, {});
        for (const auto &w : waiting)
            w(ok);
        if (!ok)
            Q_EMIT sessionExpired();
    });
}

ApiError ApiClient::sessionExpiredError() {
    return ApiError::make(
        ErrorType::Unauthorized,
        QCoreApplication::translate("ApiClient", "Your session has expired. Sign in again."));
}

RequestHandle ApiClient::start(std::shared_ptr<Call> call) {
    if (call->handle->cancelled)
        return RequestHandle(call->handle); // cancelled while waiting to be retried
    QNetworkRequest req = makeRequest(call->path);
    req.setTransferTimeout(m_timeoutMs);
    QNetworkReply *reply = call->body.isEmpty() && call->method == "GET"
                               ? m_nam->get(req)
                               : m_nam->sendCustomRequest(req, call->method, call->body);
    call->handle->reply = reply;
    connect(reply, &QNetworkReply::finished, this, [this, call, reply] { finish(call, reply); });
    return RequestHandle(call->handle);
}

void ApiClient::finish(std::shared_ptr<Call> call, QNetworkReply *reply) {
    reply->deleteLater();
    if (call->handle->cancelled)
        return;
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
        reauthenticate([this, call](bool ok) {
            if (ok) {
                start(call);
                return;
            }
            if (call->handle->cancelled || (call->hasContext && !call->context))
                return;
            call->handle->finished = true;
            call->done(nullptr, {}, sessionExpiredError());
        });
        return;
    }
    call->handle->finished = true;
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

} // namespace clusterra
