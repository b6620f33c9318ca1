#pragma once

#include <QObject>
#include <QProcess>
#include <QTimer>
#include <QUrl>
#include <functional>

class QNetworkAccessManager;

namespace clusterra {

// The embedded server of the Local profile: reuses one that is already running on the data
// directory (and then leaves it running), or starts clusterra-server as a child, waits for its
// server.json, and stops it on exit. A child that dies is started again, on the same port
// where it can be (so open connections simply reconnect), after a pause that grows while it
// keeps dying: `restarted` says where it is then.
class LocalServer : public QObject {
    Q_OBJECT
public:
    LocalServer(QString dataDir, QString program, QObject *parent = nullptr);
    ~LocalServer() override;

    void start();
    void stop();
    bool ownsProcess() const { return m_process.state() != QProcess::NotRunning; }
    QString dataDir() const { return m_dataDir; }
    static QString findServerProgram();

Q_SIGNALS:
    void ready(const QUrl &url, const QByteArray &localToken);
    void failed(const QString &why);
    // The child died and is being started again; then it is up at `url`.
    void restarting();
    void restarted(const QUrl &url);

private:
    void spawn(int port = 0);
    void poll();
    void childEnded(int code);
    void scheduleRestart();
    void restart();
    // Whether the server at `url` answers its health check.
    void answers(const QUrl &url, std::function<void(bool)> done);
    bool readInfo(QUrl *url, qint64 *pid) const;
    QByteArray localToken() const;

    QString m_dataDir;
    QString m_program;
    QProcess m_process;
    QTimer m_poll;
    int m_waitedMs = 0;
    QNetworkAccessManager *m_nam;
    QUrl m_url; // where the child answered, once it has
    bool m_stopping = false;
    bool m_restarting = false;
    int m_restartDelayMs = 0;
    qint64 m_startedAtMs = 0;
    QTimer m_restart;
    QTimer m_watchReused;
};

} // namespace clusterra
