#pragma once

#include "server/clusters/ClusterRecord.h"
#include "server/nodes/NodeRecord.h"

#include <QList>
#include <QObject>
#include <QString>

namespace clusterra::server {

// Brings a cluster's nodes up in the background (local machine, cloud, an existing Slurm).
// Creation never waits for it: the outcome arrives as one of the two signals.
class ClusterProvider : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    virtual void deploy(const ClusterRecord &cluster) = 0;
    // Why this server cannot bring such a cluster up (empty when it can), for the wizard to
    // say before anyone fills in a page of fields that would only fail.
    virtual QString unavailableReason() const { return {}; }

Q_SIGNALS:
    void deployed(const QString &clusterId, const QList<clusterra::server::NodeRecord> &nodes);
    void deployFailed(const QString &clusterId, const QString &reason);
};

struct LocalMachine {
    QString hostName;
    int cpus = 1;
    qint64 memoryMb = 1024;
    static LocalMachine detect(int cpusOverride, qint64 memoryOverrideMb);
};

// Registers this machine as the cluster's node, after proving the job runner starts here.
class LocalProvider : public ClusterProvider {
    Q_OBJECT
public:
    LocalProvider(LocalMachine machine, QString runnerProgram, QObject *parent = nullptr);
    void deploy(const ClusterRecord &cluster) override;

private:
    LocalMachine m_machine;
    QString m_runnerProgram;
};

// AWS needs CloudFormation and credentials this server does not have: every deploy fails
// in the background with the reason, which is what a user sees when the cloud step fails.
class AwsProvider : public ClusterProvider {
    Q_OBJECT
public:
    using ClusterProvider::ClusterProvider;
    void deploy(const ClusterRecord &cluster) override;
    QString unavailableReason() const override;
};

} // namespace clusterra::server
