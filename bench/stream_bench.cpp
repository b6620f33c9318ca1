// A finished job's output replayed as SSE by clusterra-server against `python3 -m http.server`
// serving the same file, both read by curl, in one run; and what the server read from the file
// for it (/proc's rchar) against what it sent. Then live: a job writing as fast as it can,
// followed from its first byte by curl on the SSE stream, against a plain follower reading the
// growing file (python3, 1 MiB reads, 10 ms naps at its end), each timed from the submit to
// the last byte read. MB/s count the output's own bytes. The server runs with
// --publish-max-mb 0: copying each finished 512 MB output into Files would otherwise share
// the two cores with the next run being measured (that copy is a job's one-off, not the
// stream's cost).
// Usage: stream_bench [MB=512] [runs=3]
#include "bench/BenchServer.h"
#include "bench/BenchTools.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTcpServer>
#include <QThread>
#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

namespace {

// Seconds curl takes to read `url` to the end (with `headers`), or -1.
double curlSeconds(const QString &url, const QStringList &headers = {}) {
    QStringList args{QStringLiteral("-sfN"), QStringLiteral("-o"), QStringLiteral("/dev/null")};
    for (const QString &h : headers)
        args << QStringLiteral("-H") << h;
    args << url;
    QElapsedTimer clock;
    clock.start();
    if (QProcess::execute(QStringLiteral("curl"), args) != 0)
        return -1;
    return double(clock.nsecsElapsed()) / 1e9;
}

// Bytes process `pid` has read through read(2) and friends so far.
qint64 readChars(qint64 pid) {
    QFile io(QStringLiteral("/proc/%1/io").arg(pid));
    if (!io.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : io.readAll().split('\n'))
        if (line.startsWith("rchar: "))
            return line.mid(7).toLongLong();
    return -1;
}

// A plain follower of `path` until it has read `bytes` bytes.
const char kFollower[] = R"PY(
import os, sys, time
path, want = sys.argv[1], int(sys.argv[2])
while not os.path.exists(path):
    time.sleep(0.01)
got = 0
with open(path, 'rb', buffering=0) as f:
    while got < want:
        b = f.read(1 << 20)
        if b:
            got += len(b)
        else:
            time.sleep(0.01)
)PY";

// Seconds from submitting the writer job to `reader` having read all of it.
double followSeconds(BenchServer &server, const std::string &script, const QString &out,
                     const std::function<QStringList(qint64)> &reader) {
    QElapsedTimer clock;
    clock.start();
    const qint64 id = server.submitJob(script, out);
    if (!id)
        return -1;
    const QStringList command = reader(id);
    if (QProcess::execute(command.first(), command.mid(1)) != 0)
        return -1;
    const double seconds = double(clock.nsecsElapsed()) / 1e9;
    server.waitForJob(id);
    QFile::remove(out);
    return seconds;
}

int freePort() {
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    const qint64 mb = argc > 1 ? atoll(argv[1]) : 512;
    const int runs = argc > 2 ? atoi(argv[2]) : 3;
    BenchServer server;
    if (!server.start({QStringLiteral("--publish-max-mb"), QStringLiteral("0")})) {
        std::fprintf(stderr, "cannot start clusterra-server\n");
        return 1;
    }
    // The job's areas are the cluster's shared folder and /tmp: its efs/ folder is in ours.
    const QString out = server.dir.filePath(QStringLiteral("efs/stream-bench.out"));
    const qint64 lines = mb * 1000 * 1000 / 80;
    const qint64 id =
        server.runJob("#!/bin/bash\nseq -f '%079.0f' 1 " + std::to_string(lines) + "\n", out);
    if (!id) {
        std::fprintf(stderr, "the job did not complete\n");
        return 1;
    }
    const qint64 bytes = QFile(out).size();

    const int port = freePort();
    QProcess reference;
    reference.setWorkingDirectory(server.dir.filePath(QStringLiteral("efs")));
    reference.start(QStringLiteral("python3"),
                    {QStringLiteral("-m"), QStringLiteral("http.server"), QString::number(port),
                     QStringLiteral("--bind"), QStringLiteral("127.0.0.1")});
    const QString plainUrl = QStringLiteral("http://127.0.0.1:%1/stream-bench.out").arg(port);
    for (int i = 0; i < 100 && curlSeconds(plainUrl) < 0; ++i)
        QThread::msleep(50);

    const QString sseUrl =
        server.url +
        QStringLiteral("/v1/clusters/%1/jobs/%2/output/stream").arg(server.clusterId).arg(id);
    const QStringList sseHeaders{QStringLiteral("Authorization: Bearer ") +
                                     QString::fromLatin1(server.token),
                                 QStringLiteral("Last-Event-ID: 0")};
    std::vector<double> plain, sse;
    qint64 readPerRun = 0;
    for (int r = 0; r < runs; ++r) {
        plain.push_back(curlSeconds(plainUrl));
        const qint64 before = readChars(server.process.processId());
        sse.push_back(curlSeconds(sseUrl, sseHeaders));
        readPerRun = readChars(server.process.processId()) - before;
    }
    reference.terminate();
    reference.waitForFinished(5000);

    const std::string writer = "#!/bin/bash\nseq -f '%079.0f' 1 " + std::to_string(lines) + "\n";
    std::vector<double> liveSse, livePlain;
    for (int r = 0; r < runs; ++r) {
        const QString live = server.dir.filePath(QStringLiteral("efs/live-%1.out").arg(r));
        livePlain.push_back(followSeconds(server, writer, live, [&](qint64) {
            return QStringList{QStringLiteral("python3"), QStringLiteral("-c"),
                               QString::fromLatin1(kFollower), live, QString::number(bytes)};
        }));
        liveSse.push_back(followSeconds(server, writer, live, [&](qint64 id) {
            QStringList c{QStringLiteral("curl"), QStringLiteral("-sfN"), QStringLiteral("-o"),
                          QStringLiteral("/dev/null")};
            for (const QString &h : sseHeaders)
                c << QStringLiteral("-H") << h;
            return c << server.url + QStringLiteral("/v1/clusters/%1/jobs/%2/output/stream")
                                         .arg(server.clusterId)
                                         .arg(id);
        }));
    }
    const double plainMbps = double(bytes) / 1e6 / bench::median(plain);
    const double sseMbps = double(bytes) / 1e6 / bench::median(sse);
    std::printf("a finished job's %lld MB output (80-byte lines), read whole by curl, median of "
                "%d\n",
                static_cast<long long>(bytes / 1000000), runs);
    std::printf("  python3 -m http.server (reference)  %8.1f MB/s\n", plainMbps);
    std::printf("  clusterra-server SSE replay         %8.1f MB/s   %.2fx the reference   "
                "read %.2fx the bytes it sent\n",
                sseMbps, sseMbps / plainMbps, double(readPerRun) / double(bytes));
    const double plainLive = double(bytes) / 1e6 / bench::median(livePlain);
    const double sseLive = double(bytes) / 1e6 / bench::median(liveSse);
    std::printf("live, the job writing while it is read (submit to last byte)\n");
    std::printf("  python3 follower of the file (reference)  %8.1f MB/s\n", plainLive);
    std::printf("  clusterra-server SSE, curl -N             %8.1f MB/s   %.2fx the reference\n",
                sseLive, sseLive / plainLive);
    return 0;
}
