#include "app/Screenshotter.h"

#include "core/base/Log.h"

#include "models/ClusterListModel.h"
#include "models/FileBrowser.h"
#include "models/FileListModel.h"
#include "models/JobTableModel.h"
#include "models/NodeListModel.h"
#include "widgets/ClusterActions.h"
#include "widgets/ClusterEditDialog.h"
#include "widgets/ClusterWizard.h"
#include "widgets/Confirm.h"
#include "widgets/DeleteClusterDialog.h"
#include "widgets/FilesPage.h"
#include "widgets/JobDetailsDialog.h"
#include "widgets/JobsPage.h"
#include "widgets/LogPanel.h"
#include "widgets/MainWindow.h"
#include "widgets/OverviewPage.h"
#include "widgets/SessionBanner.h"
#include "widgets/ShortcutSheet.h"
#include "widgets/SignInDialog.h"
#include "widgets/SubmitDialog.h"

#include <QApplication>
#include <QDir>
#include <QLineEdit>
#include <QPixmap>
#include <QTabWidget>
#include <QTableView>
#include <QThread>
#include <QTimer>

namespace clusterra {

Screenshotter::Screenshotter(MainWindow *window, QString directory, QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_dir(std::move(directory)) {}

void Screenshotter::shoot(QWidget *widget, const QString &name) {
    QApplication::processEvents();
    const QString path = QDir(m_dir).filePath(name + QStringLiteral(".png"));
    if (widget->grab().save(path))
        ++m_written;
    else
        qCWarning(lcConsole, "cannot write %s", qPrintable(path));
}

void Screenshotter::run() {
    QDir().mkpath(m_dir);
    // Give a running job's log a moment to stream in before the pictures are taken: one
    // that is not an array task, whose output is the most telling, else the first job.
    const JobTableModel *jobs = m_window->jobs();
    int shown = jobs->rowCount() > 0 ? 0 : -1;
    for (int row = 0; row < jobs->rowCount(); ++row) {
        const JobInfo &job = jobs->jobAt(row);
        if (job.state == JobState::Running && !job.arrayJobId) {
            shown = row;
            break;
        }
    }
    if (shown >= 0)
        m_window->viewLog(jobs->jobAt(shown));
    m_window->tabs()->setCurrentIndex(MainWindow::JobsTab);
    QTimer::singleShot(shown >= 0 ? 1500 : 0, this, [this] {
        shootMainPages();
        shootFiles();
        shootWizard();
        shootSubmit();
        shootJobDialogs();
        shootClusterLifecycle();
        shootSignIn();
        Q_EMIT done(m_written);
    });
}

void Screenshotter::shootMainPages() {
    const QStringList names{QStringLiteral("main-overview"), QStringLiteral("main-jobs"),
                            QStringLiteral("main-logs"), QStringLiteral("main-events")};
    for (int i = 0; i < names.size(); ++i) {
        m_window->tabs()->setCurrentIndex(i);
        if (i == MainWindow::OverviewTab && !m_window->currentClusterId().isEmpty()) {
            const NodeListModel *nodes = m_window->overviewPage()->nodes();
            waitFor([nodes] { return nodes->rowCount() > 0; }, 3000);
        }
        shoot(m_window, names[i]);
    }
    m_window->tabs()->setCurrentIndex(MainWindow::JobsTab);
}

void Screenshotter::waitFor(const std::function<bool()> &ready, int ms) {
    for (int waited = 0; waited < ms && !ready(); waited += 25) {
        QApplication::processEvents(QEventLoop::AllEvents, 25);
        QThread::msleep(25);
    }
}

void Screenshotter::shootFiles() {
    FilesPage *files = m_window->filesPage();
    m_window->tabs()->setCurrentWidget(files);
    if (m_window->currentClusterId().isEmpty()) {
        // No cluster, no bucket: the page as a new user first sees it, nothing to wait for.
        shoot(m_window, QStringLiteral("main-files"));
        m_window->tabs()->setCurrentIndex(MainWindow::JobsTab);
        return;
    }
    auto openAndWait = [&](const QString &prefix) {
        bool answered = false;
        const auto ok =
            connect(files->browser(), &FileBrowser::loaded, this, [&] { answered = true; });
        const auto refused =
            connect(files->browser(), &FileBrowser::failed, this, [&] { answered = true; });
        files->browser()->open(prefix);
        waitFor([&] { return answered; }, 5000);
        disconnect(ok);
        disconnect(refused);
    };
    openAndWait(QStringLiteral("data/"));
    if (files->model()->rowCount() == 0)
        return;
    openAndWait(files->model()->entry(0).key);
    // Something in the transfer queue: download what is here into a throwaway folder.
    files->view()->selectAll();
    files->downloadSelectionTo(m_scratch.path());
    waitFor([] { return false; }, 600);
    shoot(m_window, QStringLiteral("main-files"));
    m_window->tabs()->setCurrentIndex(MainWindow::JobsTab);
}

void Screenshotter::shootWizard() {
    ClusterWizard *wizard = m_window->openClusterWizard();
    // The server's answer on which providers it can deploy changes the first page.
    const QWidget *note = wizard->findChild<QWidget *>(QStringLiteral("providerNote"));
    waitFor([note] { return note && !note->isHidden(); }, 2000);
    wizard->findChild<QLineEdit *>(QStringLiteral("clusterName"))
        ->setText(QStringLiteral("Bad_Name!"));
    shoot(wizard, QStringLiteral("wizard-1-basics-error"));
    wizard->findChild<QLineEdit *>(QStringLiteral("clusterName"))
        ->setText(QStringLiteral("genomics-prod"));
    shoot(wizard, QStringLiteral("wizard-1-basics"));
    const QStringList pages{QStringLiteral("wizard-2-partitions"),
                            QStringLiteral("wizard-3-options"), QStringLiteral("wizard-4-review")};
    for (const QString &name : pages) {
        wizard->next();
        shoot(wizard, name);
    }
    wizard->reject();
}

void Screenshotter::shootJobDialogs() {
    const JobTableModel *jobs = m_window->jobs();
    if (jobs->rowCount() == 0)
        return;
    const JobInfo job = jobs->jobAt(0);
    Q_EMIT m_window->jobsPage()->detailsRequested(job);
    JobDetailsDialog *details = nullptr;
    for (int i = 0; i < 80 && !(details = m_window->findChild<JobDetailsDialog *>()); ++i) {
        QApplication::processEvents(QEventLoop::AllEvents, 50);
        QThread::msleep(25);
    }
    if (details) {
        shoot(details, QStringLiteral("dialog-job-details"));
        details->close();
    }
    m_window->cancelJob(job);
    if (QWidget *confirm = m_window->findChild<QWidget *>(QStringLiteral("confirmDialog"))) {
        shoot(confirm, QStringLiteral("dialog-confirm-cancel"));
        confirm->close(); // answers "no": nothing is cancelled
    }
}

void Screenshotter::shootSubmit() {
    SubmitDialog *dialog = m_window->openSubmitDialog();
    if (!dialog)
        return;
    shoot(dialog, QStringLiteral("submit-form"));
    dialog->setMode(SubmitDialog::TemplateMode);
    dialog->selectTemplate(QStringLiteral("gromacs-mdrun"));
    for (int i = 0; i < 40 && !dialog->templateReady(); ++i) {
        QApplication::processEvents(QEventLoop::AllEvents, 50);
        QThread::msleep(25);
    }
    shoot(dialog, QStringLiteral("submit-template"));
    dialog->setMode(SubmitDialog::RawMode);
    dialog->setRawText(QStringLiteral("{\"script\": \"echo no shebang\", \"job\": {\"nodes\": 1, "
                                      "\"environment\": {\"PATH\": \"/bin\"}}}"));
    shoot(dialog, QStringLiteral("submit-raw-errors"));
    dialog->reject();
}

// Scale and delete for the selected cluster, then a cluster whose deployment failed, as its
// Overview shows it.
void Screenshotter::shootClusterLifecycle() {
    ClusterActions *actions = m_window->clusterActions();
    if (ClusterEditDialog *scale = actions->openEdit(true)) {
        shoot(scale, QStringLiteral("dialog-cluster-scale"));
        scale->reject();
    }
    if (DeleteClusterDialog *remove = actions->openDelete()) {
        shoot(remove, QStringLiteral("dialog-cluster-delete"));
        remove->reject();
    }
    if (ShortcutSheet *sheet = m_window->openShortcutSheet()) {
        shoot(sheet, QStringLiteral("dialog-shortcuts"));
        sheet->reject();
    }
    const QString selected = m_window->currentClusterId();
    const ClusterListModel *clusters = m_window->clusters();
    for (int row = 0; row < clusters->rowCount(); ++row) {
        if (clusters->at(row).state != QLatin1String("failed"))
            continue;
        m_window->selectCluster(clusters->at(row).id);
        m_window->tabs()->setCurrentWidget(m_window->overviewPage());
        waitFor([this] { return !m_window->overviewPage()->bannerText().isEmpty(); }, 2000);
        shoot(m_window, QStringLiteral("main-overview-failed"));
        m_window->selectCluster(selected);
        m_window->tabs()->setCurrentIndex(MainWindow::JobsTab);
        break;
    }
}

// The sign-in dialog (waiting, with the link to copy; then a failure) and the expired-session
// banner, as an OIDC server shows them.
void Screenshotter::shootSignIn() {
    SignInDialog dialog(QStringLiteral("hpc.example.org"), m_window);
    dialog.setAuthorizationUrl(
        QUrl(QStringLiteral("https://accounts.example.org/auth?client_id=clusterra-console&"
                            "response_type=code&code_challenge_method=S256")),
        false);
    dialog.show();
    shoot(&dialog, QStringLiteral("dialog-sign-in"));
    dialog.setError(tr("The sign-in was refused at the identity provider."));
    shoot(&dialog, QStringLiteral("dialog-sign-in-error"));
    dialog.close();
    m_window->sessionBanner()->showMessage(
        tr("You were signed out — sign in again; your work stays as it is. (The refresh token "
           "was already used; the session is revoked.)"),
        tr("Sign in again…"));
    m_window->setSignedIn(false);
    shoot(m_window, QStringLiteral("main-session-expired"));
    m_window->setSignedIn(true);
    m_window->sessionBanner()->showMessage({});
}

} // namespace clusterra
