#include "server/clusters/ClusterProvider.h"
#include "server/sys/Platform.h"

#include <QProcess>
#include <QSysInfo>
#include <QThread>
#include <QTimer>

namespace clusterra::server {

LocalMachine LocalMachine::detect(int cpusOverride, qint64 memoryOverrideMb) {
    LocalMachine m;
    m.hostName = QSysInfo::machineHostName().section(QLatin1Char('.'), 0, 0);
    if (m.hostName.isEmpty())
        m.hostName = QStringLiteral("localhost");
    m.cpus = cpusOverride > 0 ? cpusOverride : qMax(1, QThread::idealThreadCount());
    m.memoryMb = memoryOverrideMb;
    if (m.memoryMb <= 0)
        m.memoryMb = sys::physicalMemoryMb();
    if (m.memoryMb <= 0)
        m.memoryMb = 1024;
    return m;
}

LocalProvider::LocalProvider(LocalMachine machine, QString runnerProgram, QObject *parent)
    : ClusterProvider(parent)
    , m_machine(std::move(machine))
    , m_runnerProgram(std::move(runnerProgram)) {}

void LocalProvider::deploy(const ClusterRecord &cluster) {
    // The node is usable only if the job runner starts on it: run its self-check.
    auto *probe = new QProcess(this);
    const QString id = cluster.id;
    connect(probe, &QProcess::finished, this,
            [this, probe, id](int code, QProcess::ExitStatus status) {
                probe->deleteLater();
                if (status != QProcess::NormalExit || code != 0) {
                    Q_EMIT deployFailed(
                        id, QStringLiteral("the job runner self-check failed (exit %1)").arg(code));
                    return;
                }
                NodeRecord node;
                node.name = m_machine.hostName;
                node.cpus = m_machine.cpus;
                node.memoryMb = m_machine.memoryMb;
                node.nodeType = QStringLiteral("local");
                Q_EMIT deployed(id, {node});
            });
    connect(probe, &QProcess::errorOccurred, this, [this, probe, id](QProcess::ProcessError) {
        if (probe->state() != QProcess::NotRunning)
            return;
        probe->deleteLater();
        Q_EMIT deployFailed(
            id, QStringLiteral("the job runner could not start: %1").arg(probe->errorString()));
    });
    probe->start(m_runnerProgram, {QStringLiteral("--runner-self-check")});
}

void AwsProvider::deploy(const ClusterRecord &cluster) {
    const QString id = cluster.id;
    const qint64 account = cluster.spec.value("cloud_account_id", qint64(0));
    QTimer::singleShot(0, this, [this, id, account] {
        Q_EMIT deployFailed(id,
                            QStringLiteral("CloudFormation create_stack was not attempted: this "
                                           "server has no AWS credentials for cloud account %1")
                                .arg(account));
    });
}

QString AwsProvider::unavailableReason() const {
    return QStringLiteral("This server has no AWS credentials, so it cannot create CloudFormation "
                          "stacks; a cluster on AWS would only fail to deploy.");
}

} // namespace clusterra::server
