// Job submits per second, side by side in one run: clusterra-server's local executor at an empty
// queue and at a deep one, slurmrestd on the same machine (the reference), and clusterra-server
// handing the same submits to that slurmrestd. Every submitted job waits behind a job that
// holds all CPUs, so what is measured is the submit itself and the queue it joins; the
// reference's jobs are cancelled and gone before the server's run, so both start from the same
// queue.
// The Slurm rows need the single-node Slurm of scripts/slurm-ci.sh (started here when this
// runs as root; otherwise they are left out and say so).
// Usage: submit_bench [submits per figure=300] [deep queue=10000]
#include "bench/BenchServer.h"
#include "bench/BenchTools.h"
#include "core/slurm/SlurmDialect.h"
#include "core/util/Json.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QThread>
#include <cstdio>
#include <functional>
#include <unistd.h>

using nlohmann::json;

namespace {

struct Slurm {
    QString url;
    QByteArray user;
    QByteArray token;
};

std::optional<Slurm> startSlurm() {
    const QString env = QStringLiteral("/var/lib/clusterra-slurm/env");
    if (!QFile::exists(env) &&
        QProcess::execute(QStringLiteral("bash"),
                          {QStringLiteral(CLUSTERRA_SOURCE_DIR "/scripts/slurm-ci.sh"),
                           QStringLiteral("start")}) != 0)
        return std::nullopt;
    QFile file(env);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    Slurm s;
    for (const QByteArray &line : file.readAll().split('\n')) {
        const QByteArray key = line.left(qMax<qsizetype>(0, line.indexOf('=')));
        const QByteArray value = line.mid(key.size() + 1);
        if (key == "SLURM_REST_URL")
            s.url = QString::fromUtf8(value);
        else if (key == "SLURM_REST_USER")
            s.user = value;
        else if (key == "SLURM_JWT")
            s.token = value;
    }
    if (s.url.isEmpty() || s.token.isEmpty())
        return std::nullopt;
    return s;
}

int runAs(const QByteArray &user, const QStringList &command) {
    return QProcess::execute(
        QStringLiteral("runuser"),
        QStringList{QStringLiteral("-u"), QString::fromUtf8(user), QStringLiteral("--")} + command);
}

// Cancels the bench's own jobs (not the blocker) and waits until slurmctld has let go of them
// (MinJobAge), so the next figure starts from the queue the one before it started from.
void clearQueue(const QByteArray &user) {
    QProcess::execute(QStringLiteral("scancel"), {QStringLiteral("-u"), QString::fromUtf8(user),
                                                  QStringLiteral("--name=submit-bench")});
    for (int i = 0; i < 120; ++i) {
        QProcess squeue;
        squeue.start(QStringLiteral("squeue"),
                     {QStringLiteral("-h"), QStringLiteral("-u"), QString::fromUtf8(user),
                      QStringLiteral("-t"), QStringLiteral("all"), QStringLiteral("-n"),
                      QStringLiteral("submit-bench"), QStringLiteral("-o"), QStringLiteral("%i")});
        squeue.waitForFinished(10000);
        if (squeue.readAllStandardOutput().trimmed().isEmpty())
            return;
        QThread::msleep(500);
    }
    std::fprintf(stderr, "  the reference's jobs are still in Slurm's queue\n");
}

json jobObject() {
    return {{"name", "submit-bench"},
            {"current_working_directory", "/tmp"},
            {"environment", {"PATH=/bin"}},
            {"script", "#!/bin/sh\ntrue\n"}};
}

QByteArray serverBody() {
    json job = jobObject();
    const json script = job["script"];
    job.erase("script");
    return clusterra::dumpJson({{"script", script}, {"job", job}});
}

void row(const char *what, double c1, double c4, double ref1, double ref4, double cpuMs = -1) {
    std::printf("  %-40s %7.0f /s  %7.0f /s", what, c1, c4);
    if (ref1 > 0)
        std::printf("   %5.2fx  %5.2fx", c1 / ref1, c4 / ref4);
    if (cpuMs >= 0)
        std::printf("   server CPU %.2f ms/submit", cpuMs);
    std::printf("\n");
}

struct Pair {
    double c1 = 0;
    double c4 = 0;
    double cpuMs = -1; // the server's CPU time per submit, both runs
};

// CPU seconds process `pid` has used (user + system), from /proc.
double cpuSeconds(qint64 pid) {
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (pid <= 0 || !stat.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray text = stat.readAll();
    // Fields after the command name, which is in parentheses and may hold spaces.
    const QList<QByteArray> f = text.mid(text.lastIndexOf(')') + 2).split(' ');
    if (f.size() < 13)
        return 0;
    return double(f[11].toLongLong() + f[12].toLongLong()) / double(sysconf(_SC_CLK_TCK));
}

Pair measure(QNetworkAccessManager &nam, int submits, const std::function<QNetworkRequest()> &make,
             const QByteArray &body, qint64 serverPid = 0) {
    const double before = cpuSeconds(serverPid);
    const auto post = [&] {
        return nam.post(make(), body);
    };
    Pair out{bench::hammer(submits, 1, post), bench::hammer(submits, 4, post)};
    if (serverPid > 0)
        out.cpuMs = (cpuSeconds(serverPid) - before) * 1000 / (2.0 * submits);
    return out;
}

} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    const int submits = argc > 1 ? atoi(argv[1]) : 300;
    const int deep = argc > 2 ? atoi(argv[2]) : 10000;
    QNetworkAccessManager nam;

    std::printf("job submits (%d cores; %d per figure, c = requests in flight; each job queued "
                "behind one holding every CPU)\n",
                QThread::idealThreadCount(), submits);
    std::printf("  %-40s %10s  %10s   %6s  %6s\n", "", "c=1", "c=4", "vs", "ref");

    // The reference: slurmrestd itself, with the body the server would send it.
    const std::optional<Slurm> slurm = startSlurm();
    Pair direct;
    if (slurm) {
        runAs(slurm->user,
              {QStringLiteral("sbatch"), QStringLiteral("-Q"), QStringLiteral("--exclusive"),
               QStringLiteral("-D"), QStringLiteral("/tmp"), QStringLiteral("-J"),
               QStringLiteral("bench-blocker"), QStringLiteral("--wrap"),
               QStringLiteral("sleep 3600")});
        json job = jobObject();
        const auto dialect = clusterra::SlurmDialect::forVersion(QStringLiteral("v0.0.38"));
        const QByteArray body = clusterra::dumpJson(dialect->submitBody(job).body);
        const QString url = slurm->url + dialect->path(QStringLiteral("/job/submit"));
        direct = measure(
            nam, submits,
            [&] {
                QNetworkRequest r{QUrl(url)};
                r.setHeader(QNetworkRequest::ContentTypeHeader,
                            QByteArrayLiteral("application/json"));
                r.setRawHeader("X-SLURM-USER-NAME", slurm->user);
                r.setRawHeader("X-SLURM-USER-TOKEN", slurm->token);
                return r;
            },
            body);
        row("slurmrestd directly (reference)", direct.c1, direct.c4, 0, 0);
        clearQueue(slurm->user);
    } else {
        std::printf("  slurmrestd: not available (scripts/slurm-ci.sh start needs root); the "
                    "rows below have no ratio\n");
    }

    BenchServer server;
    if (!server.start({QStringLiteral("--local-cpus"), QStringLiteral("1")})) {
        std::fprintf(stderr, "cannot start clusterra-server\n");
        return 1;
    }
    const QByteArray body = serverBody();
    const auto to = [&](const QString &cluster) {
        return [&, cluster] {
            QNetworkRequest r{
                QUrl(server.url + QStringLiteral("/v1/clusters/%1/jobs/submit").arg(cluster))};
            r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
            r.setRawHeader("Authorization", "Bearer " + server.token);
            return r;
        };
    };

    // The local executor: one CPU, held by a long job, so every submit joins the queue.
    server.submitJob("#!/bin/sh\nsleep 3600\n");
    const qint64 pid = server.process.processId();
    const Pair empty = measure(nam, submits, to(server.clusterId), body, pid);
    row("local executor, queue from 0", empty.c1, empty.c4, direct.c1, direct.c4, empty.cpuMs);
    // Arrays fill the queue fast: one request, up to 1,000 pending rows.
    json array = clusterra::parseJson(body);
    for (int queued = 2 * submits; queued < deep; queued += 1000) {
        array["job"]["array"] = "1-" + std::to_string(qMin(1000, deep - queued));
        server.call("POST", QStringLiteral("/v1/clusters/%1/jobs/submit").arg(server.clusterId),
                    array);
    }
    const Pair full = measure(nam, submits, to(server.clusterId), body, pid);
    const std::string label = "local executor, " + std::to_string(deep) + " pending";
    row(label.c_str(), full.c1, full.c4, direct.c1, direct.c4, full.cpuMs);
    if (slurm) {
        const json created = server.call("POST", QStringLiteral("/v1/clusters"),
                                         {{"name", "bench-slurm"},
                                          {"cluster_type", "slurm"},
                                          {"provider", "slurm"},
                                          {"slurm",
                                           {{"rest_url", slurm->url.toStdString()},
                                            {"user_name", slurm->user.toStdString()},
                                            {"user_mapping", "shared"},
                                            {"token", slurm->token.toStdString()}}}});
        const QString id = clusterra::toQ(created.value("id", std::string()));
        for (int i = 0; i < 200 && !id.isEmpty(); ++i) {
            if (server.call("GET", QStringLiteral("/v1/clusters/") + id).value("state", "") ==
                "ready")
                break;
            QThread::msleep(100);
        }
        const Pair through = measure(nam, submits, to(id), body, pid);
        row("clusterra-server -> slurmrestd", through.c1, through.c4, direct.c1, direct.c4,
            through.cpuMs);
        QProcess::execute(QStringLiteral("scancel"),
                          {QStringLiteral("-u"), QString::fromUtf8(slurm->user)});
    }

    return 0;
}
