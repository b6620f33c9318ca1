#pragma once

#include "core/api/Types.h"

#include <QAbstractListModel>

namespace clusterra {

// The sidebar's clusters. setClusters() diffs against what is shown: changed rows emit
// dataChanged, new ones are inserted, vanished ones removed.
class ClusterListModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { IdRole = Qt::UserRole + 1, StateRole, ConnectionRole, SubtitleRole };

    using QAbstractListModel::QAbstractListModel;
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    void setClusters(const QList<ClusterInfo> &clusters);
    void upsert(const ClusterInfo &cluster);
    int rowOf(const QString &id) const;
    const ClusterInfo *find(const QString &id) const;
    const ClusterInfo &at(int row) const { return m_clusters[row]; }

private:
    QList<ClusterInfo> m_clusters;
};

// Partitions of the selected cluster, for the Overview page, with sinfo's facts: nodes
// available of total, the default and maximum time limit, the state.
class PartitionTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Name,
        NodeType,
        AvailTotal,
        MinMax,
        Cpus,
        DefaultTime,
        MaxTime,
        State,
        ColumnCount
    };
    using QAbstractTableModel::QAbstractTableModel;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    void setCluster(const ClusterInfo &cluster);

private:
    QList<PartitionInfo> m_partitions;
    QString m_clusterState;
};

} // namespace clusterra
