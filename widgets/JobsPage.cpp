#include "widgets/JobsPage.h"

#include "models/JobFilterProxy.h"
#include "models/JobTableModel.h"
#include "models/StateColors.h"
#include "widgets/FullTextDelegate.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QStackedWidget>
#include <QTabBar>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

namespace clusterra {

namespace {
constexpr std::array<StateFilter, 6> kTabs{StateFilter::All,     StateFilter::Running,
                                           StateFilter::Pending, StateFilter::Completed,
                                           StateFilter::Failed,  StateFilter::Unknown};

// The counters above the tabs: one per look, so a cancel is not counted as a failure.
struct Counter {
    StateLook look;
    StateFilter tab; // where a click goes
    const char16_t *objectName;
};
constexpr std::array<Counter, 6> kCounters{{
    {StateLook::Running, StateFilter::Running, u"RUNNING"},
    {StateLook::Pending, StateFilter::Pending, u"PENDING"},
    {StateLook::Completed, StateFilter::Completed, u"COMPLETED"},
    {StateLook::Failed, StateFilter::Failed, u"FAILED"},
    {StateLook::Cancelled, StateFilter::Failed, u"CANCELLED"},
    {StateLook::Unknown, StateFilter::Unknown, u"UNKNOWN"},
}};
} // namespace

JobsPage::JobsPage(JobTableModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_proxy(new JobFilterProxy(model, this)) {
    auto *layout = new QVBoxLayout(this);

    auto *counters = new QHBoxLayout;
    for (size_t i = 0; i < kCounters.size(); ++i) {
        auto *b = new QToolButton(this);
        b->setObjectName(QStringLiteral("counter") + kCounters[i].objectName);
        b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        b->setAutoRaise(true);
        b->setToolTip(
            kCounters[i].look == StateLook::Cancelled
                ? tr("Show the Failed tab, which lists cancelled jobs too")
                : tr("Show only %1 jobs").arg(stateFilterName(kCounters[i].tab).toLower()));
        QFont f = b->font();
        f.setPointSizeF(f.pointSizeF() * 1.15);
        b->setFont(f);
        const StateFilter filter = kCounters[i].tab;
        connect(b, &QToolButton::clicked, this, [this, filter] { setStateFilter(filter); });
        counters->addWidget(b);
        m_counters[i] = b;
    }
    counters->addStretch();
    auto *submit = new QPushButton(tr("New job…"), this);
    submit->setObjectName(QStringLiteral("newJobButton"));
    submit->setToolTip(tr("Submit a job (Ctrl+N)"));
    connect(submit, &QPushButton::clicked, this, &JobsPage::submitRequested);
    counters->addWidget(submit);
    layout->addLayout(counters);

    auto *bar = new QHBoxLayout;
    m_tabs = new QTabBar(this);
    m_tabs->setObjectName(QStringLiteral("stateTabs"));
    m_tabs->setAccessibleName(tr("Job state filter"));
    for (StateFilter f : kTabs)
        m_tabs->addTab(stateFilterName(f));
    connect(m_tabs, &QTabBar::currentChanged, this, [this](int i) {
        m_proxy->setStateFilter(kTabs[size_t(i)]);
        updateEmptyState();
    });
    bar->addWidget(m_tabs);
    bar->addStretch();
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("jobSearch"));
    m_search->setPlaceholderText(tr("Search jobs (id, name, user, partition, reason)"));
    m_search->setAccessibleName(tr("Search jobs"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(280);
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &t) {
        m_proxy->setSearchText(t);
        updateEmptyState();
    });
    bar->addWidget(m_search);
    layout->addLayout(bar);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("jobTable"));
    m_table->setAccessibleName(tr("Jobs"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(JobTableModel::JobId, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setItemDelegate(new FullTextDelegate(m_table));
    // Job ID fits an array task as squeue writes it, "1234 (1230_17)".
    const std::array<int, JobTableModel::ColumnCount> widths{
        120, 120, 170, 170, 90, 55, 110, 50, 50, 80, 90, 60, 130, 130, 130, 70, 120};
    for (int c = 0; c < JobTableModel::ColumnCount; ++c) {
        m_table->setColumnWidth(c,
                                widths[size_t(c)] * m_table->fontMetrics().averageCharWidth() / 7);
        m_table->setColumnHidden(c, JobTableModel::hiddenByDefault(c));
    }
    m_table->horizontalHeader()->setSectionsMovable(true);
    m_table->horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table, &QTableView::customContextMenuRequested, this, &JobsPage::showContextMenu);
    connect(m_table->horizontalHeader(), &QHeaderView::customContextMenuRequested, this,
            &JobsPage::showColumnMenu);
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex &) {
        if (const auto job = currentJob())
            Q_EMIT detailsRequested(*job);
    });
    layout->addWidget(makeSelectionBar());
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &JobsPage::updateSelectionActions);
    // A row's state can change under the selection (a job ends); a refresh changes many rows
    // and Run Time ticks every second, so those are gathered into one update. A reset (another
    // cluster) empties the selection without a selectionChanged.
    m_selectionRefresh.setSingleShot(true);
    m_selectionRefresh.setInterval(0);
    connect(&m_selectionRefresh, &QTimer::timeout, this, &JobsPage::updateSelectionActions);
    const auto later = [this] {
        m_selectionRefresh.start();
    };
    connect(m_proxy, &QAbstractItemModel::dataChanged, this, later);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, later);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, later);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, later);

    m_emptyLabel = new QLabel(this);
    m_emptyLabel->setObjectName(QStringLiteral("jobsEmptyState"));
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setTextFormat(Qt::RichText);
    connect(m_emptyLabel, &QLabel::linkActivated, this, [this] { Q_EMIT submitRequested(); });
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_table);
    m_stack->addWidget(m_emptyLabel);
    layout->addWidget(m_stack, 1);

    connect(m_model, &JobTableModel::countsChanged, this, &JobsPage::updateCounts);
    connect(m_model, &QAbstractItemModel::modelReset, this, &JobsPage::updateEmptyState);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &JobsPage::updateEmptyState);
    updateCounts();
}

void JobsPage::setStateFilter(StateFilter filter) {
    m_tabs->setCurrentIndex(int(std::find(kTabs.begin(), kTabs.end(), filter) - kTabs.begin()));
}

void JobsPage::focusSearch() {
    m_search->setFocus();
    m_search->selectAll();
}

void JobsPage::updateCounts() {
    for (size_t i = 0; i < kCounters.size(); ++i) {
        const Counter &c = kCounters[i];
        int n = 0;
        QString label;
        switch (c.look) {
        case StateLook::Running:
            n = m_model->count(StateFilter::Running);
            label = tr("Running");
            break;
        case StateLook::Pending:
            n = m_model->count(StateFilter::Pending);
            label = tr("Pending");
            break;
        case StateLook::Completed:
            n = m_model->count(StateFilter::Completed);
            label = tr("Completed");
            break;
        case StateLook::Failed:
            n = m_model->count(StateFilter::Failed) - m_model->cancelledCount();
            label = tr("Failed");
            break;
        case StateLook::Cancelled:
            n = m_model->cancelledCount();
            label = tr("Cancelled");
            break;
        case StateLook::Unknown:
            n = m_model->count(StateFilter::Unknown);
            label = tr("Unknown");
            break;
        }
        m_counters[i]->setText(QStringLiteral("%1\n%2").arg(n).arg(label));
        m_counters[i]->setAccessibleName(QStringLiteral("%1 %2").arg(n).arg(label));
        QPalette p = m_counters[i]->palette();
        p.setColor(QPalette::ButtonText, stateColor(c.look, palette()));
        m_counters[i]->setPalette(p);
        m_counters[i]->setIcon(stateIcon(c.look, palette()));
        // Nothing to show: the counter steps back, so the ones that count stand out.
        m_counters[i]->setVisible(n > 0 || c.look != StateLook::Unknown);
    }
    for (int i = 0; i < m_tabs->count(); ++i)
        m_tabs->setTabText(i, QStringLiteral("%1 (%2)")
                                  .arg(stateFilterName(kTabs[size_t(i)]))
                                  .arg(m_model->count(kTabs[size_t(i)])));
    updateEmptyState();
}

void JobsPage::updateEmptyState() {
    const bool empty = m_proxy->rowCount() == 0;
    if (empty) {
        if (!m_haveCluster)
            // Neutral on purpose: only administrators may create clusters, and the list on
            // the left already says who can.
            m_emptyLabel->setText(tr("<p style='font-size:large'>No cluster selected</p><p>Pick "
                                     "a cluster in the list on the left to see and submit "
                                     "its jobs.</p>"));
        else
            m_emptyLabel->setText(
                m_model->rowCount() == 0
                    ? tr("<p style='font-size:large'>No jobs yet</p><p><a "
                         "href='#submit'>Submit one</a> "
                         "or press Ctrl+N.</p>")
                    : tr("<p style='font-size:large'>No jobs match</p><p>Try another "
                         "state tab or clear the "
                         "search.</p>"));
    }
    m_stack->setCurrentWidget(empty ? static_cast<QWidget *>(m_emptyLabel) : m_table);
}

void JobsPage::setClusterAvailable(bool available) {
    m_haveCluster = available;
    updateEmptyState();
}

// What can be done to the selection, on buttons above the table, in the context menu and on
// the keyboard (Enter: details, Delete: cancel, Ctrl+C: copy the ids).
QWidget *JobsPage::makeSelectionBar() {
    auto *bar = new QWidget(this);
    bar->setObjectName(QStringLiteral("jobSelectionBar"));
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    m_selectionLabel = new QLabel(bar);
    m_selectionLabel->setObjectName(QStringLiteral("selectionCount"));
    row->addWidget(m_selectionLabel);
    row->addStretch();
    const auto add = [&](const QString &text, const QString &name, const QKeySequence &key) {
        auto *a = new QAction(text, this);
        a->setObjectName(name);
        if (!key.isEmpty()) {
            a->setShortcut(key);
            a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
            m_table->addAction(a);
        }
        auto *b = new QToolButton(bar);
        b->setDefaultAction(a);
        b->setAutoRaise(true);
        row->addWidget(b);
        return a;
    };
    m_logAction = add(tr("View log"), QStringLiteral("viewLogAction"), {});
    m_detailsAction =
        add(tr("Details…"), QStringLiteral("detailsAction"), QKeySequence(Qt::Key_Return));
    m_detailsAction->setShortcuts({QKeySequence(Qt::Key_Return), QKeySequence(Qt::Key_Enter)});
    m_cancelAction = add(tr("Cancel…"), QStringLiteral("cancelAction"), QKeySequence::Delete);
    m_duplicateAction = add(tr("Duplicate…"), QStringLiteral("duplicateAction"), {});
    m_copyAction = add(tr("Copy IDs"), QStringLiteral("copyIdsAction"), QKeySequence::Copy);
    connect(m_logAction, &QAction::triggered, this, [this] {
        if (const auto jobs = selectedJobs(); jobs.size() == 1)
            Q_EMIT viewLogRequested(jobs.first());
    });
    connect(m_detailsAction, &QAction::triggered, this, [this] {
        if (const auto jobs = selectedJobs(); jobs.size() == 1)
            Q_EMIT detailsRequested(jobs.first());
    });
    connect(m_cancelAction, &QAction::triggered, this, [this] {
        QList<JobInfo> active;
        for (const JobInfo &j : selectedJobs())
            if (!isFinished(j.state))
                active.append(j);
        if (!active.isEmpty())
            Q_EMIT cancelRequested(active);
    });
    connect(m_duplicateAction, &QAction::triggered, this, [this] {
        if (const auto jobs = selectedJobs(); jobs.size() == 1)
            Q_EMIT duplicateRequested(jobs.first());
    });
    connect(m_copyAction, &QAction::triggered, this, [this] {
        QStringList ids;
        for (const JobInfo &j : selectedJobs())
            ids << QString::number(j.jobId);
        if (!ids.isEmpty())
            QApplication::clipboard()->setText(ids.join(QLatin1Char(' ')));
    });
    updateSelectionActions();
    return bar;
}

void JobsPage::updateSelectionActions() {
    if (!m_selectionLabel)
        return;
    const QList<JobInfo> jobs = selectedJobs();
    const qsizetype n = jobs.size();
    const qsizetype active = std::count_if(jobs.begin(), jobs.end(),
                                           [](const JobInfo &j) { return !isFinished(j.state); });
    m_selectionLabel->setText(n == 0   ? tr("No job selected")
                              : n == 1 ? tr("Job %1 selected").arg(jobs.first().jobId)
                                       : tr("%n jobs selected", nullptr, int(n)));
    const QString pickOne =
        n == 0 ? tr("Select a job in the table first") : tr("Select only one job for this");
    for (QAction *a : {m_logAction, m_detailsAction, m_duplicateAction})
        a->setEnabled(n == 1);
    m_logAction->setToolTip(n == 1 ? tr("Follow this job's output on the Logs tab") : pickOne);
    m_detailsAction->setToolTip(n == 1 ? tr("The job's script, resources and times (Enter)")
                                       : pickOne);
    m_duplicateAction->setToolTip(n == 1 ? tr("Submit a copy of this job, to edit first")
                                         : pickOne);
    m_cancelAction->setEnabled(active > 0);
    m_cancelAction->setToolTip(n == 0        ? tr("Select the jobs to cancel first")
                               : active == 0 ? tr("The selected jobs have ended already")
                                             : tr("Cancel the selected jobs that have not ended "
                                                  "(Delete); you are asked first"));
    m_copyAction->setEnabled(n > 0);
    m_copyAction->setToolTip(n > 0 ? tr("Copy the job IDs to the clipboard (Ctrl+C)")
                                   : tr("Select a job in the table first"));
}

QList<JobInfo> JobsPage::selectedJobs() const {
    QList<JobInfo> out;
    if (!m_table->selectionModel())
        return out;
    QModelIndexList rows = m_table->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(),
              [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    for (const QModelIndex &idx : std::as_const(rows)) {
        const int row = m_model->rowOf(idx.data(JobTableModel::JobIdRole).toLongLong());
        if (row >= 0)
            out.append(m_model->jobAt(row));
    }
    return out;
}

std::optional<JobInfo> JobsPage::currentJob() const {
    const QModelIndex idx = m_table->currentIndex();
    if (!idx.isValid())
        return std::nullopt;
    const int row = m_model->rowOf(idx.data(JobTableModel::JobIdRole).toLongLong());
    return row < 0 ? std::nullopt : std::optional<JobInfo>(m_model->jobAt(row));
}

void JobsPage::selectJob(qint64 jobId) {
    const int row = m_model->rowOf(jobId);
    if (row < 0)
        return;
    const QModelIndex idx = m_proxy->mapFromSource(m_model->index(row, 0));
    if (idx.isValid()) {
        m_table->setCurrentIndex(idx);
        m_table->scrollTo(idx);
    }
}

void JobsPage::showContextMenu(const QPoint &pos) {
    const QModelIndex idx = m_table->indexAt(pos);
    if (!idx.isValid())
        return;
    // A right-click on a row outside the selection selects that row alone, as file managers do.
    if (!m_table->selectionModel()->isRowSelected(idx.row(), idx.parent()))
        m_table->selectRow(idx.row());
    updateSelectionActions();
    QMenu menu(this);
    menu.setObjectName(QStringLiteral("jobContextMenu"));
    menu.addAction(m_logAction);
    menu.addAction(m_detailsAction);
    menu.addAction(m_cancelAction);
    menu.addAction(m_duplicateAction);
    menu.addSeparator();
    menu.addAction(m_copyAction);
    menu.exec(m_table->viewport()->mapToGlobal(pos));
}

void JobsPage::showColumnMenu(const QPoint &pos) {
    QMenu menu(this);
    QHeaderView *header = m_table->horizontalHeader();
    for (int c = 0; c < m_model->columnCount(); ++c) {
        QAction *a = menu.addAction(m_model->headerData(c, Qt::Horizontal).toString());
        a->setCheckable(true);
        a->setChecked(!header->isSectionHidden(c));
        a->setEnabled(c != JobTableModel::JobId);
        connect(a, &QAction::toggled, header,
                [header, c](bool on) { header->setSectionHidden(c, !on); });
    }
    menu.exec(header->mapToGlobal(pos));
}

} // namespace clusterra
