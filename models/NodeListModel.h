#pragma once

#include "core/api/Types.h"
#include "models/StateColors.h"

#include <QAbstractTableModel>
#include <QMap>

namespace clusterra {

// Node health of the selected cluster, as Overview lists it: each node's state with the shape
// and colour the same meaning has elsewhere, what it has allocated of what it has, and why it is
// down. setNodes() changes only the rows that changed.
class NodeListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, State, Cpus, Memory, Gpus, Reason, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void setNodes(const QList<NodeInfo> &nodes);
    const NodeInfo &at(int row) const { return m_nodes[row]; }
    // Nodes per state ("IDLE" → 3), for the section's one-line summary.
    QMap<QString, int> stateCounts() const;

private:
    QList<NodeInfo> m_nodes;
};

// How a node state reads: idle is healthy (the tick), allocated and mixed are at work (the
// running triangle), down and drained have failed, powered down is off (grey), the rest unknown.
StateLook nodeStateLook(const QString &state);

} // namespace clusterra
