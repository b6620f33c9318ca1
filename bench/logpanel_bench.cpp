// The console's log panel against the stream it reads, in one run: curl takes a finished job's
// whole output as SSE (the reference: bytes reaching a client), then a LogPanel on screen reads
// the same stream. Prints MB/s for both and the ratio, the longest gap a 10 ms timer on the GUI
// thread saw while the panel ingested, peak memory, and how long a big log's tail takes to show.
// Usage: logpanel_bench [log MB=200] [tail-test MB=2048]
#include "bench/BenchServer.h"
#include "core/client/ApiClient.h"
#include "core/util/Memory.h"
#include "models/JobLogFeed.h"
#include "widgets/LogPanel.h"
#include "widgets/LogView.h"

#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QProcess>
#include <QThread>
#include <QTimer>
#include <cstdio>

using namespace clusterra;

namespace {

// A job writing `mb` MB of 80-byte numbered lines, run to its end.
qint64 writeLog(BenchServer &server, qint64 mb) {
    return server.runJob("#!/bin/bash\nseq -f '%079.0f' 1 " +
                         std::to_string(mb * 1000 * 1000 / 80) + "\n");
}

// curl reading the whole stream; returns MB/s of the payload (the output size).
double curlStream(BenchServer &server, qint64 id, qint64 bytes) {
    QElapsedTimer clock;
    clock.start();
    QProcess::execute(QStringLiteral("curl"),
                      {QStringLiteral("-sN"), QStringLiteral("-o"), QStringLiteral("/dev/null"),
                       QStringLiteral("-H"),
                       QStringLiteral("Authorization: Bearer ") + QString::fromLatin1(server.token),
                       QStringLiteral("-H"), QStringLiteral("Last-Event-ID: 0"),
                       server.url + QStringLiteral("/v1/clusters/%1/jobs/%2/output/stream")
                                        .arg(server.clusterId)
                                        .arg(id)});
    return double(bytes) / 1e6 / (double(clock.nsecsElapsed()) / 1e9);
}

struct PanelRun {
    double seconds = -1;
    qint64 longestGapMs = 0;
};

// Shows job `id` in `panel` (tail choice `tailIndex`) until the job's end is reported and the
// whole output is in the view, measuring the GUI thread's longest gap.
PanelRun runPanel(LogPanel &panel, const QString &cluster, qint64 id, int tailIndex) {
    PanelRun out;
    auto *feed = panel.findChild<JobLogFeed *>();
    auto *tail = panel.findChild<QComboBox *>(QStringLiteral("logTail"));
    QSignalBlocker block(tail);
    tail->setCurrentIndex(tailIndex);
    QEventLoop loop;
    bool ended = false;
    QObject::connect(feed, &JobLogFeed::finished, &loop, [&] { ended = true; });
    QTimer tick;
    QElapsedTimer sinceTick;
    tick.setInterval(10);
    QObject::connect(&tick, &QTimer::timeout, &loop, [&] {
        out.longestGapMs = qMax(out.longestGapMs, sinceTick.restart());
        if (ended)
            loop.quit();
    });
    QElapsedTimer clock;
    clock.start();
    sinceTick.start();
    tick.start();
    JobInfo job;
    job.jobId = id;
    job.name = QStringLiteral("bench-log");
    panel.showJob(cluster, job);
    loop.exec();
    out.seconds = double(clock.nsecsElapsed()) / 1e9;
    return out;
}

// How long until the last line of job `id` is on screen after choosing it, tail "last 1,000".
double tailShownSeconds(LogPanel &panel, const QString &cluster, qint64 id, const QString &last) {
    auto *tail = panel.findChild<QComboBox *>(QStringLiteral("logTail"));
    QSignalBlocker block(tail);
    tail->setCurrentIndex(1);
    QElapsedTimer clock;
    clock.start();
    JobInfo job;
    job.jobId = id;
    job.name = QStringLiteral("bench-tail");
    panel.showJob(cluster, job);
    while (!panel.text().endsWith(last) && clock.elapsed() < 30000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    return double(clock.nsecsElapsed()) / 1e9;
}

} // namespace

int main(int argc, char **argv) {
    QApplication app(argc, argv);
    const qint64 mb = argc > 1 ? atoll(argv[1]) : 200;
    const qint64 tailMb = argc > 2 ? atoll(argv[2]) : 2048;
    BenchServer server;
    if (!server.start()) {
        std::fprintf(stderr, "cannot start clusterra-server\n");
        return 1;
    }
    const qint64 id = writeLog(server, mb);
    if (!id) {
        std::fprintf(stderr, "the log job did not complete\n");
        return 1;
    }
    const qint64 bytes = mb * 1000 * 1000 / 80 * 80;
    ApiClient api;
    api.setBaseUrl(QUrl(server.url));
    api.setAccessToken(server.token);
    LogPanel panel(&api);
    panel.resize(1000, 700);
    panel.show();

    const double curlMbps = curlStream(server, id, bytes);
    const PanelRun run = runPanel(panel, server.clusterId, id, 3 /* whole log */);
    const double panelMbps = double(bytes) / 1e6 / run.seconds;
    std::printf("log panel, whole %lld MB log of 80-byte lines, as SSE after the job ended\n",
                static_cast<long long>(mb));
    std::printf("  curl -N (reference)  %8.1f MB/s\n", curlMbps);
    std::printf("  LogPanel             %8.1f MB/s   %.2fx curl   longest GUI gap %lld ms   "
                "peak RSS %lld MB   view %d lines\n",
                panelMbps, panelMbps / curlMbps, static_cast<long long>(run.longestGapMs),
                static_cast<long long>(peakRssKb() / 1024),
                int(panel.view()->buffer().lineCount()));

    if (tailMb > 0) {
        const qint64 big = writeLog(server, tailMb);
        if (!big) {
            std::fprintf(stderr, "the big log job did not complete\n");
            return 1;
        }
        const QString last =
            QStringLiteral("%1\n").arg(tailMb * 1000 * 1000 / 80, 79, 10, QLatin1Char('0'));
        const double secs = tailShownSeconds(panel, server.clusterId, big, last);
        std::printf("  tail of a %lld MB log (last 1,000 lines) on screen in %.0f ms\n",
                    static_cast<long long>(tailMb), secs * 1000);
    }
    return 0;
}
