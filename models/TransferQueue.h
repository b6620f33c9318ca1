#pragma once

#include "core/transfer/TransferManager.h"

#include <QAbstractTableModel>

namespace clusterra {

// The console's uploads and downloads as a table, row for row the TransferManager's list: each
// row shows progress, speed and time left, and can be cancelled or retried.
class TransferQueue : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, Direction, Progress, Speed, TimeLeft, Status, ColumnCount };
    enum Role { ProgressRole = Qt::UserRole + 1, StateRole, CanCancelRole, CanRetryRole };
    using State = TransferEntry::State;

    explicit TransferQueue(TransferManager *manager, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    TransferManager *manager() const { return m_manager; }
    void cancel(int row) { m_manager->cancel(row); }
    void retry(int row) { m_manager->retry(row); }
    void clearFinished() { m_manager->removeFinished(); }
    State state(int row) const { return m_manager->at(row).state; }
    QString errorText(int row) const { return m_manager->at(row).error; }
    int activeCount() const { return m_manager->activeCount(); }

private:
    TransferManager *m_manager;
};

} // namespace clusterra
