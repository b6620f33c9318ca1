#include "models/JobTableModel.h"

#include "models/StateColors.h"

#include <QDateTime>
#include <QGuiApplication>

namespace clusterra {

JobTableModel::JobTableModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_nowMs(QDateTime::currentMSecsSinceEpoch()) {
    m_ticker.setInterval(1000);
    connect(&m_ticker, &QTimer::timeout, this, &JobTableModel::tick);
    m_ticker.start();
}

int JobTableModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_jobs.size());
}

int JobTableModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant JobTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case JobId:
        return tr("Job ID");
    case Name:
        return tr("Name");
    case User:
        return tr("User");
    case Partition:
        return tr("Partition");
    case Nodes:
        return tr("Nodes");
    case Cpus:
        return tr("CPUs");
    case Gpus:
        return tr("GPUs");
    case RunTime:
        return tr("Run Time");
    case TimeLimit:
        return tr("Time Limit");
    case State:
        return tr("State");
    case Priority:
        return tr("Priority");
    case Reason:
        return tr("Reason");
    }
    return {};
}

QVariant JobTableModel::data(const QModelIndex &index, int role) const {
    if (!index.isValid() || index.row() >= m_jobs.size())
        return {};
    const JobInfo &j = m_jobs[index.row()];
    switch (role) {
    case JobIdRole:
        return j.jobId;
    case StateFilterRole:
        return int(stateFilterOf(j.state));
    case JobStateRole:
        return int(j.state);
    case Qt::ForegroundRole:
        if (index.column() == State)
            return stateColor(stateFilterOf(j.state), QGuiApplication::palette());
        return {};
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case JobId:
        case Cpus:
        case Gpus:
        case Priority:
        case RunTime:
        case TimeLimit:
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (index.column() == User && j.submittedOutside)
            return j.user == j.slurmUser
                       ? tr("Submitted outside Clusterra (sbatch, srun or salloc) by Slurm user "
                            "%1, who is nobody here: only administrators act on it.")
                             .arg(j.slurmUser)
                       : tr("Submitted outside Clusterra (sbatch, srun or salloc) by Slurm user "
                            "%1, who is %2 here.")
                             .arg(j.slurmUser, j.user);
        if (index.column() == JobId && j.arrayJobId) {
            if (j.arrayTaskId)
                return tr("Task %1 of array job %2").arg(*j.arrayTaskId).arg(*j.arrayJobId);
            if (!j.arrayTaskString.isEmpty())
                return tr("Array job %1: tasks %2 not started yet")
                    .arg(*j.arrayJobId)
                    .arg(j.arrayTaskString);
        }
        if (index.column() == State || index.column() == Reason)
            return j.reason.isEmpty() || j.reason == QLatin1String("None")
                       ? j.stateName
                       : j.stateName + QStringLiteral(": ") + j.reason;
        return {};
    case SortRole:
        switch (index.column()) {
        case JobId:
            return j.jobId;
        case Cpus:
            return j.cpus;
        case Gpus:
            return j.gpus;
        case RunTime:
            return j.runSeconds(m_nowMs);
        case TimeLimit:
            return j.timeLimitMinutes.value_or(std::numeric_limits<qint64>::max());
        case Priority:
            return j.priority;
        case State:
            return int(j.state);
        default:
            return data(index, Qt::DisplayRole);
        }
    case Qt::DisplayRole:
        switch (index.column()) {
        case JobId:
            return formatJobId(j);
        case Name:
            return j.name;
        case User:
            return j.submittedOutside ? tr("%1 (outside)").arg(j.user) : j.user;
        case Partition:
            return j.partition;
        case Nodes:
            return j.nodes.isEmpty() ? QString::number(j.nodeCount) : j.nodes;
        case Cpus:
            return j.cpus;
        case Gpus:
            return j.gpus;
        case RunTime:
            return formatDuration(j.runSeconds(m_nowMs));
        case TimeLimit:
            return formatTimeLimit(j.timeLimitMinutes);
        case State:
            return j.stateName;
        case Priority:
            return j.priority;
        case Reason:
            return j.reason == QLatin1String("None") ? QString() : j.reason;
        }
        return {};
    default:
        return {};
    }
}

void JobTableModel::addCount(const JobInfo &job, int delta) {
    m_counts[size_t(stateFilterOf(job.state))] += delta;
    m_counts[size_t(StateFilter::All)] += delta;
}

int JobTableModel::count(StateFilter filter) const {
    return m_counts[size_t(filter)];
}

void JobTableModel::upsert(const QList<JobInfo> &jobs) {
    QList<JobInfo> fresh;
    QHash<qint64, qsizetype> freshRows;
    bool countsMoved = false;
    for (const JobInfo &job : jobs) {
        const int row = m_rows.value(job.jobId, -1);
        if (row < 0) {
            // A job seen twice in one batch (paging) must not become two rows.
            const auto dup = freshRows.constFind(job.jobId);
            if (dup != freshRows.constEnd()) {
                fresh[*dup] = job;
            } else {
                freshRows.insert(job.jobId, fresh.size());
                fresh.append(job);
            }
            continue;
        }
        JobInfo &old = m_jobs[row];
        if (old.sameRow(job))
            continue;
        if (stateFilterOf(old.state) != stateFilterOf(job.state))
            countsMoved = true;
        addCount(old, -1);
        addCount(job, +1);
        old = job;
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
    if (!fresh.isEmpty()) {
        const int first = int(m_jobs.size());
        beginInsertRows({}, first, first + int(fresh.size()) - 1);
        m_jobs.reserve(m_jobs.size() + fresh.size());
        for (const JobInfo &job : std::as_const(fresh)) {
            m_rows.insert(job.jobId, int(m_jobs.size()));
            addCount(job, +1);
            m_jobs.append(job);
        }
        endInsertRows();
        countsMoved = true;
    }
    if (countsMoved)
        Q_EMIT countsChanged();
}

void JobTableModel::clear() {
    if (m_jobs.isEmpty())
        return;
    beginResetModel(); // only when switching clusters: a different table altogether
    m_jobs.clear();
    m_rows.clear();
    m_counts = {};
    endResetModel();
    Q_EMIT countsChanged();
}

void JobTableModel::setNow(qint64 nowMs) {
    m_nowMs = nowMs;
    tick();
}

void JobTableModel::tick() {
    if (!m_ticker.isActive() || m_jobs.isEmpty())
        return;
    if (sender() == &m_ticker)
        m_nowMs = QDateTime::currentMSecsSinceEpoch();
    // One dataChanged over the span of running rows, for the Run Time column only.
    int first = -1, last = -1;
    for (int row = 0; row < m_jobs.size(); ++row) {
        if (m_jobs[row].state == JobState::Running) {
            if (first < 0)
                first = row;
            last = row;
        }
    }
    if (first >= 0)
        Q_EMIT dataChanged(index(first, RunTime), index(last, RunTime),
                           {Qt::DisplayRole, SortRole});
}

} // namespace clusterra
