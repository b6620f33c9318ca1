#pragma once

#include "base/ApiError.h"

#include <QAbstractTableModel>
#include <QElapsedTimer>
#include <QPointer>
#include <memory>

namespace clusterra {

class ApiClient;
class ResumeStore;
class Transfer;

// The console's uploads and downloads as a table: a few run at once, the rest wait; each row
// shows progress, speed and time left, and can be cancelled or retried. A retried upload
// resumes from the parts the store already has (the resume file outlives the console).
class TransferQueue : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, Direction, Progress, Speed, TimeLeft, Status, ColumnCount };
    enum Role { ProgressRole = Qt::UserRole + 1, StateRole, CanCancelRole, CanRetryRole };
    enum class Kind { Upload, Download };
    enum class State { Queued, Running, Done, Failed, Cancelled };
    Q_ENUM(State)

    TransferQueue(ApiClient *api, const QString &resumeFile, QObject *parent = nullptr);
    ~TransferQueue() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void setMaxRunning(int n) { m_maxRunning = qMax(1, n); }
    void setMultipartThreshold(qint64 bytes) { m_threshold = bytes; }
    int upload(const QString &clusterId, const QString &localPath, const QString &key);
    int download(const QString &clusterId, const QString &key, const QString &localPath);
    void cancel(int row);
    void retry(int row);
    void cancelAll();
    void clearFinished();
    State state(int row) const;
    QString errorText(int row) const;
    int activeCount() const;

Q_SIGNALS:
    // A transfer ended; `ok` false when it failed or was cancelled.
    void transferEnded(const QString &clusterId, const QString &key, bool uploaded, bool ok);
    void activeCountChanged(int active);

private:
    struct Item;
    int add(std::unique_ptr<Item> item);
    void pump();
    void begin(int row);
    void onProgress(Item *item, qint64 done, qint64 total);
    void onFinished(Item *item, const ApiError &error);
    int rowOf(const Item *item) const;
    void changed(int row);

    ApiClient *m_api;
    std::unique_ptr<ResumeStore> m_resume;
    std::vector<std::unique_ptr<Item>> m_items;
    int m_maxRunning = 2;
    qint64 m_threshold = 64LL << 20;
};

} // namespace clusterra
