// Upload and download of one large file to the built-in object store: the console's transfer
// code (FileUpload / FileDownload) side by side with curl on a presigned URL from the same
// server, in one run. Prints seconds, MB/s, the ratio to curl and peak memory.
// Usage: transfer_bench [megabytes=1024]
#include "bench/BenchServer.h"
#include "core/client/ApiClient.h"
#include "core/client/FileCalls.h"
#include "core/transfer/FileDownload.h"
#include "core/transfer/FileUpload.h"
#include "core/util/Memory.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryFile>
#include <QThread>
#include <cstdio>

using namespace clusterra;

namespace {
qint64 g_curlPeakKb = 0;

void writeFile(const QString &path, qint64 size) {
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    QByteArray block(1 << 20, Qt::Uninitialized);
    quint64 x = 0x9E3779B97F4A7C15ULL;
    for (qint64 written = 0; written < size; written += block.size()) {
        auto *w = reinterpret_cast<quint64 *>(block.data());
        for (int i = 0; i < block.size() / 8; ++i) { // incompressible, deterministic
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            w[i] = x;
        }
        f.write(block.constData(), qMin<qint64>(block.size(), size - written));
    }
}

// Writes back what earlier steps left dirty, so one step's disk flush is not timed in the next.
void settle() {
    QProcess::execute(QStringLiteral("sync"), {});
}

// Runs a transfer to the end; returns seconds, or -1 on failure.
double run(Transfer &t) {
    settle();
    QEventLoop loop;
    ApiError result;
    QObject::connect(&t, &Transfer::finished, &loop, [&](const ApiError &e) {
        result = e;
        loop.quit();
    });
    QElapsedTimer clock;
    clock.start();
    t.start();
    loop.exec();
    if (result.isError()) {
        std::fprintf(stderr, "transfer failed: %s\n", qPrintable(result.message));
        return -1;
    }
    return double(clock.nsecsElapsed()) / 1e9;
}

PresignedUrl presign(ApiClient &api, const QString &cluster, const QString &key,
                     const QByteArray &method) {
    PresignedUrl out;
    QEventLoop loop;
    api.files().presign(cluster, key, method, {}, &loop,
                        [&](const PresignedUrl &p, const ApiError &) {
                            out = p;
                            loop.quit();
                        });
    loop.exec();
    return out;
}

double curl(const QStringList &args) {
    settle();
    QTemporaryFile peak;
    peak.open();
    QElapsedTimer clock;
    clock.start();
    // GNU time reports curl's own peak RSS (a forked child's would start with ours).
    const int rc = QProcess::execute(QStringLiteral("/usr/bin/time"),
                                     QStringList{QStringLiteral("-f"), QStringLiteral("%M"),
                                                 QStringLiteral("-o"), peak.fileName(),
                                                 QStringLiteral("curl"), QStringLiteral("-sf")} +
                                         args);
    const double secs = double(clock.nsecsElapsed()) / 1e9;
    QFile report(peak.fileName());
    report.open(QIODevice::ReadOnly);
    g_curlPeakKb = qMax(g_curlPeakKb, report.readAll().trimmed().toLongLong());
    return rc == 0 ? secs : -1;
}

void row(const char *what, double secs, qint64 bytes, double curlSecs) {
    std::printf("  %-34s %7.2f s  %7.0f MB/s", what, secs, double(bytes) / 1e6 / secs);
    if (curlSecs > 0)
        std::printf("   %.2fx curl's time", secs / curlSecs);
    std::printf("\n");
}
} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    const qint64 size = (argc > 1 ? atoll(argv[1]) : 1024) * 1000 * 1000;
    BenchServer server;
    if (!server.start()) {
        std::fprintf(stderr, "cannot start clusterra-server\n");
        return 1;
    }
    ApiClient api;
    api.setBaseUrl(QUrl(server.url));
    api.setAccessToken(server.token);
    const QString src = server.dir.filePath(QStringLiteral("bench-source.bin"));
    writeFile(src, size);
    const QString home = QStringLiteral("data/admin@localhost/");
    const qint64 rssStart = peakRssKb();

    FileUpload multipart(&api, server.clusterId, src, home + QStringLiteral("multipart.bin"),
                         nullptr);
    const double upMulti = run(multipart);
    const qint64 rssAfterUpload = peakRssKb();
    FileUpload single(&api, server.clusterId, src, home + QStringLiteral("single.bin"), nullptr);
    single.setThreshold(size + 1);
    const double upSingle = run(single);
    const QString down = server.dir.filePath(QStringLiteral("console-download.bin"));
    FileDownload download(&api, server.clusterId, home + QStringLiteral("single.bin"), down);
    const double downConsole = run(download);
    const qint64 rssAfterDownload = peakRssKb();

    const PresignedUrl put =
        presign(api, server.clusterId, home + QStringLiteral("curl.bin"), "PUT");
    const double upCurl = curl({QStringLiteral("-o"), QStringLiteral("/dev/null"),
                                QStringLiteral("-T"), src, put.url.toString(QUrl::FullyEncoded)});
    const PresignedUrl get =
        presign(api, server.clusterId, home + QStringLiteral("single.bin"), "GET");
    const QString curlDown = server.dir.filePath(QStringLiteral("curl-download.bin"));
    const double downCurl =
        curl({QStringLiteral("-o"), curlDown, get.url.toString(QUrl::FullyEncoded)});
    if (upMulti < 0 || upSingle < 0 || downConsole < 0 || upCurl < 0 || downCurl < 0)
        return 1;
    if (QFileInfo(down).size() != size || QFileInfo(curlDown).size() != size) {
        std::fprintf(stderr, "downloaded sizes differ from the source\n");
        return 1;
    }

    std::printf("transfer bench: %.0f MB to the built-in store on 127.0.0.1 (%d cores)\n",
                double(size) / 1e6, QThread::idealThreadCount());
    row("upload, console multipart (4 par.)", upMulti, size, upCurl);
    row("upload, console single PUT", upSingle, size, upCurl);
    row("upload, curl -T (single PUT)", upCurl, size, 0);
    row("download, console", downConsole, size, downCurl);
    row("download, curl -o", downCurl, size, 0);
    std::printf("  peak memory: console process %lld MB before, %lld MB after uploads, %lld MB "
                "after download; curl %lld MB\n",
                rssStart / 1024, rssAfterUpload / 1024, rssAfterDownload / 1024,
                g_curlPeakKb / 1024);
    return 0;
}
