#pragma once

#include "core/base/JobState.h"

#include <QSortFilterProxyModel>

namespace clusterra {

class JobTableModel;

// The state tabs (ALL/RUNNING/PENDING/COMPLETED/FAILED/UNKNOWN) and the search box.
class JobFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit JobFilterProxy(JobTableModel *source, QObject *parent = nullptr);

    void setStateFilter(StateFilter filter);
    StateFilter stateFilter() const { return m_state; }
    void setSearchText(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    void refilter();

    JobTableModel *m_jobs;
    StateFilter m_state = StateFilter::All;
    QString m_search;
};

} // namespace clusterra
