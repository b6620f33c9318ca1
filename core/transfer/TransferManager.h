#pragma once

#include "core/base/ApiError.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <memory>
#include <vector>

namespace clusterra {

class ApiClient;
class ResumeStore;
class Transfer;

// One entry of the manager's list, as a view shows it.
struct TransferEntry {
    enum class Kind { Upload, Download };
    enum class State { Queued, Running, Done, Failed, Cancelled };

    Kind kind = Kind::Upload;
    QString clusterId;
    QString localPath;
    QString key;
    State state = State::Queued;
    qint64 done = 0;
    qint64 total = -1; // unknown until the store says (downloads)
    double bytesPerSec = 0;
    QString error;

    bool isActive() const { return state == State::Queued || state == State::Running; }
};

// Runs the console's uploads and downloads: a few at once, the rest waiting in order; each can
// be cancelled or retried (a retried upload resumes from the parts the store already has; the
// resume file outlives the console). Entries keep their index until removeFinished(); the
// signals name indexes, so a model can present the list row for row.
class TransferManager : public QObject {
    Q_OBJECT
public:
    TransferManager(ApiClient *api, const QString &resumeFile, QObject *parent = nullptr);
    ~TransferManager() override;

    void setMaxRunning(int n) { m_maxRunning = qMax(1, n); }
    void setMultipartThreshold(qint64 bytes) { m_threshold = bytes; }

    int upload(const QString &clusterId, const QString &localPath, const QString &key);
    int download(const QString &clusterId, const QString &key, const QString &localPath);
    void cancel(int index);
    void retry(int index);
    void cancelAll();
    // Forgets the transfers that completed (failed and cancelled ones stay, to be retried).
    void removeFinished();

    int count() const { return int(m_entries.size()); }
    const TransferEntry &at(int index) const { return m_entries.at(size_t(index))->entry; }
    int activeCount() const;

Q_SIGNALS:
    void aboutToAdd(int index);
    void added(int index);
    void changed(int index);
    void aboutToRemove(int index);
    void removed(int index);
    // A transfer ended; `ok` false when it failed or was cancelled.
    void transferEnded(const QString &clusterId, const QString &key, bool uploaded, bool ok);
    void activeCountChanged(int active);

private:
    struct Slot {
        TransferEntry entry;
        qint64 sampleBytes = -1;
        QElapsedTimer sampleClock;
        QPointer<Transfer> transfer;
    };
    int add(TransferEntry entry);
    void pump();
    void begin(Slot *slot);
    void onProgress(Slot *slot, qint64 done, qint64 total);
    void onFinished(Slot *slot, const ApiError &error);
    void end(Slot *slot, bool ok);
    void drop(Slot *slot);
    int indexOf(const Slot *slot) const;

    ApiClient *m_api;
    std::unique_ptr<ResumeStore> m_resume;
    std::vector<std::unique_ptr<Slot>> m_entries;
    int m_maxRunning = 2;
    qint64 m_threshold = 64LL << 20;
};

} // namespace clusterra
