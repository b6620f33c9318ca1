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

    // Cards per row for the page's width: six side by side, or three over three (two over
    // two…) when the window is narrow or the font large, rather than widening the window.
    int cardColumns() const { return m_columns; }

protected:
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    QLabel *card(const QString &objectName, const QString &caption);
    void arrangeCards(int width);

    PartitionTableModel *m_partitions;
    QLabel *m_header;
    QLabel *m_nodes;
    QLabel *m_cpus;
    QLabel *m_running;
    QLabel *m_pending;
    QLabel *m_memory;
    QLabel *m_gpus;
    QWidget *m_cards;
    QList<QWidget *> m_cardFrames;
    int m_columns = 0;
};

} // namespace clusterra
