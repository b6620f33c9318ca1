#include "widgets/MainWindow.h"

#include "session/Settings.h"

#include "core/api/Drafts.h"
#include "core/client/ApiClient.h"
#include "core/client/ClusterCalls.h"
#include "core/client/JobCalls.h"
#include "core/transfer/TransferManager.h"
#include "models/ClusterListModel.h"
#include "models/ClusterSync.h"
#include "models/EventFeed.h"
#include "models/EventListModel.h"
#include "models/JobSync.h"
#include "models/JobTableModel.h"
#include "models/StateColors.h"
#include "models/TransferQueue.h"
#include "widgets/ClusterActions.h"
#include "widgets/ClusterWizard.h"
#include "widgets/Confirm.h"
#include "widgets/EventsPanel.h"
#include "widgets/FilesPage.h"
#include "widgets/HelpMenu.h"
#include "widgets/JobCanceller.h"
#include "widgets/JobDetailsDialog.h"
#include "widgets/JobsPage.h"
#include "widgets/LogPanel.h"
#include "widgets/OverviewPage.h"
#include "widgets/SessionBanner.h"
#include "widgets/SubmitDialog.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QGuiApplication>
#include <QHeaderView>
#include <QLabel>
#include <QListView>
#include <QMenuBar>
#include <QMessageBox>
#include <QPainter>
#include <QScreen>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyledItemDelegate>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>
#include <utility>

namespace clusterra {

namespace {
// Sidebar rows: a state dot, the name, and a quieter second line with state and job counts.
class ClusterDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const override {
        return {200, option.fontMetrics.height() * 2 + 14};
    }
    void paint(QPainter *p, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        opt.text.clear();
        opt.icon = QIcon();
        QApplication::style()->drawControl(QStyle::CE_ItemViewItem, &opt, p);
        const QRect r = option.rect.adjusted(10, 5, -6, -5);
        const bool selected = option.state & QStyle::State_Selected;
        const QPalette &pal = option.palette;
        p->save();
        p->setRenderHint(QPainter::Antialiasing);
        p->setBrush(index.data(Qt::DecorationRole).value<QColor>());
        p->setPen(Qt::NoPen);
        const int dot = option.fontMetrics.height() / 2;
        p->drawEllipse(QRect(r.left(), r.top() + dot / 2 + 2, dot, dot));
        p->setPen(pal.color(selected ? QPalette::HighlightedText : QPalette::Text));
        QFont bold = option.font;
        bold.setBold(true);
        p->setFont(bold);
        const QRect text = r.adjusted(dot + 8, 0, 0, 0);
        p->drawText(text, Qt::AlignTop | Qt::AlignLeft, index.data().toString());
        p->setFont(option.font);
        p->setPen(pal.color(selected ? QPalette::HighlightedText : QPalette::PlaceholderText));
        p->drawText(text, Qt::AlignBottom | Qt::AlignLeft,
                    index.data(ClusterListModel::SubtitleRole).toString());
        p->restore();
    }
};
} // namespace

MainWindow::MainWindow(ApiClient *api, QWidget *parent)
    : QMainWindow(parent)
    , m_api(api)
    , m_clusters(new ClusterListModel(this))
    , m_jobs(new JobTableModel(this))
    , m_events(new EventListModel(5000, this))
    , m_clusterSync(new ClusterSync(api, m_clusters, this))
    , m_jobSync(new JobSync(api, m_jobs, this))
    , m_eventFeed(new EventFeed(api, m_events, this)) {
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Clusterra Console"));
    // A first launch fits the screen it opens on (a remembered geometry replaces this).
    QSize size(1280, 800);
    if (const QScreen *screen = QGuiApplication::primaryScreen())
        size = size.boundedTo(screen->availableSize() * 0.95);
    resize(size);

    m_splitter = new QSplitter(this);
    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    auto *side = new QWidget(m_splitter);
    auto *sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(6, 6, 0, 6);
    auto *sideTitle = new QLabel(tr("<b>Clusters</b>"), side);
    sideLayout->addWidget(sideTitle);
    auto *sideStack = new QStackedWidget(side);
    m_clusterList = new QListView(sideStack);
    m_clusterList->setObjectName(QStringLiteral("clusterList"));
    m_clusterList->setAccessibleName(tr("Clusters"));
    m_clusterList->setModel(m_clusters);
    m_clusterList->setItemDelegate(new ClusterDelegate(m_clusterList));
    m_clusterList->setSelectionMode(QAbstractItemView::SingleSelection);
    m_emptyClusters =
        new QLabel(tr("No clusters yet.<br/><a href='#new'>Create one</a>"), sideStack);
    m_emptyClusters->setObjectName(QStringLiteral("clustersEmptyState"));
    m_emptyClusters->setAlignment(Qt::AlignCenter);
    connect(m_emptyClusters, &QLabel::linkActivated, this, [this] { openClusterWizard(); });
    sideStack->addWidget(m_clusterList);
    sideStack->addWidget(m_emptyClusters);
    sideLayout->addWidget(sideStack, 1);
    m_splitter->addWidget(side);

    m_tabs = new QTabWidget(m_splitter);
    m_tabs->setObjectName(QStringLiteral("clusterTabs"));
    m_overview = new OverviewPage(m_tabs);
    m_jobsPage = new JobsPage(m_jobs, m_tabs);
    m_logPanel = new LogPanel(api, m_tabs);
    m_eventsPanel = new EventsPanel(m_events, m_tabs);
    m_tabs->addTab(m_overview, tr("Overview"));
    m_tabs->addTab(m_jobsPage, tr("Jobs"));
    m_tabs->addTab(m_logPanel, tr("Logs"));
    m_tabs->addTab(m_eventsPanel, tr("Events"));
    auto *transferManager =
        new TransferManager(api,
                            QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                                QStringLiteral("/upload-resume.json"),
                            this);
    m_transfers = new TransferQueue(transferManager, this);
    m_filesPage = new FilesPage(api, m_transfers, m_tabs);
    m_tabs->addTab(m_filesPage, tr("Files"));
    // Pages are named for screen readers, and for the shortcut sheet's "where".
    for (int i = 0; i < m_tabs->count(); ++i)
        m_tabs->widget(i)->setAccessibleName(m_tabs->tabText(i).remove(QLatin1Char('&')));
    m_splitter->addWidget(m_tabs);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setSizes({260, 1020});
    auto *central = new QWidget(this);
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);
    m_banner = new SessionBanner(central);
    centralLayout->addWidget(m_banner);
    centralLayout->addWidget(m_splitter, 1);
    setCentralWidget(central);

    m_connection = new QLabel(this);
    m_connection->setObjectName(QStringLiteral("connectionIndicator"));
    statusBar()->addPermanentWidget(m_connection);
    m_clusterActions = new ClusterActions(api, this);
    m_canceller = new JobCanceller(api, this);
    connect(m_canceller, &JobCanceller::statusMessage, statusBar(), &QStatusBar::showMessage);
    connect(m_canceller, &JobCanceller::finished, m_jobSync, &JobSync::refreshNow);
    buildActions();
    connect(m_clusterActions, &ClusterActions::changed, this, [this](const ClusterInfo &c) {
        m_clusters->upsert(c);
        m_clusterSync->refreshNow();
    });
    connect(m_clusterActions, &ClusterActions::deletionStarted, m_clusterSync,
            &ClusterSync::refreshNow);
    connect(m_clusterActions, &ClusterActions::statusMessage, this,
            [this](const QString &t) { statusBar()->showMessage(t, 8000); });
    m_overview->setBannerActions(m_clusterActions->retryAction(), m_clusterActions->deleteAction());

    auto updateSideStack = [this, sideStack] {
        sideStack->setCurrentWidget(m_clusters->rowCount() ? static_cast<QWidget *>(m_clusterList)
                                                           : m_emptyClusters);
    };
    connect(m_clusters, &QAbstractItemModel::rowsInserted, this, updateSideStack);
    connect(m_clusters, &QAbstractItemModel::rowsRemoved, this, updateSideStack);
    connect(m_clusterSync, &ClusterSync::loaded, this, updateSideStack);
    connect(m_clusters, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_clusterId.isEmpty() && m_clusters->rowCount() > 0) {
            const int wanted = m_clusters->rowOf(m_wantedCluster);
            m_clusterList->setCurrentIndex(m_clusters->index(wanted >= 0 ? wanted : 0));
        } else if (!m_wantedCluster.isEmpty() && m_clusters->rowOf(m_wantedCluster) >= 0 &&
                   m_clusterId != m_wantedCluster) {
            selectCluster(m_wantedCluster);
        }
    });
    connect(m_clusters, &QAbstractItemModel::dataChanged, this, &MainWindow::refreshOverview);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        if (m_tabs->currentWidget() == m_overview)
            refreshNodes();
    });
    connect(m_clusterList->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &MainWindow::onClusterChosen);
    connect(m_eventFeed, &EventFeed::jobsChanged, m_jobSync, &JobSync::refreshNow);
    connect(m_eventFeed, &EventFeed::clusterChanged, m_clusterSync, &ClusterSync::refreshNow);
    connect(m_eventFeed, &EventFeed::stateChanged, this, &MainWindow::updateConnection);
    connect(m_api, &ApiClient::onlineChanged, this, &MainWindow::updateConnection);
    connect(m_jobSync, &JobSync::failed, this, [this](const ApiError &e) {
        statusBar()->showMessage(tr("Cannot refresh jobs: %1").arg(e.message), 8000);
    });
    connect(m_jobSync, &JobSync::loaded, this, [this] {
        if (!m_announced) {
            m_announced = true;
            Q_EMIT firstDataShown();
        }
    });
    connect(m_clusterSync, &ClusterSync::loaded, this, [this] {
        if (m_clusters->rowCount() == 0 && !m_announced) {
            m_announced = true;
            Q_EMIT firstDataShown();
        }
    });
    connect(m_jobsPage, &JobsPage::viewLogRequested, this, &MainWindow::viewLog);
    connect(m_jobsPage, &JobsPage::cancelRequested, this, &MainWindow::cancelJobs);
    connect(m_jobsPage, &JobsPage::submitRequested, this, &MainWindow::openSubmitDialog);
    connect(m_jobsPage, &JobsPage::detailsRequested, this, [this](const JobInfo &job) {
        m_api->jobs().get(
            m_clusterId, job.jobId, this, [this](const JobInfo &full, const ApiError &e) {
                if (e.isError()) {
                    statusBar()->showMessage(e.message, 8000);
                    return;
                }
                auto *d = new JobDetailsDialog(full, this);
                d->setAttribute(Qt::WA_DeleteOnClose);
                connect(d, &JobDetailsDialog::viewLogRequested, this, &MainWindow::viewLog);
                connect(d, &JobDetailsDialog::cancelRequested, this, &MainWindow::cancelJob);
                connect(d, &JobDetailsDialog::duplicateRequested, m_jobsPage,
                        &JobsPage::duplicateRequested);
                d->open();
            });
    });
    connect(m_jobsPage, &JobsPage::duplicateRequested, this, [this](const JobInfo &job) {
        const QString cluster = m_clusterId;
        m_api->jobs().get(cluster, job.jobId, this,
                          [this, cluster](const JobInfo &full, const ApiError &e) {
                              // Another cluster chosen meanwhile: not its job to duplicate.
                              if (e.isError() || cluster != m_clusterId)
                                  return;
                              // The form, filled in; keys it has no field for travel along.
                              if (SubmitDialog *d = openSubmitDialog()) {
                                  d->setDraft(draftFor(full.request));
                                  d->setMode(SubmitDialog::FormMode);
                              }
                          });
    });
    connect(m_filesPage, &FilesPage::statusMessage, this,
            [this](const QString &t) { statusBar()->showMessage(t, 8000); });
    connect(m_logPanel, &LogPanel::statusMessage, this,
            [this](const QString &t) { statusBar()->showMessage(t, 8000); });
    updateConnection();
    restoreLayout();
}

MainWindow::~MainWindow() {
    // Children outlive this destructor's body; their last signals (the list view clearing its
    // selection, models tearing down) must not reach a half-destroyed window.
    const auto children = findChildren<QObject *>();
    for (QObject *child : children)
        disconnect(child, nullptr, this, nullptr);
    disconnect(m_clusterList->selectionModel(), nullptr, this, nullptr);
    disconnect(m_api, nullptr, this, nullptr);
}

void MainWindow::buildActions() {
    QMenu *file = menuBar()->addMenu(tr("&File"));
    m_newCluster = file->addAction(tr("New &cluster…"), this, [this] { openClusterWizard(); });
    m_newCluster->setObjectName(QStringLiteral("actionNewCluster"));
    m_newCluster->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
    QAction *newJob = file->addAction(tr("New &job…"), this, [this] { openSubmitDialog(); });
    newJob->setObjectName(QStringLiteral("actionNewJob"));
    newJob->setShortcut(QKeySequence::New);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    // One set of cluster actions behind the menu, the sidebar's context menu and Overview.
    QMenu *cluster = menuBar()->addMenu(tr("&Cluster"));
    cluster->setObjectName(QStringLiteral("clusterMenu"));
    cluster->addAction(m_newCluster);
    cluster->addSeparator();
    m_clusterActions->addTo(cluster);
    auto *contextMenu = new QMenu(this);
    contextMenu->setObjectName(QStringLiteral("clusterContextMenu"));
    m_clusterActions->addTo(contextMenu);
    m_clusterList->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_clusterList, &QWidget::customContextMenuRequested, this,
            [this, contextMenu](const QPoint &at) {
                const QModelIndex index = m_clusterList->indexAt(at);
                if (!index.isValid())
                    return;
                m_clusterList->setCurrentIndex(index);
                contextMenu->popup(m_clusterList->viewport()->mapToGlobal(at));
            });
    auto *overviewMenu = new QMenu(this);
    m_clusterActions->addTo(overviewMenu);
    m_overview->setActionsMenu(overviewMenu);
    QMenu *view = menuBar()->addMenu(tr("&View"));
    m_account = new QMenu(tr("&Account"), this);
    m_account->setObjectName(QStringLiteral("accountMenu"));
    QAction *refresh = view->addAction(tr("&Refresh"), this, [this] {
        m_clusterSync->refreshNow();
        m_jobSync->refreshNow();
    });
    refresh->setObjectName(QStringLiteral("actionRefresh"));
    refresh->setShortcut(QKeySequence::Refresh);
    QAction *find = view->addAction(tr("&Find…"), this, [this] {
        if (m_tabs->currentWidget() == m_logPanel)
            m_logPanel->openFind();
        else {
            m_tabs->setCurrentWidget(m_jobsPage);
            m_jobsPage->focusSearch();
        }
    });
    find->setShortcut(QKeySequence::Find);
    find->setShortcutContext(Qt::WindowShortcut);
    for (int i = 0; i < m_tabs->count(); ++i)
        view->addAction(m_tabs->tabText(i), this, [this, i] { m_tabs->setCurrentIndex(i); })
            ->setShortcut(QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + i)));
    menuBar()->addMenu(m_account);
    m_help = new HelpMenu(m_api, this);
    menuBar()->addMenu(m_help);
    auto *tools = addToolBar(tr("Main"));
    tools->setObjectName(QStringLiteral("mainToolBar"));
    tools->setMovable(false);
    tools->setToolButtonStyle(Qt::ToolButtonTextOnly);
    tools->addAction(m_newCluster);
    tools->addAction(newJob);
    tools->addAction(refresh);
    newJob->setToolTip(tr("Submit a job to the selected cluster (Ctrl+N)"));
    refresh->setToolTip(tr("Refresh clusters and jobs now (F5)"));
}

void MainWindow::setAccount(const UserInfo &user, bool canSignOut, const QStringList &profiles,
                            const QString &currentProfile) {
    m_account->clear();
    m_account->setTitle(user.email.isEmpty() ? tr("&Account") : user.email);
    m_account->addAction(tr("Signed in as %1").arg(user.email))->setEnabled(false);
    m_account->addAction(tr("Role: %1 · organisation %2").arg(user.role, user.org))
        ->setEnabled(false);
    m_account->addSeparator();
    QMenu *switchTo = m_account->addMenu(tr("S&witch profile"));
    for (const QString &name : profiles) {
        QAction *a =
            switchTo->addAction(name, this, [this, name] { Q_EMIT switchProfileRequested(name); });
        a->setCheckable(true);
        a->setChecked(name == currentProfile);
        a->setEnabled(name != currentProfile);
    }
    switchTo->setEnabled(profiles.size() > 1);
    QAction *signOut = m_account->addAction(tr("Sign &out"), this, &MainWindow::signOutRequested);
    signOut->setObjectName(QStringLiteral("actionSignOut"));
    signOut->setEnabled(canSignOut);
    if (!canSignOut)
        signOut->setToolTip(tr("The local server signs you in with its own token."));
    const bool admin = user.role == QLatin1String("admin");
    m_filesPage->setUser(user.email, admin);
    // The server refuses cluster changes to everyone else; better not to offer them at all.
    m_clusterActions->setAdmin(admin);
    m_newCluster->setEnabled(admin);
    m_newCluster->setToolTip(
        admin ? tr("Create a cluster in your organisation")
              : tr("Only an administrator of %1 can create clusters.").arg(user.org));
    m_emptyClusters->setText(admin ? tr("No clusters yet.<br/><a href='#new'>Create one</a>")
                                   : tr("No clusters yet.<br/>An administrator of your "
                                        "organisation can create one."));
}

void MainWindow::start(const QString &serverTitle, const QString &profile, const UserInfo &user) {
    setWindowTitle(tr("Clusterra Console — %1 (%2)").arg(serverTitle, user.email));
    const bool admin = user.role == QLatin1String("admin");
    m_filesPage->setUser(user.email, admin);
    m_clusterActions->setAdmin(admin);
    m_profile = profile;
    // Which providers can deploy here, so Retry is offered only where it can succeed.
    m_api->clusters().providers(this,
                                [this](const QList<ProviderInfo> &providers, const ApiError &e) {
                                    if (!e.isError())
                                        m_clusterActions->setProviders(providers);
                                });
    m_wantedCluster = Settings(m_profile).get(settings::lastCluster);
    m_clusterSync->start();
}

bool MainWindow::dataLoaded() const {
    return m_clusterSync->isLoaded() && (m_clusterId.isEmpty() || m_jobSync->isLoaded());
}

void MainWindow::selectCluster(const QString &id) {
    m_wantedCluster = id;
    const int row = m_clusters->rowOf(id);
    if (row >= 0)
        m_clusterList->setCurrentIndex(m_clusters->index(row));
}

void MainWindow::onClusterChosen() {
    const QModelIndex idx = m_clusterList->currentIndex();
    const QString id = idx.isValid() ? idx.data(ClusterListModel::IdRole).toString() : QString();
    if (id == m_clusterId)
        return;
    m_clusterId = id;
    if (id == m_wantedCluster)
        m_wantedCluster.clear();
    Settings(m_profile).set(settings::lastCluster, id);
    m_logPanel->clearJob();
    m_jobsPage->setClusterAvailable(!id.isEmpty());
    m_jobSync->setCluster(id);
    m_eventFeed->setCluster(id);
    m_filesPage->setCluster(id);
    m_overview->setNodes({});
    m_overview->showNodeStatus(tr("reading…"));
    refreshOverview();
}

void MainWindow::refreshOverview() {
    const ClusterInfo *c = m_clusters->find(m_clusterId);
    if (c)
        m_overview->setCluster(*c);
    m_clusterActions->setCluster(c);
    refreshNodes();
}

void MainWindow::refreshNodes() {
    // Read while Overview shows them, one request at a time; a change meanwhile asks again.
    if (m_clusterId.isEmpty() || m_tabs->currentWidget() != m_overview)
        return;
    if (m_nodesInFlight) {
        m_nodesAgain = true;
        return;
    }
    m_nodesInFlight = true;
    const QString id = m_clusterId;
    m_api->clusters().nodes(id, this, [this, id](const QList<NodeInfo> &nodes, const ApiError &e) {
        m_nodesInFlight = false;
        if (id == m_clusterId) {
            if (e.isError())
                m_overview->showNodeStatus(tr("cannot read them: %1").arg(e.message));
            else
                m_overview->setNodes(nodes);
        }
        if (std::exchange(m_nodesAgain, false) || id != m_clusterId)
            refreshNodes();
    });
}

void MainWindow::setSignedIn(bool signedIn) {
    m_signedIn = signedIn;
    updateConnection();
}

void MainWindow::updateConnection() {
    const bool online = m_api->isOnline();
    const SseClient::State s = m_eventFeed->state();
    QString text;
    StateLook tone = StateLook::Completed;
    // One truth: signed out beats "connected", since nothing the server sends arrives.
    if (!m_signedIn) {
        text = tr("○ Signed out");
        tone = StateLook::Cancelled;
    } else if (!online) {
        text = tr("● Offline — retrying");
        tone = StateLook::Failed;
    } else if (s == SseClient::State::Reconnecting) {
        text = tr("● Reconnecting…");
        tone = StateLook::Pending;
    } else if (s == SseClient::State::Connecting) {
        text = tr("● Connecting…");
        tone = StateLook::Pending;
    } else {
        text = tr("● Connected");
    }
    m_connection->setText(text);
    m_connection->setAccessibleName(text);
    QPalette p = m_connection->palette();
    p.setColor(QPalette::WindowText, stateColor(tone, palette()));
    m_connection->setPalette(p);
    m_eventsPanel->setLive(s == SseClient::State::Open,
                           s == SseClient::State::Open ? tr("● Live") : tr("○ Not live"));
}

QString MainWindow::connectionText() const {
    return m_connection->text();
}

ClusterWizard *MainWindow::openClusterWizard() {
    auto *wizard = new ClusterWizard(m_api, this);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    connect(wizard, &ClusterWizard::created, this, [this](const ClusterInfo &c) {
        m_clusters->upsert(c);
        selectCluster(c.id);
        m_clusterSync->refreshNow();
        if (!c.secret.isEmpty())
            statusBar()->showMessage(tr("Cluster %1 created; it is preparing. Its client secret "
                                        "was generated — it is shown only once: %2")
                                         .arg(c.name, c.secret),
                                     30000);
    });
    wizard->open();
    return wizard;
}

ShortcutSheet *MainWindow::openShortcutSheet() {
    return m_help->openShortcutSheet();
}

SubmitDialog *MainWindow::openSubmitDialog() {
    const ClusterInfo *c = m_clusters->find(m_clusterId);
    if (!c) {
        statusBar()->showMessage(tr("Create or select a cluster first."), 5000);
        return nullptr;
    }
    auto *d = new SubmitDialog(m_api, *c, this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    connect(d, &SubmitDialog::submitted, this, [this](qint64 jobId) {
        statusBar()->showMessage(tr("Job %1 submitted").arg(jobId), 5000);
        m_tabs->setCurrentWidget(m_jobsPage);
        m_jobSync->refreshNow();
    });
    d->open();
    return d;
}

void MainWindow::viewLog(const JobInfo &job) {
    m_logPanel->showJob(m_clusterId, job);
    m_tabs->setCurrentWidget(m_logPanel);
}

void MainWindow::cancelJobs(const QList<JobInfo> &jobs) {
    // The job's own cluster: a dialog opened before a switch still acts where its job is.
    const QString clusterId =
        jobs.isEmpty() || jobs.first().clusterId.isEmpty() ? m_clusterId : jobs.first().clusterId;
    m_canceller->cancel(clusterId, jobs);
}

void MainWindow::restoreLayout() {
    const Settings s;
    restoreGeometry(s.get(settings::windowGeometry));
    restoreState(s.get(settings::windowState));
    m_splitter->restoreState(s.get(settings::sidebarSplitter));
    m_jobsPage->table()->horizontalHeader()->restoreState(s.get(settings::jobColumns));
    m_tabs->setCurrentIndex(s.get(settings::currentTab));
}

void MainWindow::saveLayout() {
    const Settings s;
    s.set(settings::windowGeometry, saveGeometry());
    s.set(settings::windowState, saveState());
    s.set(settings::sidebarSplitter, m_splitter->saveState());
    s.set(settings::jobColumns, m_jobsPage->table()->horizontalHeader()->saveState());
    s.set(settings::currentTab, m_tabs->currentIndex());
}

void MainWindow::closeEvent(QCloseEvent *event) {
    const int active = m_transfers->activeCount();
    if (active > 0 && !m_quitConfirmed) {
        event->ignore();
        Confirm::ask(this, tr("Transfers running"),
                     tr("%n transfer(s) are still running. Uploads resume from the stored parts "
                        "next time; downloads resume where they stopped. Quit now?",
                        nullptr, active),
                     tr("Quit"), tr("Keep working"), [this](bool quit) {
                         if (!quit)
                             return;
                         m_quitConfirmed = true;
                         close();
                     });
        return;
    }
    m_transfers->manager()->cancelAll();
    saveLayout();
    event->accept();
}

} // namespace clusterra
