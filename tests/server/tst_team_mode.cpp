// The server as a team runs it: on an address that is not 127.0.0.1, and behind a reverse
// proxy that puts it under a path. Every URL it hands out (server.json, signed file URLs) must
// work from where the client stands, for uploads and downloads alike.
#include "tests/server/TestServer.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using nlohmann::json;

namespace {

// A reverse proxy as nginx's `location /team/clusterra/ { proxy_pass http://upstream/; }`:
// requests under the prefix go upstream without it, anything else is a 404. One request per
// connection (it asks for Connection: close), which is all a test needs.
class PrefixProxy : public QObject {
public:
    PrefixProxy(QByteArray prefix, QHostAddress upstream, quint16 upstreamPort)
        : m_prefix(std::move(prefix))
        , m_upstream(std::move(upstream))
        , m_upstreamPort(upstreamPort) {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *client = m_server.nextPendingConnection())
                serve(client);
        });
    }
    bool listen(const QHostAddress &address) { return m_server.listen(address, 0); }
    quint16 port() const { return m_server.serverPort(); }
    int forwarded() const { return m_forwarded; }

private:
    void serve(QTcpSocket *client) {
        auto *head = new QByteArray;
        connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
        connect(client, &QObject::destroyed, this, [head] { delete head; });
        connect(client, &QTcpSocket::readyRead, this, [this, client, head] {
            if (client->property("upstream").isValid())
                return; // piping already
            head->append(client->readAll());
            const qsizetype end = head->indexOf("\r\n\r\n");
            if (end < 0)
                return;
            QList<QByteArray> lines = head->left(end).split('\n');
            QList<QByteArray> request = lines[0].trimmed().split(' ');
            if (request.size() != 3 || !request[1].startsWith(QByteArray(m_prefix + '/'))) {
                client->write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: "
                              "close\r\n\r\n");
                client->disconnectFromHost();
                return;
            }
            request[1] = request[1].mid(m_prefix.size());
            QByteArray rewritten = request.join(' ') + "\r\n";
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const QByteArray line = lines[i].trimmed();
                if (!line.toLower().startsWith("connection:"))
                    rewritten += line + "\r\n";
            }
            rewritten += "Connection: close\r\n\r\n" + head->mid(end + 4);
            auto *up = new QTcpSocket(client);
            client->setProperty("upstream", true);
            connect(up, &QTcpSocket::readyRead, client,
                    [up, client] { client->write(up->readAll()); });
            connect(client, &QTcpSocket::readyRead, up,
                    [up, client] { up->write(client->readAll()); });
            connect(up, &QTcpSocket::disconnected, client,
                    [client] { client->disconnectFromHost(); });
            ++m_forwarded;
            up->connectToHost(m_upstream, m_upstreamPort);
            up->write(rewritten); // buffered until connected, ahead of any later body bytes
        });
    }

    QTcpServer m_server;
    QByteArray m_prefix;
    QHostAddress m_upstream;
    quint16 m_upstreamPort;
    int m_forwarded = 0;
};

quint16 freePort(const QHostAddress &address) {
    QTcpServer probe;
    probe.listen(address, 0);
    return probe.serverPort();
}

} // namespace

class TestTeamMode : public QObject {
    Q_OBJECT
    // Uploads through a signed URL the server handed out, downloads it through another, and
    // checks both URLs name `base` (scheme, host, port and path prefix).
    static void roundTrip(TestServer &server, const QString &cluster, const QString &base) {
        const QString key = QStringLiteral("data/admin@localhost/team/notes ü.txt");
        const QByteArray content = "written from another machine\n";
        const auto put = server.presign(cluster, key, "PUT");
        QCOMPARE(put.status, 200);
        const QString putUrl = TestServer::presignedUrl(put);
        QVERIFY2(putUrl.startsWith(base + QStringLiteral("/s3/")), qPrintable(putUrl));
        QCOMPARE(server.raw("PUT", putUrl, content).status, 200);
        const auto get = server.presign(cluster, key, "GET");
        const QString getUrl = TestServer::presignedUrl(get);
        QVERIFY2(getUrl.startsWith(base + QStringLiteral("/s3/")), qPrintable(getUrl));
        const TestServer::Raw r = server.raw("GET", getUrl);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, content);
        // A signature is for its own path: the same query on another key is refused.
        QString other = getUrl;
        other.replace(QStringLiteral("notes"), QStringLiteral("notez"));
        QCOMPARE(server.raw("GET", other).status, 403);
    }

private Q_SLOTS:
    void listensOnAnotherAddress() {
        TestServer server({QStringLiteral("--listen"), QStringLiteral("127.0.0.2:0")});
        QVERIFY(server.start());
        const QUrl url(server.url());
        QCOMPARE(url.host(), QStringLiteral("127.0.0.2"));
        QVERIFY(url.port() > 0);
        const QString cluster = server.readyCluster(QStringLiteral("team"));
        roundTrip(server, cluster, server.url());
    }

    void behindAProxyWithAPathPrefix() {
        const QHostAddress serverAddress(QStringLiteral("127.0.0.2"));
        const quint16 serverPort = freePort(serverAddress);
        PrefixProxy proxy("/team/clusterra", serverAddress, serverPort);
        QVERIFY(proxy.listen(QHostAddress(QStringLiteral("127.0.0.3"))));
        const QString publicUrl =
            QStringLiteral("http://127.0.0.3:%1/team/clusterra").arg(proxy.port());
        TestServer server({QStringLiteral("--listen"),
                           QStringLiteral("127.0.0.2:%1").arg(serverPort),
                           QStringLiteral("--public-url"), publicUrl + QLatin1Char('/')});
        // server.json names the public URL, so every request of this test (sign-in, cluster,
        // presign, the transfers) goes through the proxy.
        QVERIFY(server.start());
        QCOMPARE(server.url(), publicUrl);
        const QString cluster = server.readyCluster(QStringLiteral("proxied"));
        roundTrip(server, cluster, publicUrl);
        QVERIFY(proxy.forwarded() >= 6);

        // A proxy that passes the prefix on reaches the same routes.
        TestServer::Raw direct = server.raw(
            "GET", QStringLiteral("http://127.0.0.2:%1/team/clusterra/healthz").arg(serverPort));
        QCOMPARE(direct.status, 200);
        direct = server.raw(
            "GET", QStringLiteral("http://127.0.0.2:%1/team/clusterrax/healthz").arg(serverPort));
        QCOMPARE(direct.status, 404);
    }

    void refusesAPublicUrlItCannotUse_data() {
        QTest::addColumn<QString>("url");
        QTest::newRow("no scheme") << QStringLiteral("hpc.example.org/clusterra");
        QTest::newRow("ftp") << QStringLiteral("ftp://hpc.example.org/");
        QTest::newRow("query") << QStringLiteral("https://hpc.example.org/?x=1");
        QTest::newRow("user") << QStringLiteral("https://me:pw@hpc.example.org/");
    }
    void refusesAPublicUrlItCannotUse() {
        QFETCH(QString, url);
        TestServer server({QStringLiteral("--public-url"), url});
        QVERIFY(!server.start());
        QCOMPARE(server.stop(), -1); // it exited by itself (code 2)
    }
};

QTEST_GUILESS_MAIN(TestTeamMode)
#include "tst_team_mode.moc"
