#include "tests/server/TestServer.h"

#include "core/client/ApiClient.h"
#include "core/transfer/FileUpload.h"
#include "core/util/Memory.h"

#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <openssl/evp.h>

using namespace clusterra;

namespace {
// Hashes a stream as it arrives, never holding it whole.
struct Sha256 {
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    Sha256() { EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr); }
    ~Sha256() { EVP_MD_CTX_free(ctx); }
    void add(const QByteArray &b) { EVP_DigestUpdate(ctx, b.constData(), size_t(b.size())); }
    QByteArray hex() {
        unsigned char d[32];
        unsigned int n = 0;
        EVP_DigestFinal_ex(ctx, d, &n);
        return QByteArray(reinterpret_cast<char *>(d), int(n)).toHex();
    }
};
} // namespace

class TestUpload : public QObject {
    Q_OBJECT
    TestServer server;
    S3rver s3;
    ApiClient api;
    QString cluster;
    QTemporaryDir dir;

    QByteArray writeFile(const QString &path, qint64 size) {
        QFile f(path);
        f.open(QIODevice::WriteOnly);
        Sha256 sha;
        QByteArray block(1 << 20, Qt::Uninitialized);
        quint64 x = 0x9E3779B97F4A7C15ULL;
        for (qint64 written = 0; written < size;) {
            auto *w = reinterpret_cast<quint64 *>(block.data());
            for (int i = 0; i < block.size() / 8; ++i) { // xorshift: incompressible, deterministic
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                w[i] = x;
            }
            const QByteArray chunk = block.left(int(qMin<qint64>(block.size(), size - written)));
            f.write(chunk);
            sha.add(chunk);
            written += chunk.size();
        }
        return sha.hex();
    }

    QByteArray downloadSha(const QString &key, qint64 *bytes) {
        QByteArray url;
        api.send("POST", ApiClient::clusterPath(cluster) + QStringLiteral("/storage/presigned-url"),
                 {{"key", key.toStdString()}, {"method", "GET"}}, this,
                 [&url](const nlohmann::json &j, const ApiError &) {
                     url = QByteArray::fromStdString(j.value("url", ""));
                 });
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(!url.isEmpty(), 5000);
        }();
        QNetworkAccessManager nam;
        QNetworkReply *reply =
            nam.get(QNetworkRequest(QUrl(QString::fromLatin1(url), QUrl::StrictMode)));
        reply->setReadBufferSize(4 << 20);
        Sha256 sha;
        *bytes = 0;
        QEventLoop loop;
        connect(reply, &QNetworkReply::readyRead, &loop, [&] {
            const QByteArray b = reply->readAll();
            *bytes += b.size();
            sha.add(b);
        });
        connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        const QByteArray rest = reply->readAll();
        *bytes += rest.size();
        sha.add(rest);
        reply->deleteLater();
        return sha.hex();
    }

    // Runs an upload until it finishes, or cancels it once `stopAt` bytes are done.
    ApiError run(FileUpload &up, qint64 stopAt) {
        QSignalSpy finished(&up, &FileUpload::finished);
        connect(&up, &FileUpload::progress, &up, [&up, stopAt](qint64 done, qint64) {
            if (stopAt > 0 && done >= stopAt)
                up.cancel();
        });
        up.start();
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(finished.size() == 1, 120000);
        }();
        return finished[0][0].value<ApiError>();
    }

private Q_SLOTS:
    void initTestCase() {
        qRegisterMetaType<ApiError>();
        if (testAgainstS3()) {
            QString why;
            QVERIFY2(s3.start(&why), qPrintable(why));
            server.addArgs(s3.serverArgs());
        }
        QVERIFY(server.start());
        cluster = server.readyCluster(QStringLiteral("uploads"));
        api.setBaseUrl(QUrl(server.url()));
        api.setAccessToken(server.token());
    }

    void planGrowsWithTheFile() {
        QVERIFY(!planUpload(10 << 20).multipart);
        const UploadPlan p300 = planUpload(300LL << 20);
        QVERIFY(p300.multipart);
        QCOMPARE(p300.partSize, qint64(8) << 20);
        const UploadPlan huge = planUpload(200LL << 30);
        QVERIFY(huge.partSize > (100LL << 20));
        QVERIFY(huge.partCount <= 10000);
        QVERIFY(planUpload(5LL << 40).partCount <= 10000); // S3's largest object
    }

    // 300 MB, interrupted twice, resumed each time by a new uploader (as after a restart),
    // ends byte-identical, with the process's memory far below the file's size.
    void interruptedTwiceThenResumed() {
        const QString path = dir.filePath(QStringLiteral("big.bin"));
        const qint64 size = 300LL << 20;
        const QByteArray expected = writeFile(path, size);
        const qint64 rssBefore = peakRssKb();
        const QString key = QStringLiteral("data/admin@localhost/big.bin");
        ResumeStore resume(dir.filePath(QStringLiteral("resume.json")));
        qint64 sent = 0;
        {
            FileUpload first(&api, cluster, path, key, &resume);
            const ApiError stopped = run(first, 90LL << 20);
            QVERIFY(stopped.isError()); // cancelled
            QVERIFY2(first.bytesSent() >= (90LL << 20) && first.bytesSent() < size,
                     qPrintable(stopped.message));
            sent += first.bytesSent();
        }
        {
            ResumeStore reloaded(
                dir.filePath(QStringLiteral("resume.json"))); // a restarted console
            FileUpload second(&api, cluster, path, key, &reloaded);
            QVERIFY(run(second, 200LL << 20).isError());
            sent += second.bytesSent();
        }
        ResumeStore reloaded(dir.filePath(QStringLiteral("resume.json")));
        FileUpload third(&api, cluster, path, key, &reloaded);
        const ApiError result = run(third, 0);
        QVERIFY2(!result.isError(), qPrintable(result.message));
        sent += third.bytesSent();
        // Stored parts were not sent again: only what was in flight at each cut repeats.
        QVERIFY2(sent < size + 2 * 4 * (8LL << 20), qPrintable(QString::number(sent)));
        qint64 got = 0;
        QCOMPARE(downloadSha(key, &got), expected);
        QCOMPARE(got, size);
        const qint64 grownMb = (peakRssKb() - rssBefore) / 1024;
        QVERIFY2(grownMb < 100,
                 qPrintable(QStringLiteral("peak memory grew by %1 MB").arg(grownMb)));
        QFile resumeFile(dir.filePath(QStringLiteral("resume.json")));
        QVERIFY(resumeFile.open(QIODevice::ReadOnly));
        QVERIFY(!resumeFile.readAll().contains("big.bin")); // a finished upload is forgotten
    }

    void smallFileSinglePut() {
        const QString path = dir.filePath(QStringLiteral("small.txt"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("small but real\n");
        f.close();
        FileUpload up(&api, cluster, path, QStringLiteral("data/admin@localhost/small.txt"),
                      nullptr);
        QVERIFY(!run(up, 0).isError());
        qint64 got = 0;
        downloadSha(QStringLiteral("data/admin@localhost/small.txt"), &got);
        QCOMPARE(got, qint64(15));
    }

    void refusedKeyFailsClearly() {
        const QString path = dir.filePath(QStringLiteral("small.txt"));
        FileUpload up(&api, cluster, path, QStringLiteral("data/../etc/x"), nullptr);
        const ApiError e = run(up, 0);
        QCOMPARE(e.type, ErrorType::Forbidden);
        QCOMPARE(e.field, QStringLiteral("key"));
    }
};

QTEST_GUILESS_MAIN(TestUpload)
#include "tst_upload.moc"
