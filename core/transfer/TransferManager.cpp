#include "core/transfer/TransferManager.h"

#include "core/transfer/FileDownload.h"
#include "core/transfer/FileUpload.h"

#include <QFileInfo>

namespace clusterra {

using State = TransferEntry::State;
using Kind = TransferEntry::Kind;

TransferManager::TransferManager(ApiClient *api, const QString &resumeFile, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_resume(std::make_unique<ResumeStore>(resumeFile)) {}

TransferManager::~TransferManager() {
    // Quitting is not cancelling: an unfinished upload stays resumable from its stored parts.
    // Every transfer goes now, those waiting for deleteLater() included, while the resume
    // store they write to on the way out still exists (QObject would delete them after it).
    for (Transfer *t : findChildren<Transfer *>(Qt::FindDirectChildrenOnly)) {
        t->disconnect(this);
        delete t;
    }
}

int TransferManager::upload(const QString &clusterId, const QString &localPath,
                            const QString &key) {
    TransferEntry e;
    e.kind = Kind::Upload;
    e.clusterId = clusterId;
    e.localPath = localPath;
    e.key = key;
    e.total = QFileInfo(localPath).size();
    return add(std::move(e));
}

int TransferManager::download(const QString &clusterId, const QString &key,
                              const QString &localPath) {
    TransferEntry e;
    e.kind = Kind::Download;
    e.clusterId = clusterId;
    e.localPath = localPath;
    e.key = key;
    return add(std::move(e));
}

int TransferManager::add(TransferEntry entry) {
    const int index = count();
    Q_EMIT aboutToAdd(index);
    auto slot = std::make_unique<Slot>();
    slot->entry = std::move(entry);
    m_entries.push_back(std::move(slot));
    Q_EMIT added(index);
    pump();
    Q_EMIT activeCountChanged(activeCount());
    return index;
}

int TransferManager::activeCount() const {
    int n = 0;
    for (const auto &slot : m_entries)
        n += slot->entry.isActive();
    return n;
}

int TransferManager::indexOf(const Slot *slot) const {
    for (size_t i = 0; i < m_entries.size(); ++i)
        if (m_entries[i].get() == slot)
            return int(i);
    return -1;
}

void TransferManager::pump() {
    int running = 0;
    for (const auto &slot : m_entries)
        running += slot->entry.state == State::Running;
    for (size_t i = 0; i < m_entries.size() && running < m_maxRunning; ++i) {
        if (m_entries[i]->entry.state == State::Queued) {
            begin(m_entries[i].get());
            ++running;
        }
    }
}

void TransferManager::begin(Slot *slot) {
    TransferEntry &e = slot->entry;
    e.state = State::Running;
    e.error.clear();
    e.bytesPerSec = 0;
    slot->sampleBytes = -1;
    Transfer *t = nullptr;
    if (e.kind == Kind::Upload) {
        auto *up = new FileUpload(m_api, e.clusterId, e.localPath, e.key, m_resume.get(), this);
        up->setThreshold(m_threshold);
        t = up;
    } else {
        t = new FileDownload(m_api, e.clusterId, e.key, e.localPath, this);
    }
    slot->transfer = t;
    connect(t, &Transfer::progress, this,
            [this, slot](qint64 done, qint64 total) { onProgress(slot, done, total); });
    connect(t, &Transfer::finished, this,
            [this, slot](const ApiError &error) { onFinished(slot, error); });
    Q_EMIT changed(indexOf(slot));
    t->start();
}

void TransferManager::onProgress(Slot *slot, qint64 done, qint64 total) {
    TransferEntry &e = slot->entry;
    e.done = done;
    if (total >= 0)
        e.total = total;
    // Speed over windows of at least half a second, smoothed, so the figure stays readable.
    if (slot->sampleBytes < 0) {
        slot->sampleBytes = done;
        slot->sampleClock.start();
    } else if (slot->sampleClock.elapsed() >= 500) {
        const double rate =
            double(done - slot->sampleBytes) * 1000.0 / double(slot->sampleClock.restart());
        e.bytesPerSec = e.bytesPerSec > 0 ? 0.7 * e.bytesPerSec + 0.3 * rate : rate;
        slot->sampleBytes = done;
    }
    Q_EMIT changed(indexOf(slot));
}

void TransferManager::onFinished(Slot *slot, const ApiError &error) {
    TransferEntry &e = slot->entry;
    if (e.state != State::Running)
        return;
    if (slot->transfer) {
        slot->transfer->disconnect(this);
        slot->transfer->deleteLater();
    }
    slot->transfer = nullptr;
    if (!error.isError()) {
        e.state = State::Done;
        if (e.total > 0)
            e.done = e.total;
    } else {
        e.state = State::Failed;
        e.error = error.message;
    }
    end(slot, e.state == State::Done);
}

void TransferManager::end(Slot *slot, bool ok) {
    Q_EMIT changed(indexOf(slot));
    Q_EMIT transferEnded(slot->entry.clusterId, slot->entry.key, slot->entry.kind == Kind::Upload,
                         ok);
    pump();
    Q_EMIT activeCountChanged(activeCount());
}

void TransferManager::drop(Slot *slot) {
    if (!slot->transfer)
        return;
    slot->transfer->disconnect(this);
    slot->transfer->cancel();
    slot->transfer->deleteLater();
    slot->transfer = nullptr;
}

void TransferManager::cancel(int index) {
    if (index < 0 || index >= count())
        return;
    Slot *slot = m_entries.at(size_t(index)).get();
    if (!slot->entry.isActive())
        return;
    slot->entry.state = State::Cancelled;
    drop(slot);
    end(slot, false);
}

void TransferManager::cancelAll() {
    for (int i = 0; i < count(); ++i)
        cancel(i);
}

void TransferManager::retry(int index) {
    if (index < 0 || index >= count())
        return;
    Slot *slot = m_entries.at(size_t(index)).get();
    if (slot->entry.state != State::Failed && slot->entry.state != State::Cancelled)
        return;
    slot->entry.state = State::Queued;
    slot->entry.error.clear();
    Q_EMIT changed(index);
    pump();
    Q_EMIT activeCountChanged(activeCount());
}

void TransferManager::removeFinished() {
    for (int i = count() - 1; i >= 0; --i) {
        if (m_entries.at(size_t(i))->entry.state == State::Done) {
            Q_EMIT aboutToRemove(i);
            m_entries.erase(m_entries.begin() + i);
            Q_EMIT removed(i);
        }
    }
}

} // namespace clusterra
