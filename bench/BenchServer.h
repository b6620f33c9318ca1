#pragma once

#include <nlohmann/json.hpp>

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
    // A signed-in call to this server (path from /v1), answered synchronously: setup only.
    nlohmann::json call(const QByteArray &method, const QString &path,
                        const nlohmann::json &body = nullptr);
    // Runs a bash script as a job of the bench cluster to its end; its job id, or 0 when it
    // did not complete. `standardOutput` empty: the server's default output file.
    qint64 runJob(const std::string &script, const QString &standardOutput = {});
    // The two halves of runJob: submit (its id, or 0) and wait for the end (true: COMPLETED).
    qint64 submitJob(const std::string &script, const QString &standardOutput = {});
    bool waitForJob(qint64 id);
    ~BenchServer();
};
