#include "tests/server/SlurmEnv.h"

#include <QProcess>

#include <QElapsedTimer>
#include <QFile>
#include <QTest>

bool SlurmEnv::load() {
    QFile f(qEnvironmentVariable("CLUSTERRA_SLURM_ENV",
                                 QStringLiteral("/var/lib/clusterra-slurm/env")));
    if (!f.open(QIODevice::ReadOnly))
        return false;
    for (const QByteArray &line : f.readAll().split('\n')) {
        const QString key = QString::fromUtf8(line.left(line.indexOf('=')));
        const QString value = QString::fromUtf8(line.mid(line.indexOf('=') + 1)).trimmed();
        if (key == QLatin1String("SLURM_REST_URL"))
            restUrl = value;
        else if (key == QLatin1String("SLURM_REST_USER"))
            jobUser = value;
        else if (key == QLatin1String("SLURM_JWT"))
            jobToken = value;
        else if (key == QLatin1String("SLURM_JWT_ROOT"))
            rootToken = value;
    }
    return !restUrl.isEmpty() && !jobToken.isEmpty();
}

QString SlurmEnv::readyCluster(TestServer &server, const QString &name, const QString &userMapping,
                               const QString &token) const {
    const auto r =
        server.post(QStringLiteral("/v1/clusters"), {{"name", name.toStdString()},
                                                     {"cluster_type", "slurm"},
                                                     {"provider", "slurm"},
                                                     {"slurm",
                                                      {{"rest_url", restUrl.toStdString()},
                                                       {"user_name", jobUser.toStdString()},
                                                       {"user_mapping", userMapping.toStdString()},
                                                       {"token", token.toStdString()}}}});
    if (r.status != 201) {
        qWarning("cluster create failed: %s", r.body.constData());
        return {};
    }
    const QString id = QString::fromStdString(r.json.value("id", ""));
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 20000) {
        const auto c = server.get(QStringLiteral("/v1/clusters/") + id).json;
        if (c.value("state", "") == "ready")
            return id;
        if (c.value("state", "") == "failed") {
            qWarning("cluster failed: %s", c.value("state_reason", "").c_str());
            return {};
        }
        QTest::qWait(50);
    }
    return {};
}

TestServer::Raw SlurmEnv::slurmJob(TestServer &server, qint64 slurmId) const {
    return server.raw(
        "GET", restUrl + QStringLiteral("/slurm/v0.0.38/job/%1").arg(slurmId), {},
        {{"X-SLURM-USER-NAME", jobUser.toUtf8()}, {"X-SLURM-USER-TOKEN", jobToken.toUtf8()}});
}

qint64 SlurmEnv::sbatch(const QStringList &args, QByteArray *why) const {
    QProcess p;
    p.start(QStringLiteral("runuser"),
            QStringList{QStringLiteral("-u"), jobUser, QStringLiteral("--"),
                        QStringLiteral("sbatch"), QStringLiteral("--parsable")} +
                args);
    const bool finished = p.waitForFinished(20000);
    const QByteArray printed = p.readAllStandardOutput().trimmed();
    // --parsable prints "<id>" or "<id>;<cluster>".
    const qint64 id = finished ? printed.split(';').first().toLongLong() : 0;
    if (id <= 0 && why)
        *why = printed + p.readAllStandardError();
    return id;
}
