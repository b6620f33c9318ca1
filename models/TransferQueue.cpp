#include "TransferQueue.h"

#include "api/Types.h"
#include "transfer/FileDownload.h"
#include "transfer/FileUpload.h"

#include <QFileInfo>

namespace clusterra {

struct TransferQueue::Item {
    Kind kind = Kind::Upload;
    QString clusterId;
    QString localPath;
    QString key;
    State state = State::Queued;
    qint64 done = 0;
    qint64 total = -1;
    double bytesPerSec = 0;
    qint64 sampleBytes = 0;
    QElapsedTimer sampleClock;
    QString error;
    QPointer<Transfer> transfer;
};

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

TransferQueue::TransferQueue(ApiClient *api, const QString &resumeFile, QObject *parent)
    : QAbstractTableModel(parent)
    , m_api(api)
    , m_resume(std::make_unique<ResumeStore>(resumeFile)) {}

TransferQueue::~TransferQueue() {
    for (auto &item : m_items)
        if (item->transfer) {
            item->transfer->disconnect(this);
            delete item->transfer;
        }
}

int TransferQueue::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_items.size());
}

int TransferQueue::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TransferQueue::data(const QModelIndex &index, int role) const {
    if (!index.isValid() || index.row() >= int(m_items.size()))
        return {};
    const Item &it = *m_items.at(size_t(index.row()));
    const bool running = it.state == State::Running;
    const int percent =
        it.total > 0 ? int(it.done * 100 / it.total) : (it.state == State::Done ? 100 : 0);
    switch (role) {
    case ProgressRole:
        return percent;
    case StateRole:
        return QVariant::fromValue(it.state);
    case CanCancelRole:
        return it.state == State::Queued || running;
    case CanRetryRole:
        return it.state == State::Failed || it.state == State::Cancelled;
    case Qt::ToolTipRole:
        return it.error.isEmpty() ? QStringLiteral("%1 ⇄ %2").arg(it.localPath, it.key) : it.error;
    case Qt::DisplayRole:
        switch (index.column()) {
        case Name:
            return it.key.section(QLatin1Char('/'), -1);
        case Direction:
            return it.kind == Kind::Upload ? tr("Upload") : tr("Download");
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

int TransferQueue::upload(const QString &clusterId, const QString &localPath, const QString &key) {
    auto item = std::make_unique<Item>();
    item->kind = Kind::Upload;
    item->clusterId = clusterId;
    item->localPath = localPath;
    item->key = key;
    item->total = QFileInfo(localPath).size();
    return add(std::move(item));
}

int TransferQueue::download(const QString &clusterId, const QString &key,
                            const QString &localPath) {
    auto item = std::make_unique<Item>();
    item->kind = Kind::Download;
    item->clusterId = clusterId;
    item->localPath = localPath;
    item->key = key;
    return add(std::move(item));
}

int TransferQueue::add(std::unique_ptr<Item> item) {
    const int row = int(m_items.size());
    beginInsertRows({}, row, row);
    m_items.push_back(std::move(item));
    endInsertRows();
    pump();
    Q_EMIT activeCountChanged(activeCount());
    return row;
}

int TransferQueue::activeCount() const {
    int n = 0;
    for (const auto &item : m_items)
        n += item->state == State::Queued || item->state == State::Running;
    return n;
}

TransferQueue::State TransferQueue::state(int row) const {
    return m_items.at(size_t(row))->state;
}

QString TransferQueue::errorText(int row) const {
    return m_items.at(size_t(row))->error;
}

int TransferQueue::rowOf(const Item *item) const {
    for (size_t i = 0; i < m_items.size(); ++i)
        if (m_items[i].get() == item)
            return int(i);
    return -1;
}

void TransferQueue::changed(int row) {
    if (row >= 0)
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void TransferQueue::pump() {
    int running = 0;
    for (const auto &item : m_items)
        running += item->state == State::Running;
    for (size_t i = 0; i < m_items.size() && running < m_maxRunning; ++i) {
        if (m_items[i]->state == State::Queued) {
            begin(int(i));
            ++running;
        }
    }
}

void TransferQueue::begin(int row) {
    Item *item = m_items.at(size_t(row)).get();
    item->state = State::Running;
    item->error.clear();
    item->bytesPerSec = 0;
    item->sampleBytes = -1;
    Transfer *t = nullptr;
    if (item->kind == Kind::Upload) {
        auto *up = new FileUpload(m_api, item->clusterId, item->localPath, item->key,
                                  m_resume.get(), this);
        up->setThreshold(m_threshold);
        t = up;
    } else {
        t = new FileDownload(m_api, item->clusterId, item->key, item->localPath, this);
    }
    item->transfer = t;
    connect(t, &Transfer::progress, this,
            [this, item](qint64 done, qint64 total) { onProgress(item, done, total); });
    connect(t, &Transfer::finished, this, [this, item](const ApiError &e) { onFinished(item, e); });
    changed(row);
    t->start();
}

void TransferQueue::onProgress(Item *item, qint64 done, qint64 total) {
    item->done = done;
    if (total >= 0)
        item->total = total;
    // Speed over windows of at least half a second, smoothed, so the figure stays readable.
    if (item->sampleBytes < 0) {
        item->sampleBytes = done;
        item->sampleClock.start();
    } else if (item->sampleClock.elapsed() >= 500) {
        const double rate =
            double(done - item->sampleBytes) * 1000.0 / double(item->sampleClock.restart());
        item->bytesPerSec = item->bytesPerSec > 0 ? 0.7 * item->bytesPerSec + 0.3 * rate : rate;
        item->sampleBytes = done;
    }
    changed(rowOf(item));
}

void TransferQueue::onFinished(Item *item, const ApiError &error) {
    if (item->state != State::Running)
        return;
    if (item->transfer) {
        item->transfer->disconnect(this);
        item->transfer->deleteLater();
    }
    item->transfer = nullptr;
    if (!error.isError()) {
        item->state = State::Done;
        if (item->total > 0)
            item->done = item->total;
    } else if (item->state == State::Running) {
        item->state = State::Failed;
        item->error = error.message;
    }
    changed(rowOf(item));
    Q_EMIT transferEnded(item->clusterId, item->key, item->kind == Kind::Upload,
                         item->state == State::Done);
    pump();
    Q_EMIT activeCountChanged(activeCount());
}

void TransferQueue::cancel(int row) {
    if (row < 0 || row >= int(m_items.size()))
        return;
    Item *item = m_items.at(size_t(row)).get();
    if (item->state != State::Queued && item->state != State::Running)
        return;
    item->state = State::Cancelled;
    if (item->transfer) {
        item->transfer->disconnect(this);
        item->transfer->cancel();
        item->transfer->deleteLater();
        item->transfer = nullptr;
    }
    changed(row);
    Q_EMIT transferEnded(item->clusterId, item->key, item->kind == Kind::Upload, false);
    pump();
    Q_EMIT activeCountChanged(activeCount());
}

void TransferQueue::cancelAll() {
    for (int row = 0; row < int(m_items.size()); ++row)
        cancel(row);
}

void TransferQueue::retry(int row) {
    if (row < 0 || row >= int(m_items.size()))
        return;
    Item *item = m_items.at(size_t(row)).get();
    if (item->state != State::Failed && item->state != State::Cancelled)
        return;
    item->state = State::Queued;
    item->error.clear();
    changed(row);
    pump();
    Q_EMIT activeCountChanged(activeCount());
}

void TransferQueue::clearFinished() {
    for (int row = int(m_items.size()) - 1; row >= 0; --row) {
        if (m_items.at(size_t(row))->state == State::Done) {
            beginRemoveRows({}, row, row);
            m_items.erase(m_items.begin() + row);
            endRemoveRows();
        }
    }
}

} // namespace clusterra
