#include "core/base/JobState.h"

#include <array>

namespace clusterra {

namespace {
struct StateInfo {
    JobState state;
    const char *name;
    const char *code;
    StateFilter filter;
};
constexpr std::array<StateInfo, 14> kStates{{
    {JobState::Pending, "PENDING", "PD", StateFilter::Pending},
    {JobState::Running, "RUNNING", "R", StateFilter::Running},
    {JobState::Suspended, "SUSPENDED", "S", StateFilter::Running},
    {JobState::Completing, "COMPLETING", "CG", StateFilter::Running},
    {JobState::Completed, "COMPLETED", "CD", StateFilter::Completed},
    {JobState::Cancelled, "CANCELLED", "CA", StateFilter::Failed},
    {JobState::Failed, "FAILED", "F", StateFilter::Failed},
    {JobState::Timeout, "TIMEOUT", "TO", StateFilter::Failed},
    {JobState::NodeFail, "NODE_FAIL", "NF", StateFilter::Failed},
    {JobState::Preempted, "PREEMPTED", "PR", StateFilter::Failed},
    {JobState::BootFail, "BOOT_FAIL", "BF", StateFilter::Failed},
    {JobState::Deadline, "DEADLINE", "DL", StateFilter::Failed},
    {JobState::OutOfMemory, "OUT_OF_MEMORY", "OOM", StateFilter::Failed},
    {JobState::Unknown, "UNKNOWN", "?", StateFilter::Unknown},
}};
constexpr std::array<const char *, 6> kFilterNames{"ALL",       "RUNNING", "PENDING",
                                                   "COMPLETED", "FAILED",  "UNKNOWN"};
} // namespace

QString jobStateName(JobState state) {
    for (const auto &s : kStates) {
        if (s.state == state)
            return QString::fromLatin1(s.name);
    }
    return QStringLiteral("UNKNOWN");
}

JobState jobStateFromName(const QString &name) {
    QString n = name.trimmed().toUpper();
    // "CANCELLED by 0" (sacct) and "PENDING,REQUEUED" style lists keep their base state first.
    n = n.section(QLatin1Char(' '), 0, 0).section(QLatin1Char(','), 0, 0);
    if (n == QLatin1String("CANCELED"))
        n = QStringLiteral("CANCELLED");
    for (const auto &s : kStates) {
        if (n == QLatin1String(s.name) || n == QLatin1String(s.code))
            return s.state;
    }
    return JobState::Unknown;
}

bool isFinished(JobState state) {
    const StateFilter f = stateFilterOf(state);
    return f == StateFilter::Completed || f == StateFilter::Failed;
}

StateFilter stateFilterOf(JobState state) {
    for (const auto &s : kStates) {
        if (s.state == state)
            return s.filter;
    }
    return StateFilter::Unknown;
}

QString stateFilterName(StateFilter filter) {
    return QString::fromLatin1(kFilterNames[size_t(filter)]);
}

StateFilter stateFilterFromName(const QString &name, bool *ok) {
    for (size_t i = 0; i < kFilterNames.size(); ++i) {
        if (name.compare(QLatin1String(kFilterNames[i]), Qt::CaseInsensitive) == 0) {
            if (ok)
                *ok = true;
            return StateFilter(i);
        }
    }
    if (ok)
        *ok = false;
    return StateFilter::All;
}

QList<JobState> statesOf(StateFilter filter) {
    QList<JobState> out;
    for (const auto &s : kStates) {
        if (filter == StateFilter::All || s.filter == filter)
            out.append(s.state);
    }
    return out;
}

} // namespace clusterra
