#include "models/ClusterListModel.h"

#include "models/StateColors.h"

#include <QGuiApplication>
#include <QSet>

namespace clusterra {

int ClusterListModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_clusters.size());
}

QVariant ClusterListModel::data(const QModelIndex &index, int role) const {
    if (!index.isValid() || index.row() >= m_clusters.size())
        return {};
    const ClusterInfo &c = m_clusters[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        return c.name;
    case Qt::AccessibleTextRole:
        return tr("%1, %2, %3").arg(c.name, c.state, c.connectionState);
    case Qt::ToolTipRole:
        return c.stateReason.isEmpty() ? tr("%1 — %2 (%3)").arg(c.name, c.state, c.connectionState)
                                       : tr("%1 — %2: %3").arg(c.name, c.state, c.stateReason);
    case Qt::DecorationRole:
        return clusterStateColor(c.state, QGuiApplication::palette());
    case IdRole:
        return c.id;
    case StateRole:
        return c.state;
    case ConnectionRole:
        return c.connectionState;
    case SubtitleRole:
        return tr("%1 · %2 running · %3 pending")
            .arg(c.state)
            .arg(c.jobsRunning)
            .arg(c.jobsPending);
    }
    return {};
}

int ClusterListModel::rowOf(const QString &id) const {
    for (int i = 0; i < m_clusters.size(); ++i) {
        if (m_clusters[i].id == id)
            return i;
    }
    return -1;
}

const ClusterInfo *ClusterListModel::find(const QString &id) const {
    const int row = rowOf(id);
    return row < 0 ? nullptr : &m_clusters[row];
}

void ClusterListModel::upsert(const ClusterInfo &cluster) {
    const int row = rowOf(cluster.id);
    if (row < 0) {
        beginInsertRows({}, int(m_clusters.size()), int(m_clusters.size()));
        m_clusters.append(cluster);
        endInsertRows();
    } else if (!(m_clusters[row] == cluster)) {
        m_clusters[row] = cluster;
        Q_EMIT dataChanged(index(row), index(row));
    }
}

void ClusterListModel::setClusters(const QList<ClusterInfo> &clusters) {
    QSet<QString> ids;
    for (const auto &c : clusters)
        ids.insert(c.id);
    for (int row = int(m_clusters.size()) - 1; row >= 0; --row) {
        if (!ids.contains(m_clusters[row].id)) {
            beginRemoveRows({}, row, row);
            m_clusters.removeAt(row);
            endRemoveRows();
        }
    }
    for (const auto &c : clusters)
        upsert(c);
}

int PartitionTableModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_partitions.size());
}
int PartitionTableModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PartitionTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Partition");
    case NodeType:
        return tr("Node type");
    case Nodes:
        return tr("Nodes");
    case MinMax:
        return tr("Min / Max");
    case Cpus:
        return tr("CPUs");
    case State:
        return tr("State");
    case Default:
        return tr("Default");
    }
    return {};
}

QVariant PartitionTableModel::data(const QModelIndex &index, int role) const {
    if (!index.isValid() || role != Qt::DisplayRole)
        return {};
    const PartitionInfo &p = m_partitions[index.row()];
    switch (index.column()) {
    case Name:
        return p.name;
    case NodeType:
        return p.nodeType;
    case Nodes:
        return p.totalNodes;
    case MinMax:
        return QStringLiteral("%1 / %2").arg(p.minNodes).arg(p.maxNodes);
    case Cpus:
        return p.totalCpus;
    case State:
        return p.state.isEmpty()
                   ? (m_clusterState == QLatin1String("ready") ? QStringLiteral("UP")
                                                               : QStringLiteral("DOWN"))
                   : p.state;
    case Default:
        return p.isDefault ? tr("yes") : QString();
    }
    return {};
}

void PartitionTableModel::setCluster(const ClusterInfo &cluster) {
    // A handful of rows replaced wholesale when the selected cluster changes.
    beginResetModel();
    m_partitions = cluster.partitions;
    m_clusterState = cluster.state;
    endResetModel();
}

} // namespace clusterra
