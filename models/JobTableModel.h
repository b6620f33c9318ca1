#pragma once

#include "core/api/Types.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QTimer>
#include <array>

namespace clusterra {

// The jobs of one cluster. Refreshes arrive as upserts: changed rows emit dataChanged, new
// ones are appended in one insert, so selection and scroll survive. Display text and raw
// values are separate roles; the proxy sorts on SortRole.
class JobTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    // In squeue's order where squeue has the column; State right after the id, so a row reads
    // at a glance. The times and the exit code are there for who turns them on.
    enum Column {
        JobId,
        State,
        Name,
        User,
        Partition,
        NodeCount,
        NodeList,
        Cpus,
        Gpus,
        RunTime,
        TimeLimit,
        Priority,
        SubmitTime,
        StartTime,
        EndTime,
        ExitCode,
        Reason,
        ColumnCount
    };
    static bool hiddenByDefault(int column);
    enum Role { SortRole = Qt::UserRole + 1, JobIdRole, StateFilterRole, JobStateRole };

    explicit JobTableModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void upsert(const QList<JobInfo> &jobs);
    void clear();
    const JobInfo &jobAt(int row) const { return m_jobs[row]; }
    int rowOf(qint64 jobId) const { return m_rows.value(jobId, -1); }
    // Jobs a filter tab lists; CANCELLED ones are in FAILED's count and in cancelledCount().
    int count(StateFilter filter) const;
    int cancelledCount() const { return m_cancelled; }
    // The clock for Run Time; a timer advances it every second while jobs run.
    void setNow(qint64 nowMs);

Q_SIGNALS:
    void countsChanged();

private:
    void tick();
    void addCount(const JobInfo &job, int delta);

    QList<JobInfo> m_jobs;
    QHash<qint64, int> m_rows;
    std::array<int, 6> m_counts{};
    int m_cancelled = 0;
    qint64 m_nowMs = 0;
    QTimer m_ticker;
};

} // namespace clusterra
