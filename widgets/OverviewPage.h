#pragma once

#include "core/api/Types.h"

#include <QWidget>

class QAction;
class QLabel;
class QMenu;
class QPushButton;
class QTableView;
class QToolButton;

namespace clusterra {

class NodeListModel;
class PartitionTableModel;

// Summary cards (nodes, CPUs, running and pending jobs, memory, GPUs) and the partitions.
class OverviewPage : public QWidget {
    Q_OBJECT
public:
    explicit OverviewPage(QWidget *parent = nullptr);
    void setCluster(const ClusterInfo &cluster);
    // Node health: each node's state, allocation and reason.
    void setNodes(const QList<NodeInfo> &nodes);
    // While they are read, or why they could not be.
    void showNodeStatus(const QString &text);
    NodeListModel *nodes() const { return m_nodeModel; }
    // The cluster's actions, behind the Actions button beside its name.
    void setActionsMenu(QMenu *menu);
    // The banner's Retry and Delete are these actions: enabled, and explained, as they are.
    void setBannerActions(QAction *retry, QAction *remove);
    // The banner over the cards for a cluster that is not simply ready (failed with its
    // reason, preparing, being deleted, unreachable); empty when it is hidden.
    QString bannerText() const;

    // Cards per row for the page's width: six side by side, or three over three (two over
    // two…) when the window is narrow or the font large, rather than widening the window.
    int cardColumns() const { return m_columns; }

protected:
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    QLabel *card(const QString &objectName, const QString &caption);
    void arrangeCards(int width);
    void updateBanner(const ClusterInfo &cluster);

    void fitPartitionTable();

    PartitionTableModel *m_partitions;
    NodeListModel *m_nodeModel;
    QTableView *m_partitionView = nullptr;
    QLabel *m_nodeTitle = nullptr;
    QLabel *m_header;
    QToolButton *m_actions;
    QWidget *m_banner;
    QLabel *m_bannerText;
    QPushButton *m_bannerRetry;
    QPushButton *m_bannerDelete;
    bool m_failed = false;
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
