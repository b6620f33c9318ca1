#include "models/EditModels.h"

namespace clusterra {

int PartitionEditModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}
int PartitionEditModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PartitionEditModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1;
    switch (section) {
    case Name:
        return tr("Name");
    case NodeType:
        return tr("Node type");
    case MinNodes:
        return tr("Min nodes");
    case MaxNodes:
        return tr("Max nodes");
    case Default:
        return tr("Default");
    }
    return {};
}

QVariant PartitionEditModel::data(const QModelIndex &index, int role) const {
    if (!index.isValid())
        return {};
    const PartitionDraft &p = m_rows[index.row()];
    if (index.column() == Default)
        return role == Qt::CheckStateRole ? QVariant(p.isDefault ? Qt::Checked : Qt::Unchecked)
                                          : QVariant();
    if (role != Qt::DisplayRole && role != Qt::EditRole)
        return {};
    switch (index.column()) {
    case Name:
        return p.name;
    case NodeType:
        return p.nodeType;
    case MinNodes:
        return p.minNodes;
    case MaxNodes:
        return p.maxNodes;
    }
    return {};
}

Qt::ItemFlags PartitionEditModel::flags(const QModelIndex &index) const {
    if (!index.isValid())
        return Qt::NoItemFlags;
    if (index.column() == Default)
        return Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsSelectable;
    return Qt::ItemIsEnabled | Qt::ItemIsEditable | Qt::ItemIsSelectable;
}

bool PartitionEditModel::setData(const QModelIndex &index, const QVariant &value, int role) {
    if (!index.isValid())
        return false;
    PartitionDraft &p = m_rows[index.row()];
    if (index.column() == Default) {
        if (role != Qt::CheckStateRole)
            return false;
        const bool on = value.toInt() == Qt::Checked;
        // A radio group: the checked row is the one default.
        for (int r = 0; r < m_rows.size(); ++r) {
            const bool want =
                on ? r == index.row() : (r == index.row() ? false : m_rows[r].isDefault);
            if (m_rows[r].isDefault != want) {
                m_rows[r].isDefault = want;
                Q_EMIT dataChanged(this->index(r, Default), this->index(r, Default),
                                   {Qt::CheckStateRole});
            }
        }
        return true;
    }
    if (role != Qt::EditRole)
        return false;
    switch (index.column()) {
    case Name:
        p.name = value.toString().trimmed();
        break;
    case NodeType:
        p.nodeType = value.toString().trimmed();
        break;
    case MinNodes:
        p.minNodes = value.toInt();
        break;
    case MaxNodes:
        p.maxNodes = value.toInt();
        break;
    default:
        return false;
    }
    Q_EMIT dataChanged(index, index);
    return true;
}

void PartitionEditModel::addRow(const PartitionDraft &draft) {
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
    m_rows.append(draft);
    endInsertRows();
}

void PartitionEditModel::removeRow(int row) {
    if (row < 0 || row >= m_rows.size())
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    endRemoveRows();
}

KeyValueModel::KeyValueModel(const QString &keyHeader, const QString &valueHeader, QObject *parent)
    : QAbstractTableModel(parent)
    , m_keyHeader(keyHeader)
    , m_valueHeader(valueHeader) {}

int KeyValueModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}
int KeyValueModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : 2;
}

QVariant KeyValueModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1;
    return section == 0 ? m_keyHeader : m_valueHeader;
}

QVariant KeyValueModel::data(const QModelIndex &index, int role) const {
    if (!index.isValid() || (role != Qt::DisplayRole && role != Qt::EditRole))
        return {};
    const auto &row = m_rows[index.row()];
    return index.column() == 0 ? row.first : row.second;
}

Qt::ItemFlags KeyValueModel::flags(const QModelIndex &index) const {
    return index.isValid() ? Qt::ItemIsEnabled | Qt::ItemIsEditable | Qt::ItemIsSelectable
                           : Qt::NoItemFlags;
}

bool KeyValueModel::setData(const QModelIndex &index, const QVariant &value, int role) {
    if (!index.isValid() || role != Qt::EditRole)
        return false;
    auto &row = m_rows[index.row()];
    (index.column() == 0 ? row.first : row.second) = value.toString();
    Q_EMIT dataChanged(index, index);
    return true;
}

void KeyValueModel::addRow(const QString &key, const QString &value) {
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
    m_rows.append({key, value});
    endInsertRows();
}

void KeyValueModel::removeRow(int row) {
    if (row < 0 || row >= m_rows.size())
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    endRemoveRows();
}

} // namespace clusterra
