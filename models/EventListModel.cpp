#include "models/EventListModel.h"

#include "models/StateColors.h"

#include <QDateTime>
#include <QGuiApplication>

namespace clusterra {

EventListModel::EventListModel(int capacity, QObject *parent)
    : QAbstractTableModel(parent)
    , m_capacity(capacity) {}

int EventListModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_events.size());
}
int EventListModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time:
        return tr("Time");
    case Kind:
        return tr("Kind");
    case Message:
        return tr("Message");
    case Actor:
        return tr("By");
    }
    return {};
}

QVariant EventListModel::data(const QModelIndex &index, int role) const {
    if (!index.isValid())
        return {};
    const EventInfo &e = m_events[index.row()];
    if (role == KindRole)
        return e.kind;
    if (role == SeqRole)
        return e.seq;
    if (role == Qt::ForegroundRole && index.column() == Message) {
        if (e.severity == QLatin1String("error"))
            return stateColor(StateFilter::Failed, QGuiApplication::palette());
        if (e.severity == QLatin1String("warning"))
            return stateColor(StateFilter::Pending, QGuiApplication::palette());
        return {};
    }
    if (role == Qt::ToolTipRole && index.column() == Time)
        return QDateTime::fromMSecsSinceEpoch(e.timeMs).toString(Qt::ISODateWithMs);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Time:
        return QDateTime::fromMSecsSinceEpoch(e.timeMs).toLocalTime().toString(
            QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case Kind:
        return e.kind;
    case Message:
        return e.message;
    case Actor:
        return e.actor;
    }
    return {};
}

void EventListModel::append(const QList<EventInfo> &events) {
    QList<EventInfo> fresh;
    for (const auto &e : events) {
        if (e.seq > lastSeq() && (fresh.isEmpty() || e.seq > fresh.last().seq))
            fresh.append(e);
    }
    if (fresh.isEmpty())
        return;
    beginInsertRows({}, int(m_events.size()), int(m_events.size() + fresh.size()) - 1);
    m_events.append(fresh);
    endInsertRows();
    const int excess = int(m_events.size()) - m_capacity;
    if (excess > 0) {
        beginRemoveRows({}, 0, excess - 1);
        m_events.remove(0, excess);
        endRemoveRows();
    }
}

void EventListModel::clear() {
    if (m_events.isEmpty())
        return;
    beginRemoveRows({}, 0, int(m_events.size()) - 1);
    m_events.clear();
    endRemoveRows();
}

void EventKindProxy::setKindPrefix(const QString &prefix) {
    m_prefix = prefix;
    invalidateFilter();
}

bool EventKindProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const {
    if (m_prefix.isEmpty())
        return true;
    const QString kind =
        sourceModel()->index(sourceRow, 0, sourceParent).data(EventListModel::KindRole).toString();
    return kind.startsWith(m_prefix);
}

} // namespace clusterra
