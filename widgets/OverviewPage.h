#pragma once

#include "core/api/Types.h"

#include <QWidget>

class QLabel;
class QTableView;

namespace clusterra {

class PartitionTableModel;

// Summary cards (nodes, CPUs, running and pending jobs, memory, GPUs) and the partitions.
class OverviewPage : public QWidget {
    Q_OBJECT
public:
    explicit OverviewPage(QWidget *parent = nullptr);
    void setCluster(const ClusterInfo &cluster);

private:
    QLabel *card(const QString &objectName, const QString &caption);

    PartitionTableModel *m_partitions;
    QLabel *m_header;
    QLabel *m_nodes;
    QLabel *m_cpus;
    QLabel *m_running;
    QLabel *m_pending;
    QLabel *m_memory;
    QLabel *m_gpus;
    QWidget *m_cards;
};

} // namespace clusterra
