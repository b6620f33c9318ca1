#pragma once

#include "core/api/Drafts.h"

#include <QAbstractTableModel>

namespace clusterra {

// The wizard's partition editor: rows of PartitionDraft, editable in place; exactly one row
// is the default (checking one unchecks the others).
class PartitionEditModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, NodeType, MinNodes, MaxNodes, Default, ColumnCount };
    using QAbstractTableModel::QAbstractTableModel;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void addRow(const PartitionDraft &draft);
    void removeRow(int row);
    const QList<PartitionDraft> &partitions() const { return m_rows; }

private:
    QList<PartitionDraft> m_rows;
};

// Key/value rows: cluster tags (and, later, job environment).
class KeyValueModel : public QAbstractTableModel {
    Q_OBJECT
public:
    KeyValueModel(const QString &keyHeader, const QString &valueHeader, QObject *parent = nullptr);
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    void addRow(const QString &key = {}, const QString &value = {});
    void removeRow(int row);
    const QList<QPair<QString, QString>> &pairs() const { return m_rows; }

private:
    QString m_keyHeader;
    QString m_valueHeader;
    QList<QPair<QString, QString>> m_rows;
};

} // namespace clusterra
