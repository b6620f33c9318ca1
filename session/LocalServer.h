#pragma once

#include <QObject>
#include <QProcess>
#include <QTimer>
#include <QUrl>

class QNetworkAccessManager;

namespace clusterra {

// The embedded server of the Local profile: reuses one that is already running on the data
// directory (and then leaves it running), or starts clusterra-server as a child, waits for its
// server.json, and stops it on exit.
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

private:
    void spawn();
    void poll();
    bool readInfo(QUrl *url, qint64 *pid) const;
    QByteArray localToken() const;

    QString m_dataDir;
    QString m_program;
    QProcess m_process;
    QTimer m_poll;
    int m_waitedMs = 0;
    QNetworkAccessManager *m_nam;
};

} // namespace clusterra
