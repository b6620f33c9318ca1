#include "models/EventListModel.h"

#include "models/EventLook.h"
#include "models/StateColors.h"

#include <QDateTime>
#include <QGuiApplication>
#include <QLocale>

namespace clusterra {

EventListModel::EventListModel(int capacity, QObject *parent)
    : QAbstractTableModel(parent)
    , m_capacity(capacity)
    , m_nowMs([] { return QDateTime::currentMSecsSinceEpoch(); }) {}

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
        return tr("Event");
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
    const QPalette palette = QGuiApplication::palette();
    switch (role) {
    case Qt::ForegroundRole: {
        if (index.column() != Message && index.column() != Kind)
            return {};
        // The colour the Jobs table gives the same meaning; severity where there is none.
        const auto look = eventLookOf(e).look;
        if (look == StateLook::Failed || look == StateLook::Cancelled)
            return stateColor(*look, palette);
        if (e.severity == QLatin1String("error"))
            return stateColor(StateLook::Failed, palette);
        if (e.severity == QLatin1String("warning"))
            return stateColor(StateLook::Pending, palette);
        return {};
    }
    case Qt::DecorationRole:
        if (index.column() == Kind) {
            if (const auto look = eventLookOf(e).look)
                return stateIcon(*look, palette);
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Time)
            return QLocale().toString(QDateTime::fromMSecsSinceEpoch(e.timeMs).toLocalTime(),
                                      QStringLiteral("dddd d MMMM yyyy, HH:mm:ss.zzz t"));
        if (index.column() == Kind)
            return e.kind;
        if (index.column() == Message)
            return e.message;
        return {};
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case Time:
        return relativeTime(e.timeMs, m_nowMs());
    case Kind:
        return eventLookOf(e).label;
    case Message:
        return e.message;
    case Actor:
        return e.actor;
    }
    return {};
}

void EventListModel::refreshTimes() {
    if (!m_events.isEmpty())
        Q_EMIT dataChanged(index(0, Time), index(int(m_events.size()) - 1, Time),
                           {Qt::DisplayRole});
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
