#include "server/http/HttpServer.h"

#include "core/util/Time.h"
#include "server/sys/Platform.h"

#include <cstdio>

#include <QSocketNotifier>
#include <QUrl>
#include <arpa/inet.h>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <microhttpd.h>
#include <sys/resource.h>
#include <sys/socket.h>

namespace clusterra::http {

struct ConnectionContext {
    HttpServer *server = nullptr;
    MHD_Connection *connection = nullptr;
    Request request;
    const Route *route = nullptr;
    ApiError routeError;
    bool bodyTooLarge = false;
    qint64 discarded = 0; // bytes of an oversize chunked body read and dropped
    bool responded = false;
    bool suspended = false;
    std::shared_ptr<StreamBody> stream;
    std::shared_ptr<PendingResponse> pending;
    std::unique_ptr<BodySink> sink;
};

namespace {
MHD_Result collectHeader(void *cls, MHD_ValueKind, const char *key, const char *value) {
    auto *req = static_cast<Request *>(cls);
    req->headers.insert(QByteArray(key).toLower(), QByteArray(value ? value : ""));
    return MHD_YES;
}

MHD_Result collectQuery(void *cls, MHD_ValueKind, const char *key, const char *value) {
    auto *req = static_cast<Request *>(cls);
    req->query.insert(QString::fromUtf8(key), QString::fromUtf8(value ? value : ""));
    return MHD_YES;
}
} // namespace

struct MhdGlue {
    static MHD_Result access(void *cls, MHD_Connection *connection, const char *url,
                             const char *method, const char *, const char *uploadData,
                             size_t *uploadDataSize, void **connectionContext) {
        return static_cast<HttpServer *>(cls)->handle(connection, url, method, uploadData,
                                                      uploadDataSize, connectionContext) == MHD_YES
                   ? MHD_YES
                   : MHD_NO;
    }

    static void completed(void *cls, MHD_Connection *connection, void **connectionContext,
                          MHD_RequestTerminationCode) {
        auto *ctx = static_cast<ConnectionContext *>(*connectionContext);
        *connectionContext = nullptr;
        auto *server = static_cast<HttpServer *>(cls);
        if (ctx)
            server->completed(ctx);
        server->connectionOpened(connection); // a kept-alive connection waits for headers again
    }

    static void connection(void *cls, MHD_Connection *connection, void **,
                           MHD_ConnectionNotificationCode code) {
        auto *server = static_cast<HttpServer *>(cls);
        if (code == MHD_CONNECTION_NOTIFY_STARTED)
            server->connectionOpened(connection);
        else
            server->connectionClosed(connection);
    }

    static ssize_t readStream(void *cls, uint64_t, char *buf, size_t max) {
        auto *ctx = static_cast<ConnectionContext *>(cls);
        StreamBody *stream = ctx->stream.get();
        if (stream->pending() > 0)
            return stream->read(buf, qsizetype(max));
        if (stream->isFinished())
            return MHD_CONTENT_READER_END_OF_STREAM;
        // Nothing to send: park the connection until the producer writes (no busy loop).
        ctx->suspended = true;
        MHD_suspend_connection(ctx->connection);
        return 0;
    }
};

HttpServer::HttpServer(const Router &router, QObject *parent)
    : QObject(parent)
    , m_router(router) {
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &HttpServer::run);
    m_resumeTimer.setSingleShot(true);
    m_resumeTimer.setInterval(0);
    connect(&m_resumeTimer, &QTimer::timeout, this, &HttpServer::resumePending);
    connect(&m_headerTimer, &QTimer::timeout, this, &HttpServer::dropLateHeaders);
    m_trimTimer.setSingleShot(true);
    m_trimTimer.setInterval(2000);
    connect(&m_trimTimer, &QTimer::timeout, this, [] { server::sys::returnFreedMemory(); });
}

HttpServer::~HttpServer() {
    close();
}

bool HttpServer::listen(const QHostAddress &address, quint16 port, QString *error,
                        const HttpServerLimits &limits) {
    // Writes to a closed socket must fail with EPIPE rather than kill the process; telling MHD
    // lets it use sendfile() (design/STACK.md pitfall 5).
    std::signal(SIGPIPE, SIG_IGN);
    // Room for the connection limit: the soft descriptor limit is often 1024.
    rlimit files{};
    if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
        files.rlim_cur = files.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &files);
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    if (inet_pton(AF_INET, address.toString().toLatin1().constData(), &addr.sin_addr) != 1) {
        *error =
            QStringLiteral("only IPv4 listen addresses are supported: %1").arg(address.toString());
        return false;
    }
    const bool epoll = MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES;
    if (limits.events == HttpServerLimits::Events::Epoll && !epoll) {
        *error = QStringLiteral("this libmicrohttpd has no epoll support; use select");
        return false;
    }
    m_selectMode =
        limits.events == HttpServerLimits::Events::Select || !epoll ||
        (limits.events == HttpServerLimits::Events::Auto && !server::sys::epollByDefault());
    const unsigned int flags = MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG |
                               (m_selectMode ? 0u : unsigned(MHD_USE_EPOLL));
    m_daemon = MHD_start_daemon(
        flags, port, nullptr, nullptr, &MhdGlue::access, this, MHD_OPTION_SOCK_ADDR, &addr,
        MHD_OPTION_CONNECTION_LIMIT, static_cast<unsigned int>(limits.connectionLimit),
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, static_cast<unsigned int>(limits.perAddressLimit),
        MHD_OPTION_CONNECTION_TIMEOUT, static_cast<unsigned int>(limits.idleTimeoutSecs),
        MHD_OPTION_LISTEN_BACKLOG_SIZE, static_cast<unsigned int>(limits.listenBacklog),
        MHD_OPTION_NOTIFY_COMPLETED, &MhdGlue::completed, this, MHD_OPTION_NOTIFY_CONNECTION,
        &MhdGlue::connection, this, MHD_OPTION_SIGPIPE_HANDLED_BY_APP, 1, MHD_OPTION_END);
    if (!m_daemon) {
        *error = QStringLiteral("cannot listen on %1:%2 (%3)")
                     .arg(address.toString())
                     .arg(port)
                     .arg(QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    m_port = MHD_get_daemon_info(m_daemon, MHD_DAEMON_INFO_BIND_PORT)->port;
    if (!m_selectMode) {
        const int epollFd = MHD_get_daemon_info(m_daemon, MHD_DAEMON_INFO_EPOLL_FD)->epoll_fd;
        m_notifier = new QSocketNotifier(epollFd, QSocketNotifier::Read, this);
        connect(m_notifier, &QSocketNotifier::activated, this, &HttpServer::run);
    }
    m_running = true;
    m_headerDeadlineMs = limits.headerDeadlineMs;
    m_headerTimer.start(qBound(50, m_headerDeadlineMs / 4, 1000));
    run();
    return true;
}

void HttpServer::connectionOpened(MHD_Connection *connection) {
    const MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (info)
        m_awaitingHeaders.insert(connection, {info->connect_fd, nowMs()});
}

void HttpServer::connectionClosed(MHD_Connection *connection) {
    m_awaitingHeaders.remove(connection);
}

// MHD has no deadline for the header phase, only an idle timeout that every trickled byte
// renews. Shutting the socket down makes MHD see the end of the stream and close it itself.
void HttpServer::dropLateHeaders() {
    const qint64 cutoff = nowMs() - m_headerDeadlineMs;
    bool dropped = false;
    for (auto it = m_awaitingHeaders.begin(); it != m_awaitingHeaders.end();) {
        if (it->sinceMs <= cutoff) {
            ::shutdown(it->fd, SHUT_RDWR);
            it = m_awaitingHeaders.erase(it);
            dropped = true;
        } else {
            ++it;
        }
    }
    if (dropped)
        run();
}

void HttpServer::close() {
    if (!m_daemon)
        return;
    m_running = false;
    delete m_notifier;
    m_notifier = nullptr;
    qDeleteAll(m_readers);
    qDeleteAll(m_writers);
    m_readers.clear();
    m_writers.clear();
    m_timer.stop();
    m_resumeTimer.stop();
    m_headerTimer.stop();
    // MHD must not be stopped with suspended connections: end every stream and resume them.
    const auto streaming = m_streaming;
    for (ConnectionContext *ctx : streaming) {
        if (ctx->stream)
            ctx->stream->finish();
        if (ctx->suspended) {
            ctx->suspended = false;
            MHD_resume_connection(ctx->connection);
        }
    }
    m_resumeQueue.clear();
    MHD_stop_daemon(m_daemon); // its last completion callbacks may still note connections
    m_daemon = nullptr;
    m_awaitingHeaders.clear();
}

void HttpServer::run() {
    if (!m_daemon)
        return;
    MHD_run(m_daemon);
    if (m_selectMode)
        watchSockets();
    MHD_UNSIGNED_LONG_LONG timeout = 0;
    if (MHD_get_timeout(m_daemon, &timeout) == MHD_YES) {
        // A 0 ms timeout means work is left over; sockets are edge-triggered (pitfall 1).
        m_timer.start(int(qMin<MHD_UNSIGNED_LONG_LONG>(timeout, 60000)));
    } else {
        m_timer.start(1000);
    }
}

void HttpServer::watchSockets() {
    fd_set readable, writable, failed;
    FD_ZERO(&readable);
    FD_ZERO(&writable);
    FD_ZERO(&failed);
    MHD_socket highest = 0;
    if (MHD_get_fdset2(m_daemon, &readable, &writable, &failed, &highest, FD_SETSIZE) != MHD_YES)
        return;
    const auto sync = [this](QHash<int, QSocketNotifier *> &watched, const fd_set &wanted,
                             MHD_socket top, QSocketNotifier::Type type) {
        for (auto it = watched.begin(); it != watched.end();) {
            if (it.key() > top || !FD_ISSET(it.key(), &wanted)) {
                // Not deleted at once: this may run inside that notifier's own signal.
                it.value()->setEnabled(false);
                it.value()->deleteLater();
                it = watched.erase(it);
            } else {
                ++it;
            }
        }
        for (MHD_socket fd = 0; fd <= top; ++fd) {
            if (!FD_ISSET(fd, &wanted) || watched.contains(fd))
                continue;
            auto *n = new QSocketNotifier(fd, type, this);
            connect(n, &QSocketNotifier::activated, this, &HttpServer::run);
            watched.insert(fd, n);
        }
    };
    sync(m_readers, readable, highest, QSocketNotifier::Read);
    sync(m_writers, writable, highest, QSocketNotifier::Write);
}

int HttpServer::handle(MHD_Connection *connection, const char *url, const char *method,
                       const char *uploadData, size_t *uploadDataSize, void **connectionContext) {
    auto *ctx = static_cast<ConnectionContext *>(*connectionContext);
    if (ctx && ctx->pending) {
        // Called again after a deferred answer resumed the connection.
        if (!ctx->pending->isResolved())
            return MHD_YES;
        QObject::disconnect(ctx->pending.get(), nullptr, this, nullptr);
        Response answer = std::exchange(ctx->pending, nullptr)->take();
        m_streaming.remove(ctx);
        return queue(ctx, std::move(answer));
    }
    if (!ctx) {
        m_awaitingHeaders.remove(connection); // they are all here
        // First call: headers only. Replying now would force "Connection: close" (pitfall 3),
        // except for a body we already know is too large.
        ctx = new ConnectionContext;
        ctx->server = this;
        ctx->connection = connection;
        *connectionContext = ctx;
        Request &req = ctx->request;
        req.method = methodFromName(method);
        req.path = QString::fromUtf8(url); // MHD has already unescaped the path
        if (!m_pathPrefix.isEmpty() && req.path.startsWith(m_pathPrefix) &&
            req.path.size() > m_pathPrefix.size() && req.path[m_pathPrefix.size()] == u'/')
            req.path.remove(0, m_pathPrefix.size());
        MHD_get_connection_values(connection, MHD_HEADER_KIND, &collectHeader, &req);
        MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, &collectQuery, &req);
        ctx->route = m_router.match(req.method, req.path, &req, &ctx->routeError);
        if (ctx->route && ctx->route->streamHandler) {
            Response refusal;
            ctx->sink = m_router.beginStream(*ctx->route, req, &refusal);
            if (!ctx->sink)
                return queue(ctx, std::move(refusal)); // refused before the body: sent at once
            return MHD_YES;
        }
        const qint64 limit = ctx->route ? ctx->route->maxBodyBytes : 1 << 16;
        bool ok = false;
        const qint64 length = req.header("content-length").toLongLong(&ok);
        if (ok && length > limit) {
            ctx->bodyTooLarge = true;
            return queue(
                ctx, Response::error(ApiError::make(
                         ErrorType::PayloadTooLarge,
                         QStringLiteral("The request body is larger than %1 bytes.").arg(limit))));
        }
        return MHD_YES;
    }
    if (ctx->sink) {
        if (*uploadDataSize > 0) {
            if (!ctx->sink->write(uploadData, qsizetype(*uploadDataSize)))
                return MHD_NO;
            *uploadDataSize = 0;
            return MHD_YES;
        }
        if (ctx->responded)
            return MHD_YES;
        Response done = ctx->sink->finish();
        ctx->sink.reset();
        return queue(ctx, std::move(done));
    }
    if (*uploadDataSize > 0) {
        const qint64 limit = ctx->route ? ctx->route->maxBodyBytes : 1 << 16;
        if (ctx->bodyTooLarge)
            return MHD_NO;
        if (ctx->discarded > 0 || ctx->request.body.size() + qint64(*uploadDataSize) > limit) {
            // A chunked body (no Content-Length) that turns out too large: a 413 cannot be
            // queued while it is still arriving (pitfall 4), so the rest is read and dropped and
            // the answer goes out at its end; one far too large is cut off.
            ctx->discarded += qint64(*uploadDataSize);
            ctx->request.body.clear();
            *uploadDataSize = 0;
            return ctx->discarded > 16 * limit + (1 << 20) ? MHD_NO : MHD_YES;
        }
        ctx->request.body.append(uploadData, qsizetype(*uploadDataSize));
        *uploadDataSize = 0;
        return MHD_YES;
    }
    if (ctx->responded)
        return MHD_YES;
    if (ctx->discarded > 0) {
        const qint64 limit = ctx->route ? ctx->route->maxBodyBytes : 1 << 16;
        return queue(ctx,
                     Response::error(ApiError::make(
                         ErrorType::PayloadTooLarge,
                         QStringLiteral("The request body is larger than %1 bytes.").arg(limit))));
    }
    if (!ctx->route)
        return queue(ctx, Response::error(ctx->routeError));
    return queue(ctx, m_router.dispatch(*ctx->route, ctx->request));
}

int HttpServer::queue(ConnectionContext *ctx, Response response) {
    ctx->responded = true;
    MHD_Response *mhd = nullptr;
    if (response.pending) {
        // Park the connection until the handler resolves; MHD calls handle() again then.
        ctx->pending = std::move(response.pending);
        m_streaming.insert(ctx); // so close() and resumePending() know it
        connect(ctx->pending.get(), &PendingResponse::resolved, this,
                [this, ctx] { requestResume(ctx); });
        ctx->suspended = true;
        MHD_suspend_connection(ctx->connection);
        if (ctx->pending->isResolved())
            requestResume(ctx);
        return MHD_YES;
    }
    if (response.stream) {
        ctx->stream = response.stream;
        m_streaming.insert(ctx);
        connect(ctx->stream.get(), &StreamBody::dataAvailable, this,
                [this, ctx] { requestResume(ctx); });
        mhd = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, size_t(response.streamBlock),
                                                &MhdGlue::readStream, ctx, nullptr);
    } else if (!response.filePath.isEmpty()) {
        // MHD owns the descriptor from here and sends it with sendfile(); HEAD gets the
        // headers only, with the real Content-Length.
        const int fd = ::open(response.filePath.toLocal8Bit().constData(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return queue(ctx, Response::error(ApiError::make(ErrorType::NotFound,
                                                             QStringLiteral("The file is gone."))));
        mhd = MHD_create_response_from_fd_at_offset64(uint64_t(response.fileLength), fd,
                                                      uint64_t(response.fileOffset));
    } else {
        // For HEAD, MHD sends the headers (Content-Length of this body) without the body.
        mhd = MHD_create_response_from_buffer(size_t(response.body.size()),
                                              const_cast<char *>(response.body.constData()),
                                              MHD_RESPMEM_MUST_COPY);
    }
    for (const auto &[name, value] : std::as_const(response.headers))
        MHD_add_response_header(mhd, name.constData(), value.constData());
    if (m_logRequests) {
        // The path only: queries may carry presigned signatures, and headers carry tokens.
        const Request &r = ctx->request;
        std::fprintf(stderr, "clusterra-server: %s %s %d %s\n", qPrintable(methodName(r.method)),
                     qPrintable(r.path), response.status,
                     r.principal.isValid() ? qPrintable(r.principal.email) : "-");
    }
    const MHD_Result result = MHD_queue_response(ctx->connection, unsigned(response.status), mhd);
    MHD_destroy_response(mhd);
    return result;
}

void HttpServer::requestResume(ConnectionContext *ctx) {
    if (!ctx->suspended || !m_running)
        return;
    m_resumeQueue.insert(ctx);
    // One batch per event-loop pass: every MHD_run scans the suspended connections.
    if (!m_resumeTimer.isActive())
        m_resumeTimer.start();
}

void HttpServer::resumePending() {
    const auto queue = std::exchange(m_resumeQueue, {});
    for (ConnectionContext *ctx : queue) {
        if (m_streaming.contains(ctx) && ctx->suspended) {
            ctx->suspended = false;
            MHD_resume_connection(ctx->connection);
        }
    }
    // Resuming does not wake the loop (pitfall 2).
    run();
}

void HttpServer::completed(ConnectionContext *ctx) {
    m_streaming.remove(ctx);
    m_resumeQueue.remove(ctx);
    if (ctx->pending)
        QObject::disconnect(ctx->pending.get(), nullptr, this, nullptr);
    if (ctx->stream) {
        QObject::disconnect(ctx->stream.get(), nullptr, this, nullptr);
        ctx->stream->markClosed();
        if (!m_trimTimer.isActive())
            m_trimTimer.start();
    }
    delete ctx;
}

} // namespace clusterra::http
