#include "session/LocalServer.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
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
