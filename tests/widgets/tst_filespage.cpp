#include "core/client/ApiClient.h"
#include "models/FileBrowser.h"
#include "models/FileListModel.h"
#include "models/TransferQueue.h"
#include "tests/server/TestServer.h"
#include "widgets/Confirm.h"
#include "widgets/FilesPage.h"

#include <QDir>
#include <QDropEvent>
#include <QFile>
#include <QMimeData>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace clusterra;

// Drives the Files tab against a real clusterra-server: drops files and folders from "the
// desktop" (a simulated drop event), and sees them listed, replaced, downloaded and deleted.
class TestFilesPage : public QObject {
    Q_OBJECT
    TestServer server;
    ApiClient *api = nullptr;
    TransferQueue *queue = nullptr;
    FilesPage *page = nullptr;
    QTemporaryDir desk;
    const QString home = QStringLiteral("data/admin@localhost/");

    QString writeFile(const QString &relative, const QByteArray &content) {
        const QString path = desk.filePath(relative);
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        f.open(QIODevice::WriteOnly);
        f.write(content);
        return path;
    }
    void drop(const QStringList &paths, QPoint at = QPoint(5, 5)) {
        auto *mime = new QMimeData;
        QList<QUrl> urls;
        for (const QString &p : paths)
            urls << QUrl::fromLocalFile(p);
        mime->setUrls(urls);
        QWidget *target = page->view()->viewport();
        QDragEnterEvent enter(at, Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(target, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent dropEvent(QPointF(at), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(target, &dropEvent);
        QVERIFY(dropEvent.isAccepted());
        delete mime;
    }
    int rowNamed(const QString &name) const {
        for (int r = 0; r < page->model()->rowCount(); ++r)
            if (page->model()->entry(r).name == name)
                return r;
        return -1;
    }
    void openAndWait(const QString &prefix) {
        QSignalSpy loaded(page->browser(), &FileBrowser::loaded);
        page->browser()->open(prefix);
        QVERIFY(loaded.wait(10000));
    }
    void select(const QStringList &names) {
        page->view()->clearSelection();
        auto *proxy = page->view()->model();
        for (int r = 0; r < proxy->rowCount(); ++r) {
            const QString key = proxy->index(r, 0).data(FileListModel::KeyRole).toString();
            for (const QString &n : names)
                if (key == page->browser()->prefix() + n ||
                    key == page->browser()->prefix() + n + QLatin1Char('/'))
                    page->view()->selectionModel()->select(proxy->index(r, 0),
                                                           QItemSelectionModel::Select |
                                                               QItemSelectionModel::Rows);
        }
    }
    bool allDone() const {
        for (int r = 0; r < queue->rowCount(); ++r)
            if (queue->state(r) != TransferQueue::State::Done)
                return false;
        return true;
    }

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(server.start());
        const QString cluster = server.readyCluster(QStringLiteral("files-gui"));
        api = new ApiClient(this);
        api->setBaseUrl(QUrl(server.url()));
        api->setAccessToken(server.token());
        queue = new TransferQueue(
            new TransferManager(api, desk.filePath(QStringLiteral("resume.json")), this), this);
        page = new FilesPage(api, queue);
        page->setUser(QStringLiteral("admin@localhost"), false);
        page->resize(900, 600);
        page->show();
        QSignalSpy loaded(page->browser(), &FileBrowser::loaded);
        page->setCluster(cluster);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(page->model()->rowCount(), 4); // data/ outputs/ scripts/ shared/
    }

    void cleanupTestCase() { delete page; }

    void areaTopOffersOwnFolder() {
        openAndWait(QStringLiteral("data/"));
        QVERIFY(rowNamed(QStringLiteral("admin@localhost")) >= 0);
        QVERIFY(page->model()->entry(rowNamed(QStringLiteral("admin@localhost"))).folder);
    }

    void droppedFilesAndFoldersAreListed() {
        openAndWait(home);
        QCOMPARE(page->model()->rowCount(), 0);
        const QString a = writeFile(QStringLiteral("a.txt"), "alpha\n");
        const QString b = writeFile(QStringLiteral("b.bin"), QByteArray(3000, 'b'));
        writeFile(QStringLiteral("run1/in.dat"), "input");
        writeFile(QStringLiteral("run1/sub/deep.txt"), "deep");
        drop({a, b, desk.filePath(QStringLiteral("run1"))});
        QTRY_COMPARE_WITH_TIMEOUT(queue->rowCount(), 4, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(allDone(), 20000);
        // Finished uploads refresh the folder on screen by themselves.
        QTRY_VERIFY_WITH_TIMEOUT(rowNamed(QStringLiteral("a.txt")) >= 0 &&
                                     rowNamed(QStringLiteral("b.bin")) >= 0 &&
                                     rowNamed(QStringLiteral("run1")) >= 0,
                                 10000);
        QCOMPARE(page->model()->entry(rowNamed(QStringLiteral("b.bin"))).size, 3000);
        QVERIFY(page->model()->entry(rowNamed(QStringLiteral("run1"))).folder);
        openAndWait(home + QStringLiteral("run1/sub/"));
        QCOMPARE(page->model()->rowCount(), 1);
        QCOMPARE(page->model()->entry(0).key, home + QStringLiteral("run1/sub/deep.txt"));
    }

    void dropOnFolderRowGoesIntoIt() {
        openAndWait(home);
        const int row = rowNamed(QStringLiteral("run1"));
        QVERIFY(row >= 0);
        const QModelIndex viewIndex = page->view()->model()->index(
            [&] {
                auto *m = page->view()->model();
                for (int r = 0; r < m->rowCount(); ++r)
                    if (m->index(r, 0).data(FileListModel::IsFolderRole).toBool())
                        return r;
                return -1;
            }(),
            0);
        const QPoint at = page->view()->visualRect(viewIndex).center();
        const int before = queue->rowCount();
        drop({writeFile(QStringLiteral("into.txt"), "into")}, at);
        QTRY_COMPARE_WITH_TIMEOUT(queue->rowCount(), before + 1, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(allDone(), 20000);
        openAndWait(home + QStringLiteral("run1/"));
        QVERIFY(rowNamed(QStringLiteral("into.txt")) >= 0);
    }

    void existingFileIsReplacedOnlyWhenTheUserSaysSo() {
        openAndWait(home);
        const QString a = writeFile(QStringLiteral("a.txt"), "alpha, second version\n");
        const int before = queue->rowCount();
        Confirm::setNextAnswer(false);
        page->uploadPaths({a}, home);
        QTRY_VERIFY_WITH_TIMEOUT(Confirm::lastQuestion().contains(home + QStringLiteral("a.txt")),
                                 10000);
        QTest::qWait(300);
        QCOMPARE(queue->rowCount(), before); // skipped: nothing queued
        Confirm::setNextAnswer(true);
        page->uploadPaths({a}, home);
        QTRY_COMPARE_WITH_TIMEOUT(queue->rowCount(), before + 1, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(allDone(), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(page->model()->entry(rowNamed(QStringLiteral("a.txt"))).size,
                                  qint64(22), 10000);
    }

    void foldersDownloadWithTheirLayout() {
        openAndWait(home);
        select({QStringLiteral("run1"), QStringLiteral("b.bin")});
        QTemporaryDir into;
        const int before = queue->rowCount();
        page->downloadSelectionTo(into.path());
        QTRY_COMPARE_WITH_TIMEOUT(queue->rowCount(), before + 4, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(allDone(), 20000);
        auto read = [&](const QString &rel) {
            QFile f(into.filePath(rel));
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
        };
        QCOMPARE(read(QStringLiteral("b.bin")), QByteArray(3000, 'b'));
        QCOMPARE(read(QStringLiteral("run1/in.dat")), QByteArray("input"));
        QCOMPARE(read(QStringLiteral("run1/sub/deep.txt")), QByteArray("deep"));
        QCOMPARE(read(QStringLiteral("run1/into.txt")), QByteArray("into"));
        QVERIFY(!QFileInfo::exists(into.filePath(QStringLiteral("b.bin.part"))));
    }

    void deleteAsksFirst() {
        openAndWait(home);
        select({QStringLiteral("run1")});
        Confirm::setNextAnswer(false);
        page->deleteSelection();
        QTRY_VERIFY_WITH_TIMEOUT(Confirm::lastQuestion().contains(QStringLiteral("Delete 3")),
                                 10000);
        QTest::qWait(300);
        page->browser()->refresh();
        QTRY_VERIFY(!page->browser()->isLoading());
        QVERIFY(rowNamed(QStringLiteral("run1")) >= 0);
        select({QStringLiteral("run1")});
        Confirm::setNextAnswer(true);
        page->deleteSelection();
        QTRY_VERIFY_WITH_TIMEOUT(rowNamed(QStringLiteral("run1")) < 0, 10000);
        QVERIFY(rowNamed(QStringLiteral("a.txt")) >= 0);
    }

    void newFolderIsCheckedAndOpened() {
        openAndWait(home);
        QVERIFY(!page->createFolder(QStringLiteral("bad/name")).isEmpty());
        QVERIFY(page->createFolder(QStringLiteral("a.txt")).contains(QStringLiteral("exists")));
        QVERIFY(page->createFolder(QStringLiteral("results")).isEmpty());
        QTRY_COMPARE(page->browser()->prefix(), home + QStringLiteral("results/"));
        openAndWait(home);
        QVERIFY(rowNamed(QStringLiteral("results")) >= 0); // shown though it is still empty
        // shared/ is for admins: this user cannot make folders there.
        openAndWait(QStringLiteral("shared/"));
        QVERIFY(page->createFolder(QStringLiteral("x")).contains(QStringLiteral("admin")));
    }

    void cancelledUploadRetriesToTheEnd() {
        QByteArray big(20 << 20, Qt::Uninitialized);
        for (int i = 0; i < big.size(); ++i)
            big[i] = char(uint(i) * 131u + (uint(i) >> 12)); // unsigned: it wraps by design
        const QString path = writeFile(QStringLiteral("big.bin"), big);
        queue->manager()->setMultipartThreshold(
            1); // multipart, so the retry resumes from stored parts
        const int row = queue->manager()->upload(page->browser()->clusterId(), path,
                                                 home + QStringLiteral("big.bin"));
        queue->cancel(row);
        QCOMPARE(queue->state(row), TransferQueue::State::Cancelled);
        QVERIFY(queue->index(row, 0).data(TransferQueue::CanRetryRole).toBool());
        queue->retry(row);
        QTRY_COMPARE_WITH_TIMEOUT(queue->state(row), TransferQueue::State::Done, 30000);
        openAndWait(home);
        QCOMPARE(page->model()->entry(rowNamed(QStringLiteral("big.bin"))).size,
                 qint64(big.size()));
    }

    // The server goes away in the middle of an upload: the page stays, the transfer fails
    // with a retry offered (or is still retrying), and once the server is back it finishes.
    void uploadOutlivesTheServerGoingAway() {
        QByteArray big(48 << 20, Qt::Uninitialized);
        for (int i = 0; i < big.size(); ++i)
            big[i] = char(uint(i) * 137u + (uint(i) >> 11)); // unsigned: it wraps by design
        const QString path = writeFile(QStringLiteral("through-outage.bin"), big);
        queue->manager()->setMultipartThreshold(1);
        const int row = queue->manager()->upload(page->browser()->clusterId(), path,
                                                 home + QStringLiteral("through-outage.bin"));
        QTRY_COMPARE_WITH_TIMEOUT(queue->state(row), TransferQueue::State::Running, 10000);
        QCOMPARE(server.stop(), 0);
        QTest::qWait(6000);
        QVERIFY(page->isVisible());
        const auto state = queue->state(row);
        QVERIFY(state == TransferQueue::State::Failed || state == TransferQueue::State::Running ||
                state == TransferQueue::State::Done);
        QVERIFY(server.startOnSamePort());
        if (queue->state(row) == TransferQueue::State::Failed) {
            QVERIFY(queue->index(row, 0).data(TransferQueue::CanRetryRole).toBool());
            queue->retry(row);
        }
        QTRY_COMPARE_WITH_TIMEOUT(queue->state(row), TransferQueue::State::Done, 60000);
        openAndWait(home);
        QCOMPARE(page->model()->entry(rowNamed(QStringLiteral("through-outage.bin"))).size,
                 qint64(big.size()));
    }
};

QTEST_MAIN(TestFilesPage)
#include "tst_filespage.moc"
