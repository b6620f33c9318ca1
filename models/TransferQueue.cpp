#include "models/TransferQueue.h"

#include "core/api/Types.h"

namespace clusterra {

namespace {
QString formatEta(double seconds) {
    if (seconds < 0 || seconds > 99 * 3600)
        return {};
    const qint64 s = qint64(seconds + 0.5);
    if (s < 60)
        return QObject::tr("%1 s").arg(s);
    if (s < 3600)
        return QObject::tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    return QObject::tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
}
} // namespace

TransferQueue::TransferQueue(TransferManager *manager, QObject *parent)
    : QAbstractTableModel(parent)
    , m_manager(manager) {
    connect(manager, &TransferManager::aboutToAdd, this,
            [this](int row) { beginInsertRows({}, row, row); });
    connect(manager, &TransferManager::added, this, [this](int) { endInsertRows(); });
    connect(manager, &TransferManager::aboutToRemove, this,
            [this](int row) { beginRemoveRows({}, row, row); });
    connect(manager, &TransferManager::removed, this, [this](int) { endRemoveRows(); });
    connect(manager, &TransferManager::changed, this, [this](int row) {
        if (row >= 0)
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    });
}

int TransferQueue::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : m_manager->count();
}

int TransferQueue::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TransferQueue::data(const QModelIndex &index, int role) const {
    if (!index.isValid() || index.row() >= m_manager->count())
        return {};
    const TransferEntry &it = m_manager->at(index.row());
    const bool running = it.state == State::Running;
    const int percent =
        it.total > 0 ? int(it.done * 100 / it.total) : (it.state == State::Done ? 100 : 0);
    switch (role) {
    case ProgressRole:
        return percent;
    case StateRole:
        return QVariant::fromValue(it.state);
    case CanCancelRole:
        return it.isActive();
    case CanRetryRole:
        return it.state == State::Failed || it.state == State::Cancelled;
    case Qt::ToolTipRole:
        return it.error.isEmpty() ? QStringLiteral("%1 ⇄ %2").arg(it.localPath, it.key) : it.error;
    case Qt::DisplayRole:
        switch (index.column()) {
        case Name:
            return it.key.section(QLatin1Char('/'), -1);
        case Direction:
            return it.kind == TransferEntry::Kind::Upload ? tr("Upload") : tr("Download");
        case Progress:
            return it.total >= 0 ? tr("%1 of %2").arg(formatBytes(it.done), formatBytes(it.total))
                                 : QString();
        case Speed:
            return running && it.bytesPerSec > 0
                       ? tr("%1/s").arg(formatBytes(qint64(it.bytesPerSec)))
                       : QString();
        case TimeLeft:
            return running && it.bytesPerSec > 0 && it.total > 0
                       ? formatEta(double(it.total - it.done) / it.bytesPerSec)
                       : QString();
        case Status:
            switch (it.state) {
            case State::Queued:
                return tr("Waiting");
            case State::Running:
                return tr("%1%").arg(percent);
            case State::Done:
                return tr("Done");
            case State::Failed:
                return tr("Failed: %1").arg(it.error);
            case State::Cancelled:
                return tr("Cancelled");
            }
        }
        break;
    }
    return {};
}

QVariant TransferQueue::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *const names[] = {QT_TR_NOOP("File"),      QT_TR_NOOP("Direction"),
                                        QT_TR_NOOP("Progress"),  QT_TR_NOOP("Speed"),
                                        QT_TR_NOOP("Time left"), QT_TR_NOOP("Status")};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace clusterra
