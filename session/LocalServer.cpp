#include "session/LocalServer.h"

#include "core/util/Json.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QStandardPaths>
#include <functional>

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
            if (m_restarting) // it ran before: try again rather than give up
                scheduleRestart();
            else
                Q_EMIT failed(tr("Cannot start %1: %2").arg(m_program, m_process.errorString()));
        }
    });
    connect(&m_process, &QProcess::finished, this, &LocalServer::childEnded);
    m_restart.setSingleShot(true);
    connect(&m_restart, &QTimer::timeout, this, &LocalServer::restart);
    // A server this console found running is not its child: it is asked now and then.
    m_watchReused.setInterval(2000);
    connect(&m_watchReused, &QTimer::timeout, this, [this] {
        answers(m_url, [this](bool up) {
            if (up || m_stopping || !m_watchReused.isActive())
                return;
            m_watchReused.stop();
            m_startedAtMs = 0;
            Q_EMIT restarting();
            scheduleRestart();
        });
    });
}

void LocalServer::childEnded(int code) {
    if (m_stopping)
        return;
    const bool starting = m_poll.isActive();
    m_poll.stop();
    if (starting && !m_restarting) {
        Q_EMIT failed(tr("The local server exited during start-up (exit code %1).").arg(code));
        return;
    }
    if (!starting)
        Q_EMIT restarting();
    scheduleRestart();
}

void LocalServer::scheduleRestart() {
    // Quickly the first time; longer each time it dies again soon after starting (and, after
    // a few seconds of that, on any free port: the old one may have been taken).
    const bool diedSoon = QDateTime::currentMSecsSinceEpoch() - m_startedAtMs < 10000;
    m_restartDelayMs = diedSoon ? qMin(qMax(500, m_restartDelayMs * 2), 30000) : 500;
    m_restarting = true;
    m_restart.start(m_restartDelayMs);
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

void LocalServer::answers(const QUrl &url, std::function<void(bool)> done) {
    QNetworkRequest req(url.resolved(QUrl(QStringLiteral("/healthz"))));
    req.setTransferTimeout(1500);
    QNetworkReply *reply = m_nam->get(req);
    connect(reply, &QNetworkReply::finished, this, [reply, done = std::move(done)] {
        reply->deleteLater();
        done(reply->error() == QNetworkReply::NoError);
    });
}

void LocalServer::start() {
    QUrl url;
    qint64 pid = 0;
    if (!readInfo(&url, &pid)) {
        spawn();
        return;
    }
    // A server.json may be left over from a crash: only a server that answers is reused.
    answers(url, [this, url](bool up) {
        if (!up) {
            spawn();
            return;
        }
        m_url = url;
        m_watchReused.start();
        Q_EMIT ready(url, localToken());
    });
}

void LocalServer::restart() {
    // Another console on this data directory may have started one already: that one, then.
    // The old port while it comes back quickly; any free one once that has failed a while.
    const int port = m_restartDelayMs > 4000 ? 0 : m_url.port(0);
    QUrl url;
    qint64 pid = 0;
    if (!readInfo(&url, &pid)) {
        spawn(port);
        return;
    }
    answers(url, [this, url, port](bool up) {
        if (!up) {
            spawn(port);
            return;
        }
        m_restarting = false;
        m_url = url;
        m_watchReused.start();
        Q_EMIT restarted(url);
    });
}

void LocalServer::spawn(int port) {
    if (m_program.isEmpty()) {
        Q_EMIT failed(tr("clusterra-server was not found next to the console or on PATH."));
        return;
    }
    QDir().mkpath(m_dataDir);
    QFile::remove(QDir(m_dataDir).filePath(QStringLiteral("server.json")));
    m_startedAtMs = QDateTime::currentMSecsSinceEpoch();
    m_process.start(m_program, {QStringLiteral("--data"), m_dataDir, QStringLiteral("--listen"),
                                QStringLiteral("127.0.0.1:%1").arg(port)});
    m_waitedMs = 0;
    m_poll.start();
}

void LocalServer::poll() {
    m_waitedMs += m_poll.interval();
    QUrl url;
    qint64 pid = 0;
    if (readInfo(&url, &pid) && pid == m_process.processId()) {
        m_poll.stop();
        m_url = url;
        if (m_restarting) {
            m_restarting = false;
            Q_EMIT restarted(url);
        } else {
            Q_EMIT ready(url, localToken());
        }
        return;
    }
    if (m_waitedMs > 20000) {
        m_poll.stop();
        if (m_restarting) {
            m_process.kill(); // its end schedules the next try
            return;
        }
        Q_EMIT failed(tr("The local server did not come up within 20 seconds."));
    }
}

void LocalServer::stop() {
    m_stopping = true;
    m_restart.stop();
    m_watchReused.stop();
    m_poll.stop();
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate(); // SIGTERM: the server shuts down cleanly; jobs keep running
    if (!m_process.waitForFinished(5000))
        m_process.kill();
}

} // namespace clusterra
