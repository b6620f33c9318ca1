// Requests and signals that used to bring the server down, or that a hostile client sends to
// try: bodies nested past any sane depth, wrong JSON types, a signal while streams are open,
// thousands of connections from one address, and a signed-out access token used again.
#include "tests/server/TestServer.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTcpSocket>
#include <QTest>
#include <memory>
#include <sys/resource.h>

using nlohmann::json;
using testjobs::rawJob;

class TestRobustness : public QObject {
    Q_OBJECT
    TestServer server{{QStringLiteral("--sse-keepalive-ms"), QStringLiteral("500")}};
    QString cluster;

    int rawStatus(const QByteArray &method, const QString &path, const QByteArray &body) {
        return server
            .raw(method, server.url() + path, body,
                 {{"Authorization", "Bearer " + server.token()},
                  {"Content-Type", "application/json"}})
            .status;
    }
    QString at(const QString &path) const {
        return path.contains(QLatin1String("%1")) ? path.arg(cluster) : path;
    }
    bool healthy() {
        return server.raw("GET", server.url() + QStringLiteral("/healthz")).status == 200;
    }

    // `count` connections to the server, spread over `addresses` source addresses
    // 127.0.<net>.2, 127.0.<net>.3, ...
    static std::vector<std::unique_ptr<QTcpSocket>> connectMany(int count, int addresses, int net,
                                                                quint16 port) {
        rlimit files{};
        ::getrlimit(RLIMIT_NOFILE, &files);
        files.rlim_cur = files.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &files);
        std::vector<std::unique_ptr<QTcpSocket>> out;
        for (int i = 0; i < count; ++i) {
            auto s = std::make_unique<QTcpSocket>();
            s->bind(QHostAddress(QStringLiteral("127.0.%1.%2").arg(net).arg(2 + i % addresses)));
            s->connectToHost(QHostAddress::LocalHost, port);
            out.push_back(std::move(s));
        }
        return out;
    }
    std::vector<std::unique_ptr<QTcpSocket>> connectMany(int count, int addresses, int net) {
        return connectMany(count, addresses, net, quint16(QUrl(server.url()).port()));
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(server.start());
        QVERIFY(server.signIn());
        cluster = server.readyCluster(QStringLiteral("robust"));
    }

    // Nesting is refused while parsing, before anything recurses over the value.
    void deeplyNestedBodiesAreRefused_data() {
        QTest::addColumn<QString>("path");
        QTest::newRow("auth") << "/v1/auth/callback";
        QTest::newRow("clusters") << "/v1/clusters";
        QTest::newRow("submit") << "/v1/clusters/%1/jobs/submit";
        QTest::newRow("template params") << "/v1/clusters/%1/jobs/submit";
        QTest::newRow("multipart complete") << "/v1/clusters/%1/storage/multipart/x/complete";
    }
    void deeplyNestedBodiesAreRefused() {
        QFETCH(QString, path);
        const int depth = 140000; // 280 KB: it used to crash the server
        QByteArray deep = QByteArray(depth, '[') + QByteArray(depth, ']');
        if (QTest::currentDataTag() == QByteArray("template params"))
            deep = R"({"template_id":"hello-world","params":)" + deep + '}';
        const int status = rawStatus("POST", at(path), deep);
        QVERIFY2(status == 400 || status == 404 || status == 413,
                 QByteArray::number(status).constData());
        QVERIFY(healthy());
    }

    // A value of the wrong type is the caller's mistake (4xx), never the server's (500).
    void wrongTypesAreClientErrors_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("refresh token number")
            << "/v1/auth/refresh" << QByteArray(R"({"refresh_token":5})");
        QTest::newRow("refresh body array") << "/v1/auth/refresh" << QByteArray("[1]");
        QTest::newRow("logout body string") << "/v1/auth/logout" << QByteArray(R"("x")");
        QTest::newRow("params string")
            << "/v1/clusters/%1/jobs/submit"
            << QByteArray(R"({"template_id":"hello-world","params":"x"})");
        QTest::newRow("job not object")
            << "/v1/clusters/%1/jobs/submit" << QByteArray(R"({"script":"x","job":7})");
        QTest::newRow("parts string")
            << "/v1/clusters/%1/storage/multipart/x/complete" << QByteArray(R"({"parts":"x"})");
        QTest::newRow("cluster name number") << "/v1/clusters" << QByteArray(R"({"name":5})");
    }
    void wrongTypesAreClientErrors() {
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        const int status = rawStatus("POST", at(path), body);
        QVERIFY2(status >= 400 && status < 500, QByteArray::number(status).constData());
        QVERIFY(healthy());
    }

    // 2,000 connections from one address that never finish their headers: a client from
    // another address is still served at once.
    void oneAddressCannotHoldEveryConnection() {
        const auto hogs = connectMany(2000, 1, 0);
        QTest::qWait(1500);
        int connected = 0;
        for (auto &s : hogs) {
            if (s->state() == QAbstractSocket::ConnectedState) {
                s->write("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ");
                ++connected;
            }
        }
        QVERIFY(connected > 0);
        QTest::qWait(500);
        QVERIFY(healthy());
        // Past the per-address limit the server hung up; those still open are at most that.
        int stillOpen = 0;
        for (auto &s : hogs)
            stillOpen += s->state() == QAbstractSocket::ConnectedState;
        QVERIFY2(stillOpen <= 128, QByteArray::number(stillOpen).constData());
    }

    // 4,000 connections from 40 addresses (under each address's limit) that trickle their
    // headers a byte at a time, which an idle timeout alone never ends: a fresh client is
    // still served, and the server hangs up on every trickler once the header deadline passes.
    // A chunked body (no Content-Length) that turns out too large still gets its 413, as one
    // with a Content-Length does, instead of a connection closed without an answer.
    void oversizeChunkedBodiesGetAnAnswer() {
        QTcpSocket s;
        const QUrl url(server.url());
        s.connectToHost(url.host(), quint16(url.port()));
        QVERIFY(s.waitForConnected(5000));
        s.write("POST /v1/auth/callback HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                "Transfer-Encoding: chunked\r\n\r\n");
        const QByteArray chunk(64 * 1024, 'x');
        for (int i = 0; i < 32; ++i) // 2 MiB
            s.write(QByteArray::number(chunk.size(), 16) + "\r\n" + chunk + "\r\n");
        s.write("0\r\n\r\n");
        QByteArray answer;
        QElapsedTimer t;
        t.start();
        while (!answer.contains("\r\n\r\n") && t.elapsed() < 10000) {
            s.waitForReadyRead(200);
            answer += s.readAll();
        }
        QVERIFY2(answer.startsWith("HTTP/1.1 413"), answer.left(200).constData());
        QVERIFY(healthy());
    }

    void tricklingHeadersDoNotHoldConnections() {
        // Select mode (systems without epoll, and a CLUSTERRA_PORTABLE build's default)
        // watches at most FD_SETSIZE sockets.
#ifdef CLUSTERRA_PORTABLE
        const bool select = qgetenv("CLUSTERRA_TEST_HTTP_EVENTS") != "epoll";
#else
        const bool select = qgetenv("CLUSTERRA_TEST_HTTP_EVENTS") == "select";
#endif
        const int many = select ? 900 : 4000;
        const int enough = many - many / 40;
        const auto hogs = connectMany(many, 40, 1);
        QElapsedTimer t;
        t.start();
        int connected = 0;
        while (t.elapsed() < 5000 && connected < enough) {
            QTest::qWait(200);
            connected = 0;
            for (auto &s : hogs)
                connected += s->state() == QAbstractSocket::ConnectedState;
        }
        QVERIFY2(connected >= enough, QByteArray::number(connected).constData());
        for (auto &s : hogs)
            s->write("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ");
        // Trickle one byte a second on each, past the 10 s deadline.
        int open = connected;
        while (t.elapsed() < 17000 && open > 0) {
            QTest::qWait(1000);
            open = 0;
            for (auto &s : hogs) {
                if (s->state() == QAbstractSocket::ConnectedState) {
                    s->write("a");
                    ++open;
                }
            }
            if (t.elapsed() < 8000)
                QVERIFY2(healthy(), "a fresh client was not served");
        }
        QCOMPARE(open, 0);
        QVERIFY(healthy());
    }

    // Signing out ends the access token too, not only the refresh chain.
    void logoutRevokesTheAccessToken() {
        const QByteArray before = server.token();
        QVERIFY(server.signIn());
        const QByteArray token = server.token();
        QCOMPARE(server.get(QStringLiteral("/v1/users/me")).status, 200);
        QCOMPARE(server.post(QStringLiteral("/v1/auth/logout"), json::object()).status, 200);
        QCOMPARE(server.get(QStringLiteral("/v1/users/me")).status, 401);
        server.setToken(before); // another session of the same user is untouched
        QCOMPARE(server.get(QStringLiteral("/v1/users/me")).status, 200);
        QVERIFY(token != before);
        // A restart does not bring the signed-out token back.
        QVERIFY(server.restartOnSamePort());
        server.setToken(token);
        QCOMPARE(server.get(QStringLiteral("/v1/users/me")).status, 401);
        server.setToken(before);
        QCOMPARE(server.get(QStringLiteral("/v1/users/me")).status, 200);
    }

    // Another process holds the database's write lock: writes get a typed 503 after the busy
    // timeout, the executor's timer keeps going, and once the lock is gone all works again.
    void lockedDatabaseIsA503AndTheServerGoesOn() {
        QProcess locker;
        locker.start(QStringLiteral("python3"),
                     {QStringLiteral("-c"),
                      QStringLiteral("import sqlite3, sys, time\n"
                                     "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
                                     "c.execute('BEGIN EXCLUSIVE')\n"
                                     "print('locked', flush=True)\n"
                                     "time.sleep(9)\n"),
                      server.dataDir() + QStringLiteral("/clusterra.db")});
        QVERIFY(locker.waitForReadyRead(10000));
        QCOMPARE(locker.readAll().trimmed(), QByteArray("locked"));
        const auto r = server.post(QStringLiteral("/v1/clusters/%1/jobs/submit").arg(cluster),
                                   rawJob("#!/bin/sh\necho after-the-lock\n"));
        QCOMPARE(r.status, 503);
        QCOMPARE(r.json["error"].value("type", ""), std::string("ServiceUnavailable"));
        QVERIFY(healthy());
        QVERIFY(locker.waitForFinished(15000));
        QVERIFY(healthy());
        const qint64 id = server.submitJob(cluster, rawJob("#!/bin/sh\necho after-the-lock\n"));
        QVERIFY(id > 0);
        server.waitForJob(cluster, id, testjobs::inState("COMPLETED"));
    }

    // SIGTERM while a log stream and an event stream are open: streams end, exit code 0.
    void sigtermWithOpenStreamsExitsCleanly() {
        const qint64 id = server.submitJob(
            cluster, rawJob("#!/bin/bash\nfor i in $(seq 1 50); do echo s $i; sleep 0.1; done\n"));
        QVERIFY(id > 0);
        server.waitForJob(cluster, id, testjobs::inState("RUNNING"));
        QNetworkAccessManager nam;
        std::vector<QNetworkReply *> streams;
        for (const QString &path :
             QStringList{TestServer::jobPath(cluster, id) + QStringLiteral("/output/stream"),
                         QStringLiteral("/v1/clusters/%1/events/stream").arg(cluster)}) {
            QNetworkRequest req(QUrl(server.url() + path));
            req.setRawHeader("Authorization", "Bearer " + server.token());
            streams.push_back(nam.get(req));
        }
        QTRY_VERIFY_WITH_TIMEOUT(
            streams[0]->bytesAvailable() > 0 && streams[1]->bytesAvailable() > 0, 10000);
        QCOMPARE(server.stop(), 0);
        for (auto *r : streams)
            QTRY_VERIFY_WITH_TIMEOUT(r->isFinished(), 5000);
        QVERIFY(server.startOnSamePort());
        QVERIFY(server.signIn());
        server.waitForJob(cluster, id, testjobs::inState("COMPLETED"));
    }
};

QTEST_GUILESS_MAIN(TestRobustness)
#include "tst_robustness.moc"
