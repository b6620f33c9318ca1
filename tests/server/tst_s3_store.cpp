#include "tests/server/TestServer.h"

#include <QDateTime>
#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTest>
#include <QTimer>

using nlohmann::json;

// clusterra-server with its cluster buckets in a real, signature-checking S3 (s3rver): the API
// presigns for that store, the bytes go straight to it, and the store itself refuses what the
// signature does not cover.
class TestS3Store : public QObject {
    Q_OBJECT
    S3rver s3;
    TestServer server;
    QString cluster;
    const QString me = QStringLiteral("data/admin@localhost/");

    TestServer::Reply presign(const QString &key, const char *method, json extra = json::object(),
                              const QString &clusterId = {}) {
        return server.presign(clusterId.isEmpty() ? cluster : clusterId, key, method, extra);
    }
    static QString url(const TestServer::Reply &r) { return TestServer::presignedUrl(r); }
    json list(const QString &prefix) {
        return server
            .get(QStringLiteral("/v1/clusters/%1/storage/files?prefix=%2").arg(cluster, prefix))
            .json;
    }

private Q_SLOTS:
    void initTestCase() {
        QString why;
        QVERIFY2(s3.start(&why), qPrintable(why));
        server.addArgs(s3.serverArgs());
        QVERIFY(server.start());
        cluster = server.readyCluster(QStringLiteral("s3-files"));
    }

    void bytesGoStraightToTheStore() {
        const QString key = me + QStringLiteral("notes/hello world+1.txt");
        const auto put = presign(key, "PUT", {{"content_type", "text/plain"}});
        QCOMPARE(put.status, 200);
        QVERIFY2(url(put).startsWith(s3.endpoint() + QStringLiteral("/clusterra-")),
                 qPrintable(url(put)));
        QCOMPARE(server.raw("PUT", url(put), "hello s3\n", {{"Content-Type", "text/plain"}}).status,
                 200);
        const json listing = list(me + QStringLiteral("notes/"));
        QCOMPARE(listing["files"].size(), size_t(1));
        QCOMPARE(listing["files"][0]["key"].get<std::string>(), key.toStdString());
        QCOMPARE(listing["files"][0]["size"].get<qint64>(), qint64(9));
        const TestServer::Raw got = server.raw("GET", url(presign(key, "GET")));
        QCOMPARE(got.status, 200);
        QCOMPARE(got.body, QByteArray("hello s3\n"));
    }

    void theStoreRefusesWhatTheSignatureDoesNotCover() {
        const QString key = me + QStringLiteral("guarded.txt");
        QCOMPARE(server.raw("PUT", url(presign(key, "PUT")), "x").status, 200);
        QString tampered = url(presign(key, "GET"));
        const qsizetype at = tampered.indexOf(QStringLiteral("X-Amz-Signature=")) + 16;
        tampered[at] = tampered[at] == QLatin1Char('0') ? QLatin1Char('1') : QLatin1Char('0');
        QCOMPARE(server.raw("GET", tampered).status, 403);
        // A GET URL used to overwrite the object.
        QCOMPARE(server.raw("PUT", url(presign(key, "GET")), "overwritten").status, 403);
        // Another key than the one signed.
        QString other = url(presign(key, "GET"));
        other.replace(QStringLiteral("guarded.txt"), QStringLiteral("other.txt"));
        QCOMPARE(server.raw("GET", other).status, 403);
        const QString shortLived = url(presign(key, "GET", {{"expires_in", 1}}));
        QTest::qWait(2100);
        QCOMPARE(server.raw("GET", shortLived).status, 403);
        QCOMPARE(server.raw("GET", url(presign(key, "GET"))).body, QByteArray("x"));
    }

    void serverRulesStillComeFirst() {
        QCOMPARE(presign(QStringLiteral("data/admin@localhost//x"), "PUT").status, 403);
        QCOMPARE(presign(QStringLiteral("elsewhere/x"), "PUT").status, 403);
        QCOMPARE(presign(QStringLiteral("data/admin@localhost/../x"), "PUT").status, 403);
        QCOMPARE(presign(me + QStringLiteral("missing.txt"), "GET").status, 404);
    }

    void deleteRemovesFromTheStore() {
        const QString key = me + QStringLiteral("doomed.txt");
        QCOMPARE(server.raw("PUT", url(presign(key, "PUT")), "bye").status, 200);
        const QString path =
            QStringLiteral("/v1/clusters/%1/storage/files?key=%2").arg(cluster, key);
        QCOMPARE(server.request("DELETE", path).status, 200);
        QCOMPARE(server.request("DELETE", path).status, 404);
        QCOMPARE(presign(key, "GET").status, 404);
    }

    void jobOutputIsPublishedToTheStore() {
        const json job{{"name", "pub"},
                       {"current_working_directory", "/tmp"},
                       {"environment", json::array({"PATH=/usr/bin:/bin"})}};
        const auto r = server.post(QStringLiteral("/v1/clusters/%1/jobs/submit").arg(cluster),
                                   {{"script", "#!/bin/sh\necho to the bucket\n"}, {"job", job}});
        QCOMPARE(r.status, 201);
        const qint64 id = r.json.value("job_id", qint64(0));
        server.waitForJob(cluster, id,
                          [](const json &j) { return j.value("state", "") == "COMPLETED"; });
        const QString folder = QStringLiteral("outputs/admin@localhost/%1/").arg(id);
        const json listing = server.waitForPublished(cluster, folder);
        QCOMPARE(listing["files"].size(), size_t(1));
        const QString key = QString::fromStdString(listing["files"][0]["key"]);
        QCOMPARE(server.raw("GET", url(presign(key, "GET"))).body, QByteArray("to the bucket\n"));
    }

    // An appending job's copy starts where its own bytes do: no earlier run's reach the bucket.
    void anAppendingJobPublishesOnlyItsOwnBytes() {
        const QString path = QDir::temp().filePath(
            QStringLiteral("clusterra-s3-append-%1.log").arg(QDateTime::currentMSecsSinceEpoch()));
        {
            QFile earlier(path);
            QVERIFY(earlier.open(QIODevice::WriteOnly));
            earlier.write("an earlier run\n");
        }
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther |
                                        QFile::WriteOther);
        const json job{{"name", "append"},
                       {"current_working_directory", "/tmp"},
                       {"environment", json::array({"PATH=/usr/bin:/bin"})},
                       {"standard_output", path.toStdString()},
                       {"open_mode", json::array({"APPEND"})}};
        const auto r = server.post(QStringLiteral("/v1/clusters/%1/jobs/submit").arg(cluster),
                                   {{"script", "#!/bin/sh\necho this run\n"}, {"job", job}});
        QCOMPARE(r.status, 201);
        const qint64 id = r.json.value("job_id", qint64(0));
        server.waitForJob(cluster, id,
                          [](const json &j) { return j.value("state", "") == "COMPLETED"; });
        const QString key =
            QStringLiteral("outputs/admin@localhost/%1/%2").arg(id).arg(QFileInfo(path).fileName());
        TestServer::Raw copy;
        QVERIFY(QTest::qWaitFor(
            [&] {
                copy = server.raw("GET", url(presign(key, "GET")));
                return copy.status == 200;
            },
            10000));
        QCOMPARE(copy.body, QByteArray("this run\n"));
        QFile::remove(path);
    }

    void bucketGoesWithItsCluster() {
        const QString other = server.readyCluster(QStringLiteral("short-lived"));
        const auto put = presign(me + QStringLiteral("gone.txt"), "PUT", json::object(), other);
        QCOMPARE(server.raw("PUT", url(put), "bye").status, 200);
        const QString bucketDir = QDir(s3.dataDir()).filePath(QStringLiteral("clusterra-") + other);
        QVERIFY(QFileInfo::exists(bucketDir));
        QCOMPARE(server.request("DELETE", QStringLiteral("/v1/clusters/%1").arg(other)).status,
                 202);
        QTRY_VERIFY_WITH_TIMEOUT(!QFileInfo::exists(bucketDir), 10000);
    }
};

QTEST_GUILESS_MAIN(TestS3Store)
#include "tst_s3_store.moc"
