#pragma once

#include "core/client/ApiClient.h"

#include <QHash>
#include <QQueue>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>
#include <functional>

// A scripted HTTP peer on 127.0.0.1: answers each request with the next canned reply, or
// drops the connection. Unit tests only; integration tests use the real server.
class FakeHttp : public QObject {
    Q_OBJECT
public:
    struct Reply {
        int status = 200;
        QByteArray body;
        bool drop = false;
        bool hold = false; // sends the status, headers and body, then keeps the connection silent
    };
    QQueue<Reply> replies;
    QList<QByteArray> requests;     // request lines with the Authorization header value
    QList<QByteArray> lastEventIds; // each request's Last-Event-ID header, empty when absent

    FakeHttp() {
        m_server.listen(QHostAddress::LocalHost);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection())
                connect(s, &QTcpSocket::readyRead, this, [this, s] { onData(s); });
        });
    }
    QUrl url() const {
        return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort()));
    }

private:
    void onData(QTcpSocket *s) {
        QByteArray &buf = m_buffers[s];
        buf += s->readAll();
        const qsizetype end = buf.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QByteArray head = buf.left(end);
        qsizetype length = 0;
        QByteArray auth;
        QByteArray lastEventId;
        for (const QByteArray &line : head.split('\n')) {
            if (line.toLower().startsWith("content-length:"))
                length = line.mid(15).trimmed().toLongLong();
            if (line.toLower().startsWith("authorization:"))
                auth = line.mid(14).trimmed();
            if (line.toLower().startsWith("last-event-id:"))
                lastEventId = line.mid(14).trimmed();
        }
        if (buf.size() < end + 4 + length)
            return;
        requests << head.left(head.indexOf('\r')) + " " + auth;
        lastEventIds << lastEventId;
        buf.remove(0, end + 4 + length);
        const Reply r = replies.isEmpty() ? Reply{500, "{}"} : replies.dequeue();
        if (r.drop) {
            s->abort();
            return;
        }
        if (r.hold) {
            // No length: the body runs until the connection closes, as an SSE stream does.
            s->write("HTTP/1.1 " + QByteArray::number(r.status) +
                     " X\r\nContent-Type: text/event-stream\r\n\r\n" + r.body);
            return;
        }
        s->write("HTTP/1.1 " + QByteArray::number(r.status) +
                 " X\r\nContent-Type: application/json\r\nContent-Length: " +
                 QByteArray::number(r.body.size()) + "\r\n\r\n" + r.body);
    }

    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

// Signs `api` in to `http` as "old" with a re-authentication that succeeds as "new" and counts
// its calls in `reauths`.
inline void signInRenewingToNew(clusterra::ApiClient &api, const FakeHttp &http, int &reauths) {
    api.setBaseUrl(http.url());
    api.setAccessToken("old");
    api.setReauthenticator([&api, &reauths](std::function<void(bool)> done) {
        ++reauths;
        api.setAccessToken("new");
        done(true);
    });
}
