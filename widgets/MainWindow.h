#pragma once

#include "core/api/Types.h"
#include "core/client/SseClient.h"

#include <QMainWindow>

class QAction;
class QLabel;
class QMenu;
class QListView;
class QSplitter;
class QTabWidget;

namespace clusterra {

class ApiClient;
class ClusterActions;
class ClusterListModel;
class ClusterSync;
class ClusterWizard;
class EventFeed;
class EventListModel;
class EventsPanel;
class FilesPage;
class TransferQueue;
class JobSync;
class JobTableModel;
class JobsPage;
class LogPanel;
class OverviewPage;
class HelpMenu;
class JobCanceller;
class SessionBanner;
class ShortcutSheet;
class SubmitDialog;

// The console: clusters in a sidebar; the selected cluster's Overview, Jobs, Logs, Events and Files
// as tabs; connection state in the status bar. Layout, splitter, columns and the last cluster
// are remembered.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum Tab { OverviewTab, JobsTab, LogsTab, EventsTab, FilesTab };

    explicit MainWindow(ApiClient *api, QWidget *parent = nullptr);
    ~MainWindow() override;

    // `profile` scopes what the window remembers per server (the last cluster).
    void start(const QString &serverTitle, const QString &profile, const UserInfo &user);
    // The account menu: who is signed in, the role, sign out (when the server has sessions)
    // and the other connection profiles.
    void setAccount(const UserInfo &user, bool canSignOut, const QStringList &profiles,
                    const QString &currentProfile);
    SessionBanner *sessionBanner() const { return m_banner; }
    // Signed out, the status bar says so instead of the connection's state.
    void setSignedIn(bool signedIn);
    ClusterActions *clusterActions() const { return m_clusterActions; }
    QMenu *accountMenu() const { return m_account; }
    QString currentClusterId() const { return m_clusterId; }
    void selectCluster(const QString &id);

    ClusterWizard *openClusterWizard();
    ShortcutSheet *openShortcutSheet();
    SubmitDialog *openSubmitDialog();
    void viewLog(const JobInfo &job);
    void cancelJob(const JobInfo &job) { cancelJobs({job}); }
    // Asks once, naming the jobs, then cancels each; the status bar says how it went.
    void cancelJobs(const QList<JobInfo> &jobs);

    JobsPage *jobsPage() const { return m_jobsPage; }
    LogPanel *logPanel() const { return m_logPanel; }
    EventsPanel *eventsPanel() const { return m_eventsPanel; }
    FilesPage *filesPage() const { return m_filesPage; }
    TransferQueue *transfers() const { return m_transfers; }
    OverviewPage *overviewPage() const { return m_overview; }
    QTabWidget *tabs() const { return m_tabs; }
    QListView *clusterList() const { return m_clusterList; }
    ClusterListModel *clusters() const { return m_clusters; }
    JobTableModel *jobs() const { return m_jobs; }
    JobSync *jobSync() const { return m_jobSync; }
    bool dataLoaded() const;
    QString connectionText() const;

Q_SIGNALS:
    void firstDataShown();
    void signOutRequested();
    void switchProfileRequested(const QString &name);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildActions();
    void onClusterChosen();
    void refreshOverview();
    void refreshNodes();
    void updateConnection();
    void restoreLayout();
    void saveLayout();

    ApiClient *m_api;
    SessionBanner *m_banner = nullptr;
    QMenu *m_account = nullptr;
    QAction *m_newCluster = nullptr;
    ClusterActions *m_clusterActions = nullptr;
    HelpMenu *m_help = nullptr;
    JobCanceller *m_canceller = nullptr;
    ClusterListModel *m_clusters;
    JobTableModel *m_jobs;
    EventListModel *m_events;
    ClusterSync *m_clusterSync;
    JobSync *m_jobSync;
    EventFeed *m_eventFeed;
    QSplitter *m_splitter;
    QListView *m_clusterList;
    QTabWidget *m_tabs;
    OverviewPage *m_overview;
    JobsPage *m_jobsPage;
    LogPanel *m_logPanel;
    EventsPanel *m_eventsPanel;
    TransferQueue *m_transfers;
    FilesPage *m_filesPage;
    QLabel *m_connection;
    QLabel *m_emptyClusters;
    QString m_clusterId;
    QString m_wantedCluster;
    QString m_profile;
    bool m_announced = false;
    bool m_signedIn = true;
    bool m_nodesInFlight = false;
    bool m_nodesAgain = false;
    bool m_quitConfirmed = false;
};

} // namespace clusterra
