// A download against a real clusterra-server: the bytes are checked against the object's ETag
// as they arrive, a resumed download counts the bytes an earlier run kept, and a partial file
// that is not the object's is caught, removed and fetched again.
#include "core/client/ApiClient.h"
#include "core/client/FileCalls.h"
#include "core/transfer/FileDownload.h"
#include "tests/server/TestServer.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace clusterra;

class TestFileDownload : public QObject {
    Q_OBJECT
    TestServer server;
    QTemporaryDir desk;
    ApiClient *api = nullptr;
    QString cluster;
    QByteArray object;
    const QString key = QStringLiteral("data/admin@localhost/download/blob.bin");

    // Runs one download of `key` to `target`; the error message, empty on success.
    QString download(const QString &target) {
        FileDownload d(api, cluster, key, target);
        QSignalSpy done(&d, &Transfer::finished);
        d.start();
        if (!done.wait(30000))
            return QStringLiteral("no answer");
        return done.first().first().value<ApiError>().message;
    }

    QByteArray readFile(const QString &path) {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    void writeFile(const QString &path, const QByteArray &bytes) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(server.start());
        cluster = server.readyCluster(QStringLiteral("downloads"));
        api = new ApiClient(this);
        api->setBaseUrl(QUrl(server.url()));
        api->setAccessToken(server.token());
        // Several MB of bytes that are not a pattern, sent with one presigned PUT.
        object.resize(6 * 1024 * 1024 + 123);
        for (qsizetype i = 0; i < object.size(); i += 4) {
            const quint32 r = QRandomGenerator::global()->generate();
            memcpy(object.data() + i, &r, size_t(qMin<qsizetype>(4, object.size() - i)));
        }
        const auto put = server.presign(cluster, key, "PUT");
        QCOMPARE(put.status, 200);
        QNetworkAccessManager nam;
        QNetworkRequest r(QUrl(QString::fromStdString(put.json["url"].get<std::string>())));
        QNetworkReply *reply = nam.put(r, object);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        QVERIFY(finished.wait(30000));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        reply->deleteLater();
    }

    void arrivesWhole() {
        const QString target = desk.filePath(QStringLiteral("whole.bin"));
        QCOMPARE(download(target), QString());
        QVERIFY(readFile(target) == object);
        QVERIFY(!QFile::exists(target + QStringLiteral(".part")));
    }

    // An earlier run kept the first bytes: only the rest is fetched, and the checksum over the
    // whole file still holds.
    void resumesFromWhatAnEarlierRunKept() {
        const QString target = desk.filePath(QStringLiteral("resumed.bin"));
        writeFile(target + QStringLiteral(".part"), object.first(2 * 1024 * 1024 + 7));
        QCOMPARE(download(target), QString());
        QVERIFY(readFile(target) == object);
    }

    // A partial file that holds other bytes: the checksum catches it, the partial file goes,
    // and the next run fetches the object afresh.
    void aWrongPartialFileIsCaughtAndRefetched() {
        const QString target = desk.filePath(QStringLiteral("wrong.bin"));
        QByteArray wrong = object.first(1024 * 1024);
        wrong[5000] = char(wrong[5000] ^ 0x5a);
        writeFile(target + QStringLiteral(".part"), wrong);
        const QString error = download(target);
        QVERIFY2(error.contains(QStringLiteral("corrupted")), qPrintable(error));
        QVERIFY(!QFile::exists(target));
        QVERIFY(!QFile::exists(target + QStringLiteral(".part")));
        QCOMPARE(download(target), QString());
        QVERIFY(readFile(target) == object);
    }
};

QTEST_MAIN(TestFileDownload)
#include "tst_filedownload.moc"
