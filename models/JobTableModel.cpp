#include "models/JobTableModel.h"

#include "models/StateColors.h"

#include <QDateTime>
#include <QGuiApplication>
#include <QLocale>

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

bool JobTableModel::hiddenByDefault(int column) {
    return column == SubmitTime || column == StartTime || column == EndTime || column == ExitCode ||
           column == Priority;
}

QVariant JobTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case NodeCount:
            return tr("Nodes the job holds, or asks for while it waits (squeue's NODES)");
        case NodeList:
            return tr("The nodes it runs on; while it waits, why (squeue's NODELIST(REASON))");
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case JobId:
        return tr("Job ID");
    case State:
        return tr("State");
    case Name:
        return tr("Name");
    case User:
        return tr("User");
    case Partition:
        return tr("Partition");
    case NodeCount:
        return tr("Nodes");
    case NodeList:
        return tr("Node List");
    case Cpus:
        return tr("CPUs");
    case Gpus:
        return tr("GPUs");
    case RunTime:
        return tr("Run Time");
    case TimeLimit:
        return tr("Time Limit");
    case Priority:
        return tr("Priority");
    case SubmitTime:
        return tr("Submitted");
    case StartTime:
        return tr("Started");
    case EndTime:
        return tr("Ended");
    case ExitCode:
        return tr("Exit Code");
    case Reason:
        return tr("Reason");
    }
    return {};
}

namespace {
QString formatTime(std::optional<qint64> ms) {
    if (!ms || *ms <= 0)
        return {};
    return QLocale().toString(QDateTime::fromMSecsSinceEpoch(*ms), QLocale::ShortFormat);
}

QString formatExit(const JobInfo &j) {
    if (!isFinished(j.state))
        return {};
    if (j.exitSignal && *j.exitSignal > 0)
        return JobTableModel::tr("signal %1").arg(*j.exitSignal);
    return j.exitCode ? QString::number(*j.exitCode) : QString();
}

bool hasReason(const JobInfo &j) {
    return !j.reason.isEmpty() && j.reason != QLatin1String("None");
}
} // namespace

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
            return stateColor(stateLookOf(j.state), QGuiApplication::palette());
        return {};
    case Qt::DecorationRole:
        if (index.column() == State)
            return stateIcon(stateLookOf(j.state), QGuiApplication::palette());
        return {};
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case JobId:
        case NodeCount:
        case Cpus:
        case Gpus:
        case Priority:
        case RunTime:
        case TimeLimit:
        case ExitCode:
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
            return hasReason(j) ? j.stateName + QStringLiteral(": ") + j.reason : j.stateName;
        return {}; // the view shows a cut cell's whole text
    case SortRole:
        switch (index.column()) {
        case JobId:
            return j.jobId;
        case NodeCount:
            return j.nodeCount;
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
        case SubmitTime:
            return j.submitTimeMs;
        case StartTime:
            return j.startTimeMs.value_or(0);
        case EndTime:
            return j.endTimeMs.value_or(0);
        case ExitCode:
            return j.exitCode.value_or(-1);
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
        case NodeCount:
            return j.nodeCount;
        case NodeList:
            // As squeue writes it: the nodes, or the reason in parentheses while none are held.
            if (!j.nodes.isEmpty())
                return j.nodes;
            return j.state == JobState::Pending && hasReason(j)
                       ? QStringLiteral("(%1)").arg(j.reason)
                       : QString();
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
        case SubmitTime:
            return formatTime(j.submitTimeMs);
        case StartTime:
            return formatTime(j.startTimeMs);
        case EndTime:
            return formatTime(j.endTimeMs);
        case ExitCode:
            return formatExit(j);
        case Reason:
            return hasReason(j) ? j.reason : QString();
        }
        return {};
    default:
        return {};
    }
}

void JobTableModel::addCount(const JobInfo &job, int delta) {
    m_counts[size_t(stateFilterOf(job.state))] += delta;
    if (job.state == JobState::Cancelled)
        m_cancelled += delta;
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
        if (stateLookOf(old.state) != stateLookOf(job.state))
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
    m_cancelled = 0;
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
