#include "models/NodeListModel.h"

#include "models/StateColors.h"

#include <QGuiApplication>
#include <QMap>

namespace clusterra {

namespace {
QString memoryText(qint64 mb) {
    return mb >= 1024 ? QString::number(double(mb) / 1024.0, 'f', 1) : QString::number(mb);
}
} // namespace

StateLook nodeStateLook(const QString &state) {
    const QString s = state.toUpper();
    if (s == QLatin1String("IDLE"))
        return StateLook::Completed;
    if (s == QLatin1String("ALLOCATED") || s == QLatin1String("MIXED") ||
        s == QLatin1String("COMPLETING"))
        return StateLook::Running;
    if (s == QLatin1String("DOWN") || s == QLatin1String("DRAIN") ||
        s == QLatin1String("DRAINED") || s == QLatin1String("FAIL"))
        return StateLook::Failed;
    if (s.startsWith(QLatin1String("POWER")) || s == QLatin1String("CLOUD"))
        return s == QLatin1String("POWERING_UP") ? StateLook::Pending : StateLook::Cancelled;
    return StateLook::Unknown;
}

int NodeListModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_nodes.size());
}

int NodeListModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant NodeListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Node");
    case State:
        return tr("State");
    case Cpus:
        return tr("CPUs");
    case Memory:
        return tr("Memory");
    case Gpus:
        return tr("GPUs");
    case Reason:
        return tr("Reason");
    }
    return {};
}

QVariant NodeListModel::data(const QModelIndex &index, int role) const {
    if (!index.isValid() || index.row() >= m_nodes.size())
        return {};
    const NodeInfo &n = m_nodes[index.row()];
    if (index.column() == State) {
        const QPalette palette = QGuiApplication::palette();
        if (role == Qt::DecorationRole)
            return stateIcon(nodeStateLook(n.state), palette);
        if (role == Qt::ForegroundRole)
            return stateColor(nodeStateLook(n.state), palette);
    }
    if (role == Qt::ToolTipRole) {
        if (index.column() == Reason || (index.column() == State && !n.reason.isEmpty()))
            return n.reason;
        if (index.column() == Name && !n.nodeType.isEmpty())
            return tr("%1 (%2)").arg(n.name, n.nodeType);
        return {};
    }
    if (role == Qt::TextAlignmentRole &&
        (index.column() == Cpus || index.column() == Memory || index.column() == Gpus))
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Name:
        return n.name;
    case State:
        return n.state;
    case Cpus:
        return tr("%1 / %2").arg(n.allocCpus).arg(n.cpus);
    case Memory:
        return (n.memoryMb >= 1024 ? tr("%1 / %2 GiB") : tr("%1 / %2 MiB"))
            .arg(n.memoryMb >= 1024 ? QString::number(double(n.allocMemoryMb) / 1024.0, 'f', 1)
                                    : QString::number(n.allocMemoryMb),
                 memoryText(n.memoryMb));
    case Gpus:
        return n.gpus > 0 ? tr("%1 / %2").arg(n.allocGpus).arg(n.gpus) : tr("none");
    case Reason:
        return n.reason;
    }
    return {};
}

void NodeListModel::setNodes(const QList<NodeInfo> &nodes) {
    bool sameNames = nodes.size() == m_nodes.size();
    for (qsizetype i = 0; sameNames && i < nodes.size(); ++i)
        sameNames = nodes[i].name == m_nodes[i].name;
    if (!sameNames) {
        // Nodes came or went (a scale, another cluster): a handful of rows, replaced.
        beginResetModel();
        m_nodes = nodes;
        endResetModel();
        return;
    }
    for (int row = 0; row < nodes.size(); ++row) {
        if (nodes[row] == m_nodes[row])
            continue;
        m_nodes[row] = nodes[row];
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
}

QMap<QString, int> NodeListModel::stateCounts() const {
    QMap<QString, int> out;
    for (const NodeInfo &n : m_nodes)
        ++out[n.state];
    return out;
}

} // namespace clusterra
