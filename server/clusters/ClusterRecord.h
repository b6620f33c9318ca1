#pragma once

#include <QString>
#include <nlohmann/json.hpp>

namespace clusterra::server {

struct ClusterRecord {
    QString id;
    QString org;
    QString name;
    QString provider;
    QString state; // preparing | ready | failed | deleting
    QString stateReason;
    QString connectionState; // connecting | connected | disconnected
    nlohmann::json spec;     // what GET returns; never holds a secret
    // The cluster's own secret (given at creation or generated), shown once, then as a hint.
    QString accessSecret;
    // The slurmrestd JWT of a Slurm-backed cluster; never shown, not even as a hint.
    QString slurmToken;
    QString createdBy;
    qint64 createdAt = 0;
    qint64 updatedAt = 0;

    QString defaultPartition() const;
    const nlohmann::json *partition(const QString &name) const;
};

} // namespace clusterra::server
