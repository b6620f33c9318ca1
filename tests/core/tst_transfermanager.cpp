// The transfer engine below the widgets, against a real clusterra-server: order and the limit
// on running transfers, cancel and retry, and the index signals a model presents row by row.
#include "core/client/ApiClient.h"
#include "core/transfer/TransferManager.h"
#include "tests/server/TestServer.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace clusterra;
using State = TransferEntry::State;

class TestTransferManager : public QObject {
    Q_OBJECT
    TestServer server;
    QTemporaryDir desk;
    ApiClient *api = nullptr;
    QString cluster;

    QString localFile(const QString &name, const QByteArray &bytes) {
        const QString path = desk.filePath(name);
        QFile f(path);
        if (f.open(QIODevice::WriteOnly))
            f.write(bytes);
        return path;
    }

    bool allEnded(const TransferManager &m) {
        for (int i = 0; i < m.count(); ++i)
            if (m.at(i).isActive())
                return false;
        return true;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(server.start());
        cluster = server.readyCluster(QStringLiteral("transfers"));
        QVERIFY(!cluster.isEmpty());
        api = new ApiClient(this);
        api->setBaseUrl(QUrl(server.url()));
        api->setAccessToken(server.token());
    }

    void runsInOrderWithinTheLimit() {
        TransferManager m(api, desk.filePath(QStringLiteral("resume-1.json")));
        m.setMaxRunning(1);
        int mostRunning = 0;
        connect(&m, &TransferManager::changed, this, [&] {
            int running = 0;
            for (int i = 0; i < m.count(); ++i)
                running += m.at(i).state == State::Running;
            mostRunning = qMax(mostRunning, running);
        });
        QSignalSpy added(&m, &TransferManager::added);
        QSignalSpy ended(&m, &TransferManager::transferEnded);
        const QString me = QStringLiteral("data/admin@localhost/");
        for (int i = 0; i < 3; ++i)
            QCOMPARE(
                m.upload(cluster,
                         localFile(QStringLiteral("f%1.txt").arg(i), QByteArray(1000 + i, 'x')),
                         me + QStringLiteral("order/f%1.txt").arg(i)),
                i);
        QCOMPARE(added.size(), 3);
        QCOMPARE(m.at(0).state, State::Running);
        QCOMPARE(m.at(1).state, State::Queued);
        QCOMPARE(m.activeCount(), 3);
        QTRY_VERIFY_WITH_TIMEOUT(allEnded(m), 20000);
        QCOMPARE(mostRunning, 1);
        QCOMPARE(ended.size(), 3);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(m.at(i).state, State::Done);
            QCOMPARE(m.at(i).done, qint64(1000 + i));
            QCOMPARE(ended.at(i).at(1).toString(), me + QStringLiteral("order/f%1.txt").arg(i));
            QVERIFY(ended.at(i).at(3).toBool());
        }

        // What a download brings back is what went up.
        const QString back = desk.filePath(QStringLiteral("back.txt"));
        const int d = m.download(cluster, me + QStringLiteral("order/f2.txt"), back);
        QTRY_COMPARE_WITH_TIMEOUT(m.at(d).state, State::Done, 20000);
        QFile f(back);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray(1002, 'x'));

        QSignalSpy aboutToRemove(&m, &TransferManager::aboutToRemove);
        m.removeFinished();
        QCOMPARE(m.count(), 0);
        QCOMPARE(aboutToRemove.size(), 4);
        QCOMPARE(aboutToRemove.first().first().toInt(), 3); // from the end, indexes stay valid
    }

    void cancelAndRetry() {
        TransferManager m(api, desk.filePath(QStringLiteral("resume-2.json")));
        m.setMaxRunning(1);
        QSignalSpy ended(&m, &TransferManager::transferEnded);
        const QString me = QStringLiteral("data/admin@localhost/");
        m.upload(cluster, localFile(QStringLiteral("a.txt"), "a"), me + QStringLiteral("c/a.txt"));
        const int queued = m.upload(cluster, localFile(QStringLiteral("b.txt"), "b"),
                                    me + QStringLiteral("c/b.txt"));
        m.cancel(queued);
        QCOMPARE(m.at(queued).state, State::Cancelled);
        QCOMPARE(ended.size(), 1);
        QVERIFY(!ended.first().at(3).toBool());
        m.cancel(queued); // once is enough
        QCOMPARE(ended.size(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(m.at(0).state, State::Done, 20000);
        m.retry(queued);
        QTRY_COMPARE_WITH_TIMEOUT(m.at(queued).state, State::Done, 20000);
        m.removeFinished();
        QCOMPARE(m.count(), 0);

        // A file that is not there fails with a reason, and stays to be retried.
        const int missing = m.upload(cluster, desk.filePath(QStringLiteral("nope.txt")),
                                     me + QStringLiteral("c/nope.txt"));
        QTRY_COMPARE_WITH_TIMEOUT(m.at(missing).state, State::Failed, 20000);
        QVERIFY(!m.at(missing).error.isEmpty());
        m.removeFinished();
        QCOMPARE(m.count(), 1);
        QCOMPARE(m.activeCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestTransferManager)
#include "tst_transfermanager.moc"
