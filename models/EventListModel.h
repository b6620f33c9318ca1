#pragma once

#include "core/api/Types.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

namespace clusterra {

// The activity feed of one cluster, newest last, capped so a long session stays small.
class EventListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Time, Kind, Message, Actor, ColumnCount };
    enum Role { KindRole = Qt::UserRole + 1, SeqRole };

    explicit EventListModel(int capacity = 5000, QObject *parent = nullptr);
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void append(const QList<EventInfo> &events);
    void clear();
    qint64 lastSeq() const { return m_events.isEmpty() ? 0 : m_events.last().seq; }

private:
    QList<EventInfo> m_events;
    int m_capacity;
};

// Filters the feed by kind family ("job", "cluster", or empty for all).
class EventKindProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setKindPrefix(const QString &prefix);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_prefix;
};

} // namespace clusterra
