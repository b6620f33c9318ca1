// Prints figures for clusterra-server on this machine: small-request rate, job submits per
// second, and the latency from a job writing a line to an SSE client receiving it.
// Usage: server_bench [requests=5000] [submits=500] [lines=200]
#include "bench/BenchServer.h"
#include "bench/BenchTools.h"
#include "core/sse/SseParser.h"
#include "core/util/Json.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <cstdio>

using nlohmann::json;

namespace {
QNetworkAccessManager *nam;
QString base;
QByteArray token;

QNetworkRequest req(const QString &path) {
    QNetworkRequest r(QUrl(base + path));
    r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (!token.isEmpty())
        r.setRawHeader("Authorization", "Bearer " + token);
    return r;
}

json wait(QNetworkReply *reply) {
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    reply->deleteLater();
    return clusterra::parseJson(reply->readAll());
}

} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    const int requests = argc > 1 ? atoi(argv[1]) : 5000;
    const int submits = argc > 2 ? atoi(argv[2]) : 500;
    const int lines = argc > 3 ? atoi(argv[3]) : 200;
    BenchServer server;
    if (!server.start({QStringLiteral("--local-cpus"), QStringLiteral("1")})) {
        std::fprintf(stderr, "cannot start clusterra-server\n");
        return 1;
    }
    base = server.url;
    token = server.token;
    QNetworkAccessManager manager;
    nam = &manager;
    const QString cid = server.clusterId;

    std::printf("clusterra-server bench (%d cores, QNetworkAccessManager client, 6 connections)\n",
                QThread::idealThreadCount());
    std::printf(
        "  GET /healthz:              %8.0f req/s  (%d requests)\n",
        bench::hammer(requests, 6, [] { return nam->get(req(QStringLiteral("/healthz"))); }),
        requests);
    std::printf(
        "  GET /v1/clusters (auth):   %8.0f req/s  (%d requests)\n",
        bench::hammer(requests, 6, [] { return nam->get(req(QStringLiteral("/v1/clusters"))); }),
        requests);
    const QByteArray body = clusterra::dumpJson({{"script", "#!/bin/sh\ntrue\n"},
                                                 {"job",
                                                  {{"name", "b"},
                                                   {"current_working_directory", "/tmp"},
                                                   {"environment", {"PATH=/bin"}},
                                                   {"priority", 0}}}});
    std::printf("  POST jobs/submit:          %8.0f submits/s  (%d submits, queued behind 1 CPU)\n",
                bench::hammer(submits, 6,
                              [&] {
                                  return nam->post(
                                      req(QStringLiteral("/v1/clusters/%1/jobs/submit").arg(cid)),
                                      body);
                              }),
                submits);

    // SSE latency: the job stamps each line with its wall-clock time in microseconds.
    const json sub =
        wait(nam->post(req(QStringLiteral("/v1/clusters/%1/jobs/submit").arg(cid)),
                       clusterra::dumpJson(
                           {{"script", QStringLiteral("#!/bin/bash\nfor i in $(seq 1 %1); do echo "
                                                      "$(($(date +%s%N)/1000)); sleep 0.02; done\n")
                                           .arg(lines)
                                           .toStdString()},
                            {"job",
                             {{"name", "lat"},
                              {"current_working_directory", "/tmp"},
                              {"environment", {"PATH=/usr/bin:/bin"}},
                              {"priority", 100}}}})));
    const qint64 jobId = sub.value("job_id", qint64(0));
    QNetworkReply *stream =
        nam->get(req(QStringLiteral("/v1/clusters/%1/jobs/%2/output/stream").arg(cid).arg(jobId)));
    clusterra::SseParser parser;
    QList<double> latencies;
    QEventLoop loop;
    QObject::connect(stream, &QNetworkReply::readyRead, &loop, [&] {
        const qint64 nowUs = QDateTime::currentMSecsSinceEpoch() * 1000;
        for (const auto &e : parser.feed(stream->readAll())) {
            if (e.type == QLatin1String("end")) {
                loop.quit();
                continue;
            }
            for (const QString &line : e.data.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
                latencies << (nowUs - line.toLongLong()) / 1000.0;
        }
    });
    QTimer::singleShot(120000, &loop, &QEventLoop::quit);
    loop.exec();
    std::sort(latencies.begin(), latencies.end());
    auto pct = [&](double q) {
        return latencies.isEmpty() ? -1.0 : latencies[qsizetype(q * (latencies.size() - 1))];
    };
    std::printf("  output line -> SSE client: p50 %.1f ms, p99 %.1f ms, max %.1f ms  (%lld lines; "
                "waits behind the queued submits)\n",
                pct(0.5), pct(0.99), pct(1.0), qint64(latencies.size()));
    return 0;
}
