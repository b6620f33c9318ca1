#include "bench/BenchServer.h"

#include "core/util/Json.h"

#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QThread>
#include <cstdio>

namespace {
nlohmann::json send(QNetworkAccessManager &nam, const QByteArray &method, const QString &url,
                    const QByteArray &token, const nlohmann::json &body) {
    QNetworkRequest r{QUrl(url)};
    r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (!token.isEmpty())
        r.setRawHeader("Authorization", "Bearer " + token);
    QNetworkReply *reply = body.is_null()
                               ? nam.sendCustomRequest(r, method)
                               : nam.sendCustomRequest(r, method, clusterra::dumpJson(body));
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    reply->deleteLater();
    return clusterra::parseJson(reply->readAll());
}
nlohmann::json post(QNetworkAccessManager &nam, const QString &url, const QByteArray &token,
                    const nlohmann::json &body) {
    return send(nam, "POST", url, token, body);
}
} // namespace

nlohmann::json BenchServer::call(const QByteArray &method, const QString &path,
                                 const nlohmann::json &body) {
    QNetworkAccessManager nam;
    return send(nam, method, url + path, token, body);
}

qint64 BenchServer::submitJob(const std::string &script, const QString &standardOutput) {
    nlohmann::json job{{"name", "bench"},
                       {"current_working_directory", "/tmp"},
                       {"environment", {"PATH=/usr/bin:/bin"}}};
    if (!standardOutput.isEmpty())
        job["standard_output"] = standardOutput.toStdString();
    const auto r = call("POST", QStringLiteral("/v1/clusters/%1/jobs/submit").arg(clusterId),
                        {{"script", script}, {"job", job}});
    const qint64 id = r.value("job_id", qint64(0));
    if (!id)
        std::fprintf(stderr, "submit refused: %s\n", r.dump().c_str());
    return id;
}

bool BenchServer::waitForJob(qint64 id) {
    for (int i = 0; id && i < 6000; ++i) {
        const auto j =
            call("GET", QStringLiteral("/v1/clusters/%1/jobs/%2").arg(clusterId).arg(id));
        const std::string state = j.value("state", "");
        if (state == "COMPLETED")
            return true;
        if (state == "FAILED" || state == "CANCELLED") {
            std::fprintf(stderr, "job %lld ended %s\n", static_cast<long long>(id), state.c_str());
            return false;
        }
        QThread::msleep(100);
    }
    return false;
}

qint64 BenchServer::runJob(const std::string &script, const QString &standardOutput) {
    const qint64 id = submitJob(script, standardOutput);
    return waitForJob(id) ? id : 0;
}

bool BenchServer::start(const QStringList &extraArgs) {
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process.start(QStringLiteral(CLUSTERRA_SERVER_BIN),
                  QStringList{QStringLiteral("--data"), dir.path()} + extraArgs);
    for (int i = 0; i < 250 && !QFile::exists(dir.filePath(QStringLiteral("server.json"))); ++i)
        QThread::msleep(20);
    QFile info(dir.filePath(QStringLiteral("server.json")));
    if (!info.open(QIODevice::ReadOnly))
        return false;
    url = QString::fromStdString(clusterra::parseJson(info.readAll()).value("url", ""));
    QFile tokenFile(dir.filePath(QStringLiteral("local-token")));
    tokenFile.open(QIODevice::ReadOnly);
    QNetworkAccessManager nam;
    token = QByteArray::fromStdString(
        post(nam, url + QStringLiteral("/v1/auth/callback"), {},
             {{"local_token", tokenFile.readAll().trimmed().toStdString()}})
            .value("access_token", ""));
    clusterId = QString::fromStdString(post(nam, url + QStringLiteral("/v1/clusters"), token,
                                            {{"name", "bench"}, {"cluster_type", "slurm"}})
                                           .value("id", ""));
    QThread::msleep(300); // the local provider readies a cluster almost at once
    return !token.isEmpty() && !clusterId.isEmpty();
}

BenchServer::~BenchServer() {
    // Jobs outlive their server by design (detached runners): a bench's long jobs are
    // cancelled, not left running on the machine after it.
    if (process.state() == QProcess::Running) {
        for (const auto &cluster : call("GET", QStringLiteral("/v1/clusters"))
                                       .value("clusters", nlohmann::json::array())) {
            const QString id = QString::fromStdString(cluster.value("id", std::string()));
            const auto jobs = call(
                "GET", QStringLiteral("/v1/clusters/%1/jobs?state=RUNNING&limit=1000").arg(id));
            for (const auto &job : jobs.value("jobs", nlohmann::json::array()))
                call("DELETE", QStringLiteral("/v1/clusters/%1/jobs/%2")
                                   .arg(id)
                                   .arg(job.value("job_id", qint64(0))));
        }
    }
    process.terminate();
    process.waitForFinished(5000);
}
