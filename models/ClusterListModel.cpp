#include "models/ClusterListModel.h"

#include "models/StateColors.h"

#include <QFont>
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
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case AvailTotal:
            return tr("Nodes that can take work now (idle or partly used) of all the partition's "
                      "nodes");
        case MinMax:
            return tr("Nodes kept up at least, and the most the partition may grow to");
        case DefaultTime:
            return tr("The time limit of a job that asks for none");
        case MaxTime:
            return tr("The longest time limit a job may ask for");
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Partition");
    case NodeType:
        return tr("Node type");
    case AvailTotal:
        return tr("Avail / Total");
    case MinMax:
        return tr("Min / Max");
    case Cpus:
        return tr("CPUs");
    case DefaultTime:
        return tr("Default time");
    case MaxTime:
        return tr("Max time");
    case State:
        return tr("State");
    }
    return {};
}

QVariant PartitionTableModel::data(const QModelIndex &index, int role) const {
    if (!index.isValid())
        return {};
    const PartitionInfo &p = m_partitions[index.row()];
    if (role == Qt::FontRole && index.column() == Name && p.isDefault) {
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    if (role == Qt::ToolTipRole && index.column() == Name && p.isDefault)
        return tr("Jobs that name no partition run here");
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Name:
        return p.isDefault ? tr("%1 (default)").arg(p.name) : p.name;
    case NodeType:
        return p.nodeType;
    case AvailTotal:
        return QStringLiteral("%1 / %2").arg(p.availNodes).arg(p.totalNodes);
    case MinMax:
        return QStringLiteral("%1 / %2").arg(p.minNodes).arg(p.maxNodes);
    case Cpus:
        return p.totalCpus;
    case DefaultTime:
        // No default of its own: a job gets the maximum, as Slurm gives it.
        return p.defaultTimeMinutes ? formatTimeLimit(p.defaultTimeMinutes)
                                    : formatTimeLimit(p.maxTimeMinutes);
    case MaxTime:
        return formatTimeLimit(p.maxTimeMinutes);
    case State:
        return p.state.isEmpty()
                   ? (m_clusterState == QLatin1String("ready") ? QStringLiteral("UP")
                                                               : QStringLiteral("DOWN"))
                   : p.state;
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
