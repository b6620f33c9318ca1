#include "tests/server/TestServer.h"

#include "core/crypto/Jwt.h"

#include <QFile>
#include <QTcpSocket>
#include <QTest>

using nlohmann::json;

class TestAuthApi : public QObject {
    Q_OBJECT
    TestServer server;

    QByteArray secret() {
        QFile f(server.dataDir() + QStringLiteral("/jwt-secret"));
        f.open(QIODevice::ReadOnly);
        return f.readAll().trimmed();
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(server.start()); }

    void publicRoutes() {
        QCOMPARE(server.request("GET", QStringLiteral("/healthz"), nullptr, QByteArray()).status,
                 200);
        QCOMPARE(server.request("GET", QStringLiteral("/v1/version"), nullptr, QByteArray()).status,
                 200);
        QCOMPARE(server.request("GET", QStringLiteral("/v1/auth/config"), nullptr, QByteArray())
                     .json["mode"]
                     .get<std::string>(),
                 std::string("local"));
    }

    void refusals_data() {
        QTest::addColumn<QByteArray>("token");
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        QTest::newRow("none") << QByteArray();
        QTest::newRow("garbage") << QByteArray("not-a-jwt");
        QTest::newRow("expired") << clusterra::jwt::signHs256(
            {{"iss", "clusterra-server"}, {"sub", "1"}, {"iat", now - 3600}, {"exp", now - 60}},
            secret());
        QTest::newRow("other secret") << clusterra::jwt::signHs256(
            {{"iss", "clusterra-server"}, {"sub", "1"}, {"iat", now}, {"exp", now + 600}}, "wrong");
        QTest::newRow("foreign issuer") << clusterra::jwt::signHs256(
            {{"iss", "evil"}, {"sub", "1"}, {"iat", now}, {"exp", now + 600}}, secret());
        QTest::newRow("unknown user") << clusterra::jwt::signHs256(
            {{"iss", "clusterra-server"}, {"sub", "999"}, {"iat", now}, {"exp", now + 600}},
            secret());
        QByteArray tampered = server.token();
        const auto parts = tampered.split('.');
        tampered = parts[0] + '.' + parts[1] + "x." + parts[2];
        QTest::newRow("tampered") << tampered;
    }

    void refusals() {
        QFETCH(QByteArray, token);
        for (const QString &path : {QStringLiteral("/v1/clusters"), QStringLiteral("/v1/templates"),
                                    QStringLiteral("/v1/users/me")}) {
            const auto r = server.request("GET", path, nullptr, token);
            QCOMPARE(r.status, 401);
            QCOMPARE(r.json["error"]["type"].get<std::string>(), std::string("Unauthorized"));
            QVERIFY(!r.body.contains("clusters\""));
        }
    }

    void validTokenAndCookie() {
        QCOMPARE(server.get(QStringLiteral("/v1/users/me")).json["role"].get<std::string>(),
                 std::string("admin"));
        const auto r = server.request("GET", QStringLiteral("/v1/users/me"), nullptr, QByteArray(),
                                      {{"Cookie", "clusterra_session=" + server.token()}});
        QCOMPARE(r.status, 200);
    }

    void wrongLocalToken() {
        const auto r = server.request("POST", QStringLiteral("/v1/auth/callback"),
                                      {{"local_token", "guess"}}, QByteArray());
        QCOMPARE(r.status, 401);
    }

    void refreshRotatesAndReuseRevokes() {
        QFile f(server.dataDir() + QStringLiteral("/local-token"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const auto login =
            server.request("POST", QStringLiteral("/v1/auth/callback"),
                           {{"local_token", f.readAll().trimmed().toStdString()}}, QByteArray());
        const std::string r1 = login.json["refresh_token"].get<std::string>();
        const auto second = server.request("POST", QStringLiteral("/v1/auth/refresh"),
                                           {{"refresh_token", r1}}, QByteArray());
        QCOMPARE(second.status, 200);
        const std::string r2 = second.json["refresh_token"].get<std::string>();
        QVERIFY(r2 != r1);
        // Reusing the first one is theft: refused, and the newer token dies with it.
        QCOMPARE(server
                     .request("POST", QStringLiteral("/v1/auth/refresh"), {{"refresh_token", r1}},
                              QByteArray())
                     .status,
                 401);
        QCOMPARE(server
                     .request("POST", QStringLiteral("/v1/auth/refresh"), {{"refresh_token", r2}},
                              QByteArray())
                     .status,
                 401);
    }

    // 200 malformed requests over raw TCP; the server keeps serving.
    void survivesMalformedRequests() {
        const QUrl url(server.url());
        const QList<QByteArray> junk{
            "GARBAGE\r\n\r\n",
            "GET\r\n\r\n",
            "GET / HTTP/9.9\r\n\r\n",
            "\x00\x01\x02\r\n\r\n",
            "POST /v1/clusters HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n",
            "POST /v1/auth/callback HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n{\"a\"",
            "GET /v1/clusters/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /" + QByteArray(20000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n",
            "POST /v1/auth/callback HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
            "chunked\r\n\r\nzz\r\n",
            "GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n",
        };
        for (int i = 0; i < 200; ++i) {
            QTcpSocket s;
            s.connectToHost(url.host(), quint16(url.port()));
            QVERIFY(s.waitForConnected(2000));
            s.write(junk[i % junk.size()]);
            s.waitForBytesWritten(1000);
            if (i % 3 == 0)
                s.waitForReadyRead(200);
            s.abort();
        }
        QCOMPARE(server.request("GET", QStringLiteral("/healthz"), nullptr, QByteArray()).status,
                 200);
        // A body over the route's limit is refused from its Content-Length, before it is sent.
        QTcpSocket big;
        big.connectToHost(url.host(), quint16(url.port()));
        QVERIFY(big.waitForConnected(2000));
        big.write("POST /v1/clusters HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  "Content-Length: 2097152\r\n\r\n");
        QByteArray answer;
        while (!answer.contains("\r\n\r\n") && big.waitForReadyRead(3000))
            answer += big.readAll();
        QVERIFY2(answer.startsWith("HTTP/1.1 413"), answer.constData());
        QCOMPARE(server.get(QStringLiteral("/v1/clusters")).status, 200);
    }

    void unknownRouteAndMethod() {
        QCOMPARE(server.get(QStringLiteral("/v1/nope")).status, 404);
        QCOMPARE(server.request("PUT", QStringLiteral("/v1/clusters")).status, 405);
    }
};

QTEST_GUILESS_MAIN(TestAuthApi)
#include "tst_auth_api.moc"
