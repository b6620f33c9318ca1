#pragma once

#include "core/api/Types.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <functional>

namespace clusterra {

// The activity feed of one cluster, newest last, capped so a long session stays small. Times
// read relative to now ("5 min ago", exact in the tooltip); refreshTimes() moves them on.
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
    // The time column says something new as the clock moves; only that column changes.
    void refreshTimes();
    // Test seam: the clock relative times are measured against.
    void setClock(std::function<qint64()> nowMs) { m_nowMs = std::move(nowMs); }
    qint64 lastSeq() const { return m_events.isEmpty() ? 0 : m_events.last().seq; }

private:
    QList<EventInfo> m_events;
    int m_capacity;
    std::function<qint64()> m_nowMs;
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
