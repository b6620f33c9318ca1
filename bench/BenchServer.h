#pragma once

#include <QProcess>
#include <QString>
#include <QTemporaryDir>

// A clusterra-server started for a bench run on 127.0.0.1, signed in, with one ready cluster.
struct BenchServer {
    QTemporaryDir dir;
    QProcess process;
    QString url;
    QByteArray token;
    QString clusterId;

    bool start(const QStringList &extraArgs = {});
    ~BenchServer();
};
