#pragma once

#include "server/http/Router.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QSet>
#include <QTimer>

struct MHD_Daemon;
struct MHD_Connection;
class QSocketNotifier;

namespace clusterra::http {

struct ConnectionContext;

struct HttpServerLimits {
    int connectionLimit = 4096;
    // One address cannot take every connection (a client trickling bytes on thousands).
    int perAddressLimit = 128;
    int idleTimeoutSecs = 120;
    // A request's headers must be complete this long after the connection opened (or after
    // its previous request ended): trickling a byte at a time does not hold a connection.
    int headerDeadlineMs = 10000;
    int listenBacklog = 512;
    // How MHD's sockets reach the Qt event loop: one epoll descriptor where the system has
    // epoll (Linux), else a notifier per socket from MHD's fd sets (macOS, Windows; at most
    // FD_SETSIZE sockets). Epoll is the default wherever it exists.
    enum class Events { Auto, Epoll, Select };
    Events events = Events::Auto;
};

// GNU libmicrohttpd driven by the Qt event loop of the calling thread: no MHD thread, the
// epoll fd on a QSocketNotifier, a timer re-armed from MHD_get_timeout after every run, and
// suspend/resume for streaming bodies. The server stays single-threaded and Qt-native.
class HttpServer : public QObject {
    Q_OBJECT
public:
    explicit HttpServer(const Router &router, QObject *parent = nullptr);
    ~HttpServer() override;

    bool listen(const QHostAddress &address, quint16 port, QString *error,
                const HttpServerLimits &limits = {});
    quint16 port() const { return m_port; }
    void close();

    int openStreams() const { return int(m_streaming.size()); }
    // One stderr line per answered request (method, path, status, who); off by default.
    void setRequestLog(bool on) { m_logRequests = on; }
    // A path every route may also be reached under (/prefix/v1/...), for a reverse proxy that
    // passes it on; one that strips it reaches the same routes. Empty: none.
    void setPathPrefix(const QString &prefix) { m_pathPrefix = prefix; }

private:
    friend struct MhdGlue; // the C callbacks, with MHD's exact signatures

    void completed(ConnectionContext *ctx);
    void connectionOpened(MHD_Connection *connection);
    void connectionClosed(MHD_Connection *connection);
    void dropLateHeaders();
    int handle(MHD_Connection *connection, const char *url, const char *method,
               const char *uploadData, size_t *uploadDataSize, void **connectionContext);
    int queue(ConnectionContext *ctx, Response response);
    void requestResume(ConnectionContext *ctx);
    void resumePending();
    void run();
    // Select mode: a read or write notifier for exactly the sockets MHD now waits on.
    void watchSockets();

    const Router &m_router;
    MHD_Daemon *m_daemon = nullptr;
    bool m_logRequests = false;
    QString m_pathPrefix;
    QSocketNotifier *m_notifier = nullptr; // epoll mode
    bool m_selectMode = false;
    QHash<int, QSocketNotifier *> m_readers, m_writers; // select mode
    QTimer m_timer;
    QTimer m_resumeTimer;
    QSet<ConnectionContext *> m_resumeQueue;
    QSet<ConnectionContext *> m_streaming;
    // Connections still waiting for a request's headers: their socket and since when.
    struct AwaitingHeaders {
        int fd = -1;
        qint64 sinceMs = 0;
    };
    QHash<MHD_Connection *, AwaitingHeaders> m_awaitingHeaders;
    QTimer m_headerTimer;
    QTimer m_trimTimer; // after streams close: their buffers go back to the system
    int m_headerDeadlineMs = 10000;
    quint16 m_port = 0;
    bool m_running = false;
};

} // namespace clusterra::http
