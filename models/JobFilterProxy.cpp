#include "models/JobFilterProxy.h"

#include "models/JobTableModel.h"

namespace clusterra {

JobFilterProxy::JobFilterProxy(JobTableModel *source, QObject *parent)
    : QSortFilterProxyModel(parent)
    , m_jobs(source) {
    setSourceModel(source);
    setSortRole(JobTableModel::SortRole);
    setDynamicSortFilter(true);
}

void JobFilterProxy::setStateFilter(StateFilter filter) {
    if (m_state == filter)
        return;
    m_state = filter;
    refilter();
}

void JobFilterProxy::setSearchText(const QString &text) {
    const QString trimmed = text.trimmed();
    if (m_search == trimmed)
        return;
    m_search = trimmed;
    refilter();
}

void JobFilterProxy::refilter() {
    // invalidateFilter() removes rows range by range; with interleaved states that is tens of
    // thousands of ranges and quadratic work at 100k jobs. One layout change is linear.
    invalidate();
}

bool JobFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &) const {
    const JobInfo &j = m_jobs->jobAt(sourceRow);
    if (m_state != StateFilter::All && stateFilterOf(j.state) != m_state)
        return false;
    if (m_search.isEmpty())
        return true;
    const auto has = [this](const QString &s) {
        return s.contains(m_search, Qt::CaseInsensitive);
    };
    // The id as shown, so "42_" finds every task of array 42 on either scheduler.
    return has(formatJobId(j)) || has(j.name) || has(j.user) || has(j.partition) || has(j.reason) ||
           has(j.nodes) || has(j.stateName);
}

} // namespace clusterra
