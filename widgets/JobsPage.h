#pragma once

#include "core/api/Types.h"

#include <QTimer>
#include <QWidget>
#include <array>

class QAction;
class QLabel;
class QLineEdit;
class QStackedWidget;
class QTabBar;
class QTableView;
class QToolButton;

namespace clusterra {

class JobFilterProxy;
class JobTableModel;

// Seed 004's jobs tab: clickable counters per state, filter tabs, a search box and the table.
// Actions on a job leave as signals; the window talks to the server.
class JobsPage : public QWidget {
    Q_OBJECT
public:
    explicit JobsPage(JobTableModel *model, QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }
    JobFilterProxy *proxy() const { return m_proxy; }
    void setStateFilter(StateFilter filter);
    // The job with the keyboard focus, if any.
    std::optional<JobInfo> currentJob() const;
    // Every selected job, in the table's order.
    QList<JobInfo> selectedJobs() const;
    void selectJob(qint64 jobId);
    void focusSearch();
    // Without a cluster there is nothing to submit to: the empty state says so.
    void setClusterAvailable(bool available);

Q_SIGNALS:
    void viewLogRequested(const clusterra::JobInfo &job);
    void detailsRequested(const clusterra::JobInfo &job);
    void cancelRequested(const QList<clusterra::JobInfo> &jobs);
    void duplicateRequested(const clusterra::JobInfo &job);
    void submitRequested();

private:
    void updateCounts();
    void updateEmptyState();
    void showContextMenu(const QPoint &pos);
    void showColumnMenu(const QPoint &pos);
    void updateSelectionActions();
    QWidget *makeSelectionBar();

    JobTableModel *m_model;
    JobFilterProxy *m_proxy;
    QTableView *m_table;
    QTabBar *m_tabs;
    QLineEdit *m_search;
    QStackedWidget *m_stack;
    QLabel *m_emptyLabel;
    QLabel *m_selectionLabel = nullptr;
    QAction *m_logAction = nullptr;
    QAction *m_detailsAction = nullptr;
    QAction *m_cancelAction = nullptr;
    QAction *m_duplicateAction = nullptr;
    QAction *m_copyAction = nullptr;
    std::array<QToolButton *, 6> m_counters{};
    bool m_haveCluster = false;
    QTimer m_selectionRefresh;
};

} // namespace clusterra
