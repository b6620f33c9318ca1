#include "session/LocalServer.h"

#include "core/util/Json.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QStandardPaths>

namespace clusterra {

LocalServer::LocalServer(QString dataDir, QString program, QObject *parent)
    : QObject(parent)
    , m_dataDir(std::move(dataDir))
    , m_program(std::move(program))
    , m_nam(new QNetworkAccessManager(this)) {
    m_poll.setInterval(50);
    connect(&m_poll, &QTimer::timeout, this, &LocalServer::poll);
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart) {
            m_poll.stop();
            Q_EMIT failed(tr("Cannot start %1: %2").arg(m_program, m_process.errorString()));
        }
    });
    connect(&m_process, &QProcess::finished, this, [this](int code) {
        if (m_poll.isActive()) {
            m_poll.stop();
            Q_EMIT failed(tr("The local server exited during start-up (exit code %1).").arg(code));
        }
    });
}

LocalServer::~LocalServer() {
    stop();
}

QString LocalServer::findServerProgram() {
    const QString dir = QCoreApplication::applicationDirPath();
    const QStringList candidates{dir + QStringLiteral("/clusterra-server"),
                                 dir + QStringLiteral("/../server/clusterra-server"),
                                 QStringLiteral(CLUSTERRA_SERVER_BUILD_PATH)};
    for (const QString &candidate : candidates) {
        if (QFileInfo(candidate).isExecutable())
            return QFileInfo(candidate).canonicalFilePath();
    }
    return QStandardPaths::findExecutable(QStringLiteral("clusterra-server"));
}

bool LocalServer::readInfo(QUrl *url, qint64 *pid) const {
    QFile f(QDir(m_dataDir).filePath(QStringLiteral("server.json")));
    if (!f.open(QIODevice::ReadOnly))
        return false;
    const auto j = parseJson(f.readAll());
    if (!j.is_object())
        return false;
    *url = QUrl(stringOr(j, "url"));
    *pid = intMember(j, "pid").value_or(0);
    return url->isValid() && !url->isEmpty();
}

QByteArray LocalServer::localToken() const {
    QFile f(QDir(m_dataDir).filePath(QStringLiteral("local-token")));
    return f.open(QIODevice::ReadOnly) ? f.readAll().trimmed() : QByteArray();
}

void LocalServer::start() {
    QUrl url;
    qint64 pid = 0;
    if (!readInfo(&url, &pid)) {
        spawn();
        return;
    }
    // A server.json may be left over from a crash: only a server that answers is reused.
    QNetworkRequest req(url.resolved(QUrl(QStringLiteral("/healthz"))));
    req.setTransferTimeout(1500);
    QNetworkReply *reply = m_nam->get(req);
    connect(reply, &QNetworkReply::finished, this, [this, reply, url] {
        reply->deleteLater();
        if (reply->error() == QNetworkReply::NoError)
            Q_EMIT ready(url, localToken());
        else
            spawn();
    });
}

void LocalServer::spawn() {
    if (m_program.isEmpty()) {
        Q_EMIT failed(tr("clusterra-server was not found next to the console or on PATH."));
        return;
    }
    QDir().mkpath(m_dataDir);
    QFile::remove(QDir(m_dataDir).filePath(QStringLiteral("server.json")));
    m_process.start(m_program, {QStringLiteral("--data"), m_dataDir, QStringLiteral("--listen"),
                                QStringLiteral("127.0.0.1:0")});
    m_waitedMs = 0;
    m_poll.start();
}

void LocalServer::poll() {
    m_waitedMs += m_poll.interval();
    QUrl url;
    qint64 pid = 0;
    if (readInfo(&url, &pid) && pid == m_process.processId()) {
        m_poll.stop();
        Q_EMIT ready(url, localToken());
        return;
    }
    if (m_waitedMs > 20000) {
        m_poll.stop();
        Q_EMIT failed(tr("The local server did not come up within 20 seconds."));
    }
}

void LocalServer::stop() {
    m_poll.stop();
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate(); // SIGTERM: the server shuts down cleanly; jobs keep running
    if (!m_process.waitForFinished(5000))
        m_process.kill();
}

} // namespace clusterra
