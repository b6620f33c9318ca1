#include "session/LocalServer.h"

#include <csignal>
#include <nlohmann/json.hpp>

#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace clusterra;

// The Local profile's server: started as a child, reused when already running, stopped on
// exit only when we started it.
class TestLocalServer : public QObject {
    Q_OBJECT

    static int healthz(const QUrl &url) {
        QNetworkAccessManager nam;
        QNetworkReply *reply =
            nam.get(QNetworkRequest(url.resolved(QUrl(QStringLiteral("/healthz")))));
        QSignalSpy done(reply, &QNetworkReply::finished);
        done.wait(5000);
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        reply->deleteLater();
        return status;
    }

private Q_SLOTS:
    void startsReusesAndStops() {
        QTemporaryDir dir;
        LocalServer first(dir.path(), LocalServer::findServerProgram());
        QSignalSpy ready(&first, &LocalServer::ready);
        first.start();
        QVERIFY(ready.wait(20000));
        const QUrl url = ready[0][0].toUrl();
        QVERIFY(!ready[0][1].toByteArray().isEmpty()); // the local token
        QVERIFY(first.ownsProcess());
        QCOMPARE(healthz(url), 200);

        LocalServer second(dir.path(), LocalServer::findServerProgram());
        QSignalSpy reused(&second, &LocalServer::ready);
        second.start();
        QVERIFY(reused.wait(5000));
        QCOMPARE(reused[0][0].toUrl(), url);
        QVERIFY(!second.ownsProcess());
        second.stop(); // not ours: the server keeps running
        QCOMPARE(healthz(url), 200);

        first.stop();
        QCOMPARE(healthz(url), 0);
    }

    void staleServerJsonIsNotTrusted() {
        QTemporaryDir dir;
        QFile stale(dir.filePath(QStringLiteral("server.json")));
        QVERIFY(stale.open(QIODevice::WriteOnly));
        stale.write("{\"url\":\"http://127.0.0.1:1\",\"pid\":1}");
        stale.close();
        LocalServer server(dir.path(), LocalServer::findServerProgram());
        QSignalSpy ready(&server, &LocalServer::ready);
        server.start();
        QVERIFY(ready.wait(20000));
        QVERIFY(server.ownsProcess());
        QVERIFY(ready[0][0].toUrl().port() != 1);
        server.stop();
    }

    // The child dies (killed, crashed): it is started again on the same port, so the
    // console's connections simply reconnect; a stop is not a death.
    void aServerThatDiesIsStartedAgain() {
        QTemporaryDir dir;
        LocalServer server(dir.path(), LocalServer::findServerProgram());
        QSignalSpy ready(&server, &LocalServer::ready);
        QSignalSpy restarting(&server, &LocalServer::restarting);
        QSignalSpy restarted(&server, &LocalServer::restarted);
        server.start();
        QVERIFY(ready.wait(20000));
        const QUrl url = ready[0][0].toUrl();
        QFile info(dir.filePath(QStringLiteral("server.json")));
        QVERIFY(info.open(QIODevice::ReadOnly));
        const qint64 pid = nlohmann::json::parse(info.readAll().toStdString())["pid"].get<qint64>();
        QVERIFY(pid > 0);
        ::kill(pid_t(pid), SIGKILL);
        QVERIFY(restarting.wait(5000));
        QVERIFY(restarted.wait(20000));
        QCOMPARE(restarted[0][0].toUrl(), url);
        QCOMPARE(healthz(url), 200);
        QCOMPARE(ready.size(), 1);
        server.stop();
        QTest::qWait(1500);
        QCOMPARE(healthz(url), 0); // stopped stays stopped
        QCOMPARE(restarted.size(), 1);
    }

    // A server found running (another console's, now gone) dies: this console starts its
    // own on the data directory, and the one lock per directory keeps it to one server.
    void aReusedServerThatDiesIsReplaced() {
        QTemporaryDir dir;
        QProcess outside;
        outside.start(LocalServer::findServerProgram(),
                      {QStringLiteral("--data"), dir.path(), QStringLiteral("--listen"),
                       QStringLiteral("127.0.0.1:0")});
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(dir.filePath(QStringLiteral("server.json"))), 20000);
        LocalServer server(dir.path(), LocalServer::findServerProgram());
        QSignalSpy ready(&server, &LocalServer::ready);
        QSignalSpy restarted(&server, &LocalServer::restarted);
        server.start();
        QVERIFY(ready.wait(20000));
        QVERIFY(!server.ownsProcess());
        outside.kill();
        QVERIFY(outside.waitForFinished(5000));
        QVERIFY(restarted.wait(20000));
        QVERIFY(server.ownsProcess());
        QCOMPARE(healthz(restarted[0][0].toUrl()), 200);
        // A second server on the same directory refuses to start.
        QProcess second;
        second.start(LocalServer::findServerProgram(),
                     {QStringLiteral("--data"), dir.path(), QStringLiteral("--listen"),
                      QStringLiteral("127.0.0.1:0")});
        QVERIFY(second.waitForFinished(10000));
        QVERIFY(second.exitCode() != 0);
        QVERIFY(second.readAllStandardError().contains("another clusterra-server"));
        // Nothing a job can do in the directory breaks the lock: it is not a file in it.
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("server.lock"))));
        server.stop();
    }

    void missingProgramFailsClearly() {
        QTemporaryDir dir;
        LocalServer server(dir.path(), QStringLiteral("/nonexistent/clusterra-server"));
        QSignalSpy failed(&server, &LocalServer::failed);
        server.start();
        QVERIFY(failed.wait(5000));
        QVERIFY(failed[0][0].toString().contains(QStringLiteral("Cannot start")));
    }
};

QTEST_GUILESS_MAIN(TestLocalServer)
#include "tst_localserver.moc"
