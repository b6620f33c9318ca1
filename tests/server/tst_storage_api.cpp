#include "tests/server/TestServer.h"

#include "core/crypto/Crypto.h"

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

using nlohmann::json;

// The built-in object store and the /v1 storage routes, over real HTTP. Bytes go straight to
// presigned URLs, as the console's transfer code sends them.
class TestStorageApi : public QObject {
    Q_OBJECT
    // Outputs over 1 MiB are not copied into files here, so the limit can be tried cheaply.
    TestServer server{{QStringLiteral("--publish-max-mb"), QStringLiteral("1")}};
    QString cluster;
    const QString me = QStringLiteral("data/admin@localhost/");

    qint64 runToEnd(TestServer &on, const QString &clusterId, const std::string &script) {
        const json job{{"name", "pub"},
                       {"current_working_directory", "/tmp"},
                       {"environment", json::array({"PATH=/usr/bin:/bin"})}};
        const auto r = on.post(QStringLiteral("/v1/clusters/%1/jobs/submit").arg(clusterId),
                               {{"script", script}, {"job", job}});
        const qint64 id = r.json.value("job_id", qint64(0));
        on.waitForJob(clusterId, id,
                      [](const json &j) { return j.value("state", "") == "COMPLETED"; });
        return id;
    }

    TestServer::Reply presign(const QString &key, const char *method, json extra = json::object()) {
        return server.presign(cluster, key, method, extra);
    }
    static QString url(const TestServer::Reply &r) { return TestServer::presignedUrl(r); }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(server.start());
        cluster = server.readyCluster(QStringLiteral("files"));
    }

    void putThenGetRangeAndHead() {
        const QString key = me + QStringLiteral("hello world.txt");
        const auto put = presign(key, "PUT", {{"content_type", "text/plain"}});
        QCOMPARE(put.status, 200);
        QCOMPARE(put.json["headers"]["content-type"].get<std::string>(), std::string("text/plain"));
        const QByteArray content = "hello, object store\n";
        TestServer::Raw r = server.raw("PUT", url(put), content, {{"Content-Type", "text/plain"}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.headers.value("etag"),
                 '"' + QCryptographicHash::hash(content, QCryptographicHash::Md5).toHex() + '"');
        const auto get = presign(key, "GET");
        r = server.raw("GET", url(get));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, content);
        QCOMPARE(r.headers.value("content-type"), QByteArray("text/plain"));
        r = server.raw("GET", url(get), {}, {{"Range", "bytes=7-11"}});
        QCOMPARE(r.status, 206);
        QCOMPARE(r.body, QByteArray("objec"));
        QCOMPARE(r.headers.value("content-range"), QByteArray("bytes 7-11/20"));
        r = server.raw("GET", url(get), {}, {{"Range", "bytes=-6"}});
        QCOMPARE(r.body, QByteArray("store\n"));
        r = server.raw("GET", url(get), {}, {{"Range", "bytes=50-"}});
        QCOMPARE(r.status, 416);
        // Numbers too big for 64 bits are huge, not zero: clamped to the object, or past it.
        r = server.raw("GET", url(get), {}, {{"Range", "bytes=0-99999999999999999999999"}});
        QCOMPARE(r.status, 206);
        QCOMPARE(r.body, content);
        QCOMPARE(r.headers.value("content-range"), QByteArray("bytes 0-19/20"));
        r = server.raw("GET", url(get), {}, {{"Range", "bytes=5-9223372036854775807"}});
        QCOMPARE(r.body, content.mid(5));
        r = server.raw("GET", url(get), {}, {{"Range", "bytes=-99999999999999999999999"}});
        QCOMPARE(r.status, 206);
        QCOMPARE(r.body, content);
        r = server.raw("GET", url(get), {}, {{"Range", "bytes=99999999999999999999999-"}});
        QCOMPARE(r.status, 416);
        QCOMPARE(r.headers.value("content-range"), QByteArray("bytes */20"));
        r = server.raw("HEAD", url(get));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.headers.value("content-length"), QByteArray("20"));
        QVERIFY(r.body.isEmpty());
        const auto list =
            server.get(QStringLiteral("/v1/clusters/%1/storage/files?prefix=%2").arg(cluster, me))
                .json;
        QCOMPARE(list["files"].size(), size_t(1));
        QCOMPARE(list["files"][0]["size"].get<int>(), 20);
    }

    void refusals_data() {
        QTest::addColumn<QString>("tamper");
        QTest::addColumn<QByteArray>("code");
        QTest::newRow("tampered signature")
            << QStringLiteral("signature") << QByteArray("SignatureDoesNotMatch");
        QTest::newRow("wrong method")
            << QStringLiteral("method") << QByteArray("SignatureDoesNotMatch");
        QTest::newRow("other key in path")
            << QStringLiteral("path") << QByteArray("SignatureDoesNotMatch");
        QTest::newRow("content type differs")
            << QStringLiteral("ctype") << QByteArray("SignatureDoesNotMatch");
        QTest::newRow("no signature") << QStringLiteral("strip") << QByteArray("AccessDenied");
        QTest::newRow("expired") << QStringLiteral("expired") << QByteArray("AccessDenied");
    }

    void refusals() {
        QFETCH(QString, tamper);
        QFETCH(QByteArray, code);
        const QString key = me + QStringLiteral("guarded.bin");
        const auto put = presign(key, "PUT",
                                 {{"content_type", "application/octet-stream"},
                                  {"expires_in", tamper == QLatin1String("expired") ? 1 : 600}});
        QString u = url(put);
        QByteArray method = "PUT";
        QByteArray ctype = "application/octet-stream";
        if (tamper == QLatin1String("signature"))
            u.replace(u.size() - 4, 4, QStringLiteral("0000"));
        else if (tamper == QLatin1String("method"))
            method = "GET";
        else if (tamper == QLatin1String("path"))
            u.replace(QStringLiteral("guarded.bin"), QStringLiteral("other.bin"));
        else if (tamper == QLatin1String("ctype"))
            ctype = "text/html";
        else if (tamper == QLatin1String("strip"))
            u = u.left(u.indexOf(QLatin1Char('?')));
        else if (tamper == QLatin1String("expired"))
            QTest::qWait(2100);
        const TestServer::Raw r = server.raw(method, u, "payload", {{"Content-Type", ctype}});
        QCOMPARE(r.status, 403);
        QVERIFY2(r.body.contains(QByteArray("<Code>" + code + "</Code>")), r.body.constData());
        const auto list =
            server.get(QStringLiteral("/v1/clusters/%1/storage/files?prefix=%2").arg(cluster, key))
                .json;
        QCOMPARE(list["files"].size(), size_t(0)); // nothing was stored
    }

    void hostileKeysRefused_data() {
        QTest::addColumn<QString>("key");
        QTest::newRow("dotdot") << QStringLiteral("data/admin@localhost/../x");
        QTest::newRow("dot") << QStringLiteral("data/./x");
        QTest::newRow("empty segment") << QStringLiteral("data//x");
        QTest::newRow("leading slash") << QStringLiteral("/data/x");
        QTest::newRow("backslash") << QStringLiteral("data\\x");
        QTest::newRow("control") << QStringLiteral("data/a\x01");
        QTest::newRow("too long") << QStringLiteral("data/") + QString(1100, QLatin1Char('k'));
        QTest::newRow("outside the four folders") << QStringLiteral("etc/passwd");
        QTest::newRow("empty") << QString();
    }

    void hostileKeysRefused() {
        QFETCH(QString, key);
        for (const char *method : {"PUT", "GET"}) {
            const auto r = presign(key, method);
            QCOMPARE(r.status, 403);
            QCOMPARE(r.json["error"]["field"].get<std::string>(), std::string("key"));
            QVERIFY(!r.json.contains("url"));
        }
    }

    void multipartUpload() {
        const QString key = me + QStringLiteral("big.bin");
        const QString base = QStringLiteral("/v1/clusters/%1/storage/multipart").arg(cluster);
        auto r = server.post(
            base, {{"key", key.toStdString()}, {"content_type", "application/octet-stream"}});
        QCOMPARE(r.status, 201);
        const QString upload = QString::fromStdString(r.json["upload_id"].get<std::string>());
        r = server.post(base + QLatin1Char('/') + upload + QStringLiteral("/parts"),
                        {{"part_numbers", {1, 2, 3}}});
        QCOMPARE(r.json["parts"].size(), size_t(3));
        QList<QByteArray> parts{QByteArray(5 << 20, 'a'), QByteArray(5 << 20, 'b'),
                                QByteArray("tail")};
        json done = json::array();
        // Upload out of order, as parallel parts finish.
        for (int i : {2, 0, 1}) {
            const TestServer::Raw put = server.raw(
                "PUT", QString::fromStdString(r.json["parts"][i]["url"].get<std::string>()),
                parts[i]);
            QCOMPARE(put.status, 200);
            done.push_back(
                {{"part_number", i + 1}, {"etag", put.headers.value("etag").toStdString()}});
        }
        // What a resuming client sees: the stored parts.
        const auto stored = server.get(base + QLatin1Char('/') + upload).json;
        QCOMPARE(stored["parts"].size(), size_t(3));
        QCOMPARE(stored["parts"][2]["size"].get<int>(), 4);
        // Out-of-order listing is refused by S3's rule; the right order completes.
        auto bad = server.post(base + QLatin1Char('/') + upload + QStringLiteral("/complete"),
                               {{"parts", done}});
        QCOMPARE(bad.status, 400);
        std::sort(done.begin(), done.end(),
                  [](const json &a, const json &b) { return a["part_number"] < b["part_number"]; });
        r = server.post(base + QLatin1Char('/') + upload + QStringLiteral("/complete"),
                        {{"parts", done}});
        QCOMPARE(r.status, 200);
        QVERIFY(QByteArray::fromStdString(r.json["etag"].get<std::string>()).endsWith("-3\""));
        const TestServer::Raw get = server.raw("GET", url(presign(key, "GET")));
        QCOMPARE(clusterra::crypto::sha256(get.body),
                 clusterra::crypto::sha256(QByteArray(parts[0] + parts[1] + parts[2])));
        QCOMPARE(server.get(base + QLatin1Char('/') + upload).status,
                 404); // finished uploads are gone
    }

    void smallPartsRefused() {
        const QString key = me + QStringLiteral("small-parts.bin");
        const QString base = QStringLiteral("/v1/clusters/%1/storage/multipart").arg(cluster);
        const QString upload = QString::fromStdString(
            server.post(base, {{"key", key.toStdString()}}).json["upload_id"].get<std::string>());
        const auto urls = server
                              .post(base + QLatin1Char('/') + upload + QStringLiteral("/parts"),
                                    {{"part_numbers", {1, 2}}})
                              .json;
        json done = json::array();
        for (int i = 0; i < 2; ++i) {
            const TestServer::Raw put = server.raw(
                "PUT", QString::fromStdString(urls["parts"][i]["url"].get<std::string>()), "tiny");
            done.push_back(
                {{"part_number", i + 1}, {"etag", put.headers.value("etag").toStdString()}});
        }
        const auto r = server.post(base + QLatin1Char('/') + upload + QStringLiteral("/complete"),
                                   {{"parts", done}});
        QCOMPARE(r.status, 400);
        QVERIFY(r.json["error"]["message"].get<std::string>().find("EntityTooSmall") !=
                std::string::npos);
        QCOMPARE(server.request("DELETE", base + QLatin1Char('/') + upload).status, 200);
        QCOMPARE(server.get(base + QLatin1Char('/') + upload).status, 404);
    }

    // A connection that drops mid-upload leaves no object, not even a partial one.
    void interruptedPutLeavesNothing() {
        const QString key = me + QStringLiteral("interrupted.bin");
        const QUrl u(url(presign(key, "PUT")), QUrl::StrictMode);
        QTcpSocket s;
        s.connectToHost(u.host(), quint16(u.port()));
        QVERIFY(s.waitForConnected(2000));
        s.write("PUT " + u.path(QUrl::FullyEncoded).toLatin1() + '?' +
                u.query(QUrl::FullyEncoded).toLatin1() +
                " HTTP/1.1\r\nHost: " + u.host().toLatin1() + ':' + QByteArray::number(u.port()) +
                "\r\nContent-Length: 1048576\r\n\r\n");
        s.write(QByteArray(100000, 'x'));
        s.waitForBytesWritten(2000);
        QTest::qWait(200);
        s.abort();
        QTest::qWait(300);
        const auto list =
            server.get(QStringLiteral("/v1/clusters/%1/storage/files?prefix=%2").arg(cluster, key))
                .json;
        QCOMPARE(list["files"].size(), size_t(0));
        QCOMPARE(presign(key, "GET").status, 404);
    }

    // A store that cannot be written answers every PUT (an S3 error the client shows), keeps
    // nothing half-written, and takes uploads again once it can.
    void unwritableStoreAnswersAndRecovers() {
        const QString tmp = server.dataDir() + QStringLiteral("/objects/.tmp");
        const QString key = me + QStringLiteral("blocked.bin");
        const QByteArray body(300 * 1024, 'z');
        QVERIFY(QDir(tmp).removeRecursively());
        { // where the store writes is not a directory any more (root ignores permissions)
            QFile blocker(tmp);
            QVERIFY(blocker.open(QIODevice::WriteOnly));
        }
        auto put = [&] {
            return server.raw("PUT", url(presign(key, "PUT")), body,
                              {{"Content-Type", "application/octet-stream"}});
        };
        TestServer::Raw r = put();
        QCOMPARE(r.status, 503);
        QVERIFY2(r.body.contains("<Code>ServiceUnavailable</Code>"), r.body.constData());
        QVERIFY(QFile::remove(tmp));
        QVERIFY(QDir().mkpath(tmp));

        // A full disk part-way through the body: the rest is read and the answer still comes.
        const bool mounted =
            QProcess::execute(QStringLiteral("mount"),
                              {QStringLiteral("-t"), QStringLiteral("tmpfs"), QStringLiteral("-o"),
                               QStringLiteral("size=64k"), QStringLiteral("tmpfs"), tmp}) == 0;
        if (mounted) {
            r = put();
            const QStringList left = QDir(tmp).entryList(QDir::Files);
            QProcess::execute(QStringLiteral("umount"), {tmp});
            QCOMPARE(r.status, 503);
            QVERIFY2(r.body.contains("nothing was written"), r.body.constData());
            QVERIFY2(left.isEmpty(), qPrintable(left.join(u',')));
        }
        const auto listed = [&] {
            return server
                .get(QStringLiteral("/v1/clusters/%1/storage/files?prefix=%2").arg(cluster, me))
                .body.contains("blocked.bin");
        };
        QVERIFY(!listed());
        QCOMPARE(put().status, 200);
        QVERIFY(listed());
        QCOMPARE(server.raw("GET", url(presign(key, "GET"))).body, body);
        if (!mounted)
            QSKIP("no tmpfs mount here: the full-disk half did not run");
    }

    void foldersAndDelete() {
        auto root =
            server.get(QStringLiteral("/v1/clusters/%1/storage/files?delimiter=/").arg(cluster))
                .json;
        QCOMPARE(root["folders"].size(), size_t(4));
        auto data =
            server
                .get(QStringLiteral("/v1/clusters/%1/storage/files?prefix=data/&delimiter=/")
                         .arg(cluster))
                .json;
        QCOMPARE(data["folders"][0].get<std::string>(), std::string("data/admin@localhost/"));
        const QString key = me + QStringLiteral("hello world.txt");
        QCOMPARE(
            server
                .request("DELETE",
                         QStringLiteral("/v1/clusters/%1/storage/files?key=%2").arg(cluster, key))
                .status,
            200);
        QCOMPARE(
            server
                .request("DELETE",
                         QStringLiteral("/v1/clusters/%1/storage/files?key=%2").arg(cluster, key))
                .status,
            404);
    }

    // Keys whose next character is above U+FFFF (an emoji) sort above any bound made of U+FFFF
    // in UTF-8: listings must still show them, and a folder of them must not list forever.
    void keysAboveTheBmpAreListed() {
        const QString base = me + QStringLiteral("astral/");
        const QStringList keys{base + QStringLiteral("😀.txt"),
                               base + QStringLiteral("😀 folder/a.txt"),
                               base + QStringLiteral("sub/😀"), base + QStringLiteral("sub/b"),
                               base + QStringLiteral("plain.txt")};
        for (const QString &key : keys)
            QCOMPARE(server.raw("PUT", url(presign(key, "PUT")), "x").status, 200);
        auto list = [&](const QString &prefix, bool folders) {
            return server
                .get(QStringLiteral("/v1/clusters/%1/storage/files?prefix=%2%3")
                         .arg(cluster, QString::fromLatin1(QUrl::toPercentEncoding(prefix)),
                              folders ? QStringLiteral("&delimiter=/") : QString()))
                .json;
        };
        const json top = list(base, true);
        QVERIFY2(top["folders"] ==
                     json::array({QString(base + QStringLiteral("sub/")).toStdString(),
                                  QString(base + QStringLiteral("😀 folder/")).toStdString()}),
                 top.dump().c_str());
        QCOMPARE(top["files"].size(), size_t(2));
        QCOMPARE(top["files"][1]["key"].get<std::string>(),
                 QString(base + QStringLiteral("😀.txt")).toStdString());
        QCOMPARE(list(base, false)["files"].size(), size_t(keys.size()));
        const json emoji = list(base + QStringLiteral("😀"), false);
        QCOMPARE(emoji["files"].size(), size_t(2));
        const json sub = list(base + QStringLiteral("sub/"), true);
        QCOMPARE(sub["files"].size(), size_t(2));
    }

    void ownFolderOfferedBeforeItHasFiles() {
        const auto scripts =
            server
                .get(QStringLiteral("/v1/clusters/%1/storage/files?prefix=scripts/&delimiter=/")
                         .arg(cluster))
                .json;
        QVERIFY(scripts["folders"] == json::array({"scripts/admin@localhost/"}));
        QCOMPARE(scripts["files"].size(), size_t(0));
    }

    void finishedJobOutputIsPublished() {
        const json job{{"name", "pub"},
                       {"current_working_directory", "/tmp"},
                       {"environment", json::array({"PATH=/usr/bin:/bin"})}};
        const auto r =
            server.post(QStringLiteral("/v1/clusters/%1/jobs/submit").arg(cluster),
                        {{"script", "#!/bin/sh\necho published output\n"}, {"job", job}});
        QCOMPARE(r.status, 201);
        const qint64 id = r.json["job_id"].get<qint64>();
        server.waitForJob(cluster, id,
                          [](const json &j) { return j.value("state", "") == "COMPLETED"; });
        const QString folder = QStringLiteral("outputs/admin@localhost/%1/").arg(id);
        const json listing = server.waitForPublished(cluster, folder);
        QCOMPARE(listing["files"].size(), size_t(1));
        const QString key = QString::fromStdString(listing["files"][0]["key"]);
        QCOMPARE(key, folder + QStringLiteral("job_%1.out").arg(id));
        const TestServer::Raw got = server.raw("GET", url(presign(key, "GET")));
        QCOMPARE(got.status, 200);
        QCOMPARE(got.body, QByteArray("published output\n"));
    }

    // A job's output over the limit (here a sparse 4 GB file: almost nothing on disk, 4 GB
    // to copy) is left out of files, and an event says so; the next job's small output is
    // published as usual, not held behind a copy.
    void anOutputOverTheLimitIsLeftOutAndSaidSo() {
        const qint64 big = runToEnd(server, cluster,
                                    "#!/bin/sh\ntruncate -s 4G \"$HOME/job_$SLURM_JOB_ID.out\"\n");
        QVERIFY(big > 0);
        const qint64 small = runToEnd(server, cluster, "#!/bin/sh\necho small\n");
        const json listing = server.waitForPublished(
            cluster, QStringLiteral("outputs/admin@localhost/%1/").arg(small));
        QCOMPARE(listing["files"].size(), size_t(1));
        const json none =
            server
                .get(QStringLiteral("/v1/clusters/%1/storage/files?prefix=%2")
                         .arg(cluster, QStringLiteral("outputs/admin@localhost/%1/").arg(big)))
                .json;
        QCOMPARE(none["files"].size(), size_t(0));
        bool said = false;
        for (qint64 after = 0;;) {
            const json page = server
                                  .get(QStringLiteral("/v1/clusters/%1/events?limit=500&after=%2")
                                           .arg(cluster)
                                           .arg(after))
                                  .json;
            if (page.value("events", json::array()).empty())
                break;
            for (const auto &e : page["events"]) {
                said = said || (e["kind"] == "job.output_not_published" &&
                                e["data"].value("job_id", qint64(0)) == big);
                after = e.value("seq", after);
            }
        }
        QVERIFY(said);
        QFile::remove(server.dataDir() + QStringLiteral("/efs/job_%1.out").arg(big));
    }

    // A server stopped while a big output is being copied in lets the copy go: no half-made
    // object, no temporary file left in the store.
    void aStopDuringACopyLeavesNothingBehind() {
        TestServer other;
        QVERIFY(other.start());
        const QString c = other.readyCluster(QStringLiteral("stopping"));
        const qint64 id =
            runToEnd(other, c, "#!/bin/sh\ntruncate -s 900M \"$HOME/job_$SLURM_JOB_ID.out\"\n");
        QVERIFY(id > 0);
        QCOMPARE(other.stop(), 0);
        const QDir temp(other.dataDir() + QStringLiteral("/objects/.tmp"));
        QCOMPARE(temp.entryList(QDir::Files).size(), qsizetype(0));
        QFile::remove(other.dataDir() + QStringLiteral("/efs/job_%1.out").arg(id));
    }

    void bucketGoesWithItsCluster() {
        const QString other = server.readyCluster(QStringLiteral("short-lived"));
        const QString key = me + QStringLiteral("gone.txt");
        const auto put =
            server.post(QStringLiteral("/v1/clusters/%1/storage/presigned-url").arg(other),
                        {{"key", key.toStdString()}, {"method", "PUT"}});
        QCOMPARE(server.raw("PUT", url(put), "bye").status, 200);
        const QString bucketDir = server.dataDir() + QStringLiteral("/objects/clusterra-") + other;
        QVERIFY(QFileInfo::exists(bucketDir));
        QCOMPARE(server.request("DELETE", QStringLiteral("/v1/clusters/%1").arg(other)).status,
                 202);
        QTRY_VERIFY_WITH_TIMEOUT(!QFileInfo::exists(bucketDir), 10000);
    }
};

QTEST_GUILESS_MAIN(TestStorageApi)
#include "tst_storage_api.moc"
