#pragma once

#include <QString>
#include <QStringList>
#include <optional>

namespace clusterra::server {

// One node of a cluster as the server last saw it.
struct NodeRecord {
    QString name;
    int cpus = 0;
    qint64 memoryMb = 0;
    int gpus = 0;
    QString nodeType;
    QString state = QStringLiteral("IDLE");
    // Reported by a scheduler that knows (Slurm); unset for the local executor's own nodes,
    // whose usage is counted from the job rows.
    std::optional<int> allocCpus;
    std::optional<qint64> allocMemoryMb;
    std::optional<int> allocGpus;
    QString reason;
    // The partitions the node is in; empty: every partition of its cluster (the local node).
    QStringList partitions;
};

} // namespace clusterra::server
