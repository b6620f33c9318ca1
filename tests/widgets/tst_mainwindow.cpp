#include "core/client/ApiClient.h"
#include "models/ClusterListModel.h"
#include "models/JobFilterProxy.h"
#include "models/JobLogFeed.h"
#include "models/JobTableModel.h"
#include "tests/server/TestServer.h"
#include "widgets/ClusterWizard.h"
#include "widgets/Confirm.h"
#include "widgets/EventsPanel.h"
#include "widgets/JobDetailsDialog.h"
#include "widgets/JobsPage.h"
#include "widgets/LogPanel.h"
#include "widgets/LogView.h"
#include "widgets/MainWindow.h"
#include "widgets/SubmitDialog.h"

#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>
#include <QTimer>

using namespace clusterra;

// Drives the real main window against a real clusterra-server on 127.0.0.1.
class TestMainWindow : public QObject {
    Q_OBJECT
    TestServer server{{QStringLiteral("--local-cpus"), QStringLiteral("2"),
                       QStringLiteral("--kill-grace-ms"), QStringLiteral("1000")}};
    ApiClient *api = nullptr;
    MainWindow *window = nullptr;

    const JobInfo *jobById(qint64 id) const {
        const int row = window->jobs()->rowOf(id);
        return row < 0 ? nullptr : &window->jobs()->jobAt(row);
    }
    QString stateOf(qint64 id) const {
        const JobInfo *j = jobById(id);
        return j ? j->stateName : QString();
    }
    qint64 submitVia(SubmitDialog *dialog) {
        qint64 id = 0;
        connect(dialog, &SubmitDialog::submitted, this, [&id](qint64 jobId) { id = jobId; });
        dialog->submit();
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(id > 0, 10000);
        }();
        return id;
    }

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QVERIFY(server.start());
        // A cluster name that is already taken, for the wizard to bump into.
        QCOMPARE(server
                     .post(QStringLiteral("/v1/clusters"),
                           {{"name", "taken"}, {"cluster_type", "slurm"}})
                     .status,
                 201);
        api = new ApiClient(this);
        api->setBaseUrl(QUrl(server.url()));
        api->setAccessToken(server.token());
        window = new MainWindow(api);
        window->start(QStringLiteral("test"), QStringLiteral("test"),
                      UserInfo{1, QStringLiteral("admin@localhost"), QStringLiteral("admin"), {}});
        window->show();
        QTRY_VERIFY_WITH_TIMEOUT(window->dataLoaded(), 10000);
    }

    void cleanupTestCase() { delete window; }

    void wizardCreatesClusterAfterFixingTheName() {
        ClusterWizard *wizard = window->openClusterWizard();
        auto *name = wizard->findChild<QLineEdit *>(QStringLiteral("clusterName"));
        name->setText(QStringLiteral("bad name!"));
        QVERIFY(
            wizard->fieldError(QStringLiteral("name")).contains(QStringLiteral("letters, digits")));
        wizard->next();
        QCOMPARE(wizard->currentId(), int(ClusterWizard::BasicsPage)); // blocked by the live rule
        // A valid name the server refuses: it comes back to the name with the server's reason.
        name->setText(QStringLiteral("taken"));
        QVERIFY(wizard->fieldError(QStringLiteral("name")).isEmpty());
        while (wizard->currentId() != ClusterWizard::ReviewPage)
            wizard->next();
        wizard->button(QWizard::FinishButton)->click();
        QTRY_COMPARE_WITH_TIMEOUT(wizard->currentId(), int(ClusterWizard::BasicsPage), 10000);
        QVERIFY2(
            wizard->fieldError(QStringLiteral("name")).contains(QStringLiteral("already exists")),
            qPrintable(wizard->fieldError(QStringLiteral("name"))));
        QVERIFY(wizard->isVisible());
        name->setText(QStringLiteral("gui-cluster"));
        QVERIFY(wizard->fieldError(QStringLiteral("name")).isEmpty());
        while (wizard->currentId() != ClusterWizard::ReviewPage)
            wizard->next();
        QSignalSpy created(wizard, &ClusterWizard::created);
        wizard->button(QWizard::FinishButton)->click();
        QTRY_COMPARE_WITH_TIMEOUT(created.size(), 1, 10000);
        // It shows up at once, preparing, and turns ready live.
        QTRY_VERIFY_WITH_TIMEOUT(
            window->clusters()->rowOf(created[0][0].value<ClusterInfo>().id) >= 0, 5000);
        const QString id = window->currentClusterId();
        QCOMPARE(id, created[0][0].value<ClusterInfo>().id);
        QTRY_COMPARE_WITH_TIMEOUT(window->clusters()->find(id)->state, QStringLiteral("ready"),
                                  10000);
    }

    void submitFromFormTemplateAndRaw() {
        // Form
        SubmitDialog *form = window->openSubmitDialog();
        QVERIFY(form);
        form->findChild<QPlainTextEdit *>(QStringLiteral("formScript"))
            ->setPlainText(QStringLiteral("#!/bin/bash\necho from-form\n"));
        form->findChild<QLineEdit *>(QStringLiteral("formName"))
            ->setText(QStringLiteral("form-job"));
        const qint64 formJob = submitVia(form);
        // Template
        SubmitDialog *tpl = window->openSubmitDialog();
        tpl->setMode(SubmitDialog::TemplateMode);
        tpl->selectTemplate(QStringLiteral("hello-world"));
        QTRY_VERIFY_WITH_TIMEOUT(tpl->templateReady(), 5000);
        tpl->setTemplateValue(QStringLiteral("greeting"), QStringLiteral("hi from a template"));
        tpl->setTemplateValue(QStringLiteral("sleep_seconds"), 0);
        const qint64 tplJob = submitVia(tpl);
        // Raw: a broken body is explained and kept; the fixed one goes through.
        SubmitDialog *raw = window->openSubmitDialog();
        raw->setMode(SubmitDialog::RawMode);
        const QString broken = QStringLiteral(
            R"({"script": "echo hi", "job": {"current_working_directory": "/tmp", "environment": {"PATH": "/bin"}}})");
        raw->setRawText(broken);
        raw->submit();
        QVERIFY(raw->errorText().contains(QStringLiteral("job.environment")));
        QVERIFY(raw->isVisible());
        QCOMPARE(raw->rawText(), broken); // nothing the user typed is lost
        raw->setRawText(QStringLiteral(
            R"({"script": "#!/bin/sh\necho from-raw\n", "job": {"name": "raw-job", "current_working_directory": "/tmp", "environment": ["PATH=/usr/bin:/bin"]}})"));
        const qint64 rawJob = submitVia(raw);
        for (qint64 id : {formJob, tplJob, rawJob})
            QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), QStringLiteral("COMPLETED"), 15000);
        // The filters follow.
        window->jobsPage()->setStateFilter(StateFilter::Completed);
        QCOMPARE(window->jobsPage()->proxy()->rowCount(), 3);
        window->jobsPage()->setStateFilter(StateFilter::Running);
        QCOMPARE(window->jobsPage()->proxy()->rowCount(), 0);
        window->jobsPage()->setStateFilter(StateFilter::All);
    }

    void serverRefusalKeepsTheForm() {
        SubmitDialog *form = window->openSubmitDialog();
        form->findChild<QPlainTextEdit *>(QStringLiteral("formScript"))
            ->setPlainText(QStringLiteral("#!/bin/bash\necho x\n"));
        form->findChild<QSpinBox *>(QStringLiteral("formCpus"))->setValue(64); // more than any node
        form->submit();
        QTRY_VERIFY_WITH_TIMEOUT(form->errorText().contains(QStringLiteral("job.cpus_per_task")),
                                 5000);
        QVERIFY(form->isVisible());
        QCOMPARE(form->findChild<QSpinBox *>(QStringLiteral("formCpus"))->value(), 64);
        form->reject();
    }

    // Duplicate opens the form, filled in from the job, with what the form has no field for
    // carried along.
    void duplicateOpensTheFilledForm() {
        const auto r = server.post(
            QStringLiteral("/v1/clusters/%1/jobs/submit").arg(window->currentClusterId()),
            {{"script", "#!/bin/bash\necho twice\n"},
             {"job",
              {{"name", "dup-me"},
               {"tasks", 2},
               {"comment", "from the first"},
               {"current_working_directory", "/tmp"},
               {"environment", {"PATH=/usr/bin:/bin"}}}}});
        QCOMPARE(r.status, 201);
        const qint64 id = r.json["job_id"].get<qint64>();
        QTRY_VERIFY_WITH_TIMEOUT(jobById(id) != nullptr, 10000);
        Q_EMIT window->jobsPage()->duplicateRequested(*jobById(id));
        SubmitDialog *d = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((d = window->findChild<SubmitDialog *>()) != nullptr, 10000);
        QCOMPARE(d->mode(), SubmitDialog::FormMode);
        QCOMPARE(d->findChild<QLineEdit *>(QStringLiteral("formName"))->text(),
                 QStringLiteral("dup-me"));
        QCOMPARE(d->findChild<QSpinBox *>(QStringLiteral("formTasks"))->value(), 2);
        QCOMPARE(d->findChild<QPlainTextEdit *>(QStringLiteral("formScript"))->toPlainText(),
                 QStringLiteral("#!/bin/bash\necho twice\n"));
        QCOMPARE(d->draft().extra.value("comment", ""), std::string("from the first"));
        d->reject();
        QTRY_VERIFY(!window->findChild<SubmitDialog *>());
    }

    void jobLifecycleAndLiveLog() {
        // A job holding both CPUs keeps the next one PENDING (Resources) in the table.
        const auto blocker = server.post(
            QStringLiteral("/v1/clusters/%1/jobs/submit").arg(window->currentClusterId()),
            {{"script", "#!/bin/bash\nsleep 1.5\n"},
             {"job",
              {{"name", "blocker"},
               {"cpus_per_task", 2},
               {"current_working_directory", "/tmp"},
               {"environment", {"PATH=/usr/bin:/bin"}}}}});
        QCOMPARE(blocker.status, 201);
        const auto r = server.post(
            QStringLiteral("/v1/clusters/%1/jobs/submit").arg(window->currentClusterId()),
            {{"script",
              "#!/bin/bash\nsleep 1\nfor i in 1 2 3 4 5; do echo tick $i; sleep 0.3; done\n"},
             {"job",
              {{"name", "ticker"},
               {"cpus_per_task", 2},
               {"current_working_directory", "/tmp"},
               {"environment", {"PATH=/usr/bin:/bin"}}}}});
        const qint64 id = r.json["job_id"].get<qint64>();
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), QStringLiteral("PENDING"), 5000);
        window->jobsPage()->setStateFilter(StateFilter::Pending);
        QTRY_COMPARE_WITH_TIMEOUT(window->jobsPage()->proxy()->rowCount(), 1, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(jobById(id)->reason, QStringLiteral("Resources"), 5000);
        window->jobsPage()->setStateFilter(StateFilter::All);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), QStringLiteral("RUNNING"), 10000);
        window->viewLog(*jobById(id));
        QCOMPARE(window->tabs()->currentWidget(), static_cast<QWidget *>(window->logPanel()));
        QTRY_VERIFY_WITH_TIMEOUT(window->logPanel()->text().contains(QStringLiteral("tick 2")),
                                 10000);
        QVERIFY(
            !window->logPanel()->text().contains(QStringLiteral("tick 5"))); // seen while it runs
        QTRY_VERIFY_WITH_TIMEOUT(window->logPanel()
                                     ->findChild<QLabel *>(QStringLiteral("logStatus"))
                                     ->text()
                                     .contains(QStringLiteral("exit code 0")),
                                 10000);
        QCOMPARE(window->logPanel()->text(),
                 QStringLiteral("tick 1\ntick 2\ntick 3\ntick 4\ntick 5\n"));
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), QStringLiteral("COMPLETED"), 10000);
    }

    // A progress bar redrawn with carriage returns reads as its last state, as in a terminal;
    // Save writes the bytes as the job wrote them.
    void progressBarsReadAsInATerminal() {
        const auto r = server.post(
            QStringLiteral("/v1/clusters/%1/jobs/submit").arg(window->currentClusterId()),
            {{"script", "#!/bin/bash\nprintf 'fetch  10%%\\r'; sleep 0.6; printf 'fetch  55%%\\r'; "
                        "sleep 1.5; printf 'fetch 100%%\\nwin\\r\\nabcdef\\rXY\\ndone'\n"},
             {"job",
              {{"name", "progress"},
               {"current_working_directory", "/tmp"},
               {"environment", {"PATH=/usr/bin:/bin"}}}}});
        QCOMPARE(r.status, 201);
        const qint64 id = r.json["job_id"].get<qint64>();
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), QStringLiteral("RUNNING"), 10000);
        window->viewLog(*jobById(id));
        LogPanel *panel = window->logPanel();
        QTRY_VERIFY_WITH_TIMEOUT(panel->text().contains(QStringLiteral("55%")), 10000);
        QCOMPARE(panel->text(), QStringLiteral("fetch  55%"));
        QTRY_VERIFY_WITH_TIMEOUT(panel->findChild<QLabel *>(QStringLiteral("logStatus"))
                                     ->text()
                                     .contains(QStringLiteral("exit code 0")),
                                 10000);
        QCOMPARE(panel->text(), QStringLiteral("fetch 100%\nwin\nXYcdef\ndone"));

        auto *feed = panel->findChild<JobLogFeed *>();
        QVERIFY(feed);
        QSignalSpy saved(feed, &JobLogFeed::saved);
        const QString path =
            QDir::temp().filePath(QStringLiteral("clusterra-progress-%1.out").arg(id));
        feed->saveTo(path);
        QVERIFY(saved.wait(10000));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(),
                 QByteArray("fetch  10%\rfetch  55%\rfetch 100%\nwin\r\nabcdef\rXY\ndone"));
        file.remove();
    }

    // The job empties its own log while it is shown: the panel says so and shows what follows.
    void aTruncatedLogIsAnnounced() {
        const QString path = QDir::temp().filePath(
            QStringLiteral("clusterra-trunc-%1.log").arg(QDateTime::currentMSecsSinceEpoch()));
        const auto r = server.post(
            QStringLiteral("/v1/clusters/%1/jobs/submit").arg(window->currentClusterId()),
            {{"script", "#!/bin/bash\nseq 1 200\nsleep 1.5\ntruncate -s 0 " + path.toStdString() +
                            "\nsleep 0.3\necho fresh start\n"},
             {"job",
              {{"name", "rotate"},
               {"standard_output", path.toStdString()},
               {"current_working_directory", "/tmp"},
               {"environment", {"PATH=/usr/bin:/bin"}}}}});
        QCOMPARE(r.status, 201);
        const qint64 id = r.json["job_id"].get<qint64>();
        QTRY_VERIFY_WITH_TIMEOUT(jobById(id), 10000);
        QSignalSpy restarted(window->logPanel()->findChild<JobLogFeed *>(), &JobLogFeed::restarted);
        window->viewLog(*jobById(id));
        LogPanel *panel = window->logPanel();
        QTRY_VERIFY_WITH_TIMEOUT(panel->text().contains(QStringLiteral("\n200\n")), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(restarted.size(), 1, 10000);
        QCOMPARE(restarted.first().at(0).toString(), QStringLiteral("truncated"));
        QTRY_COMPARE_WITH_TIMEOUT(panel->text(), QStringLiteral("fresh start\n"), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(panel->findChild<QLabel *>(QStringLiteral("logStatus"))
                                     ->text()
                                     .contains(QStringLiteral("exit code 0")),
                                 10000);
        QFile::remove(path);
    }

    // The server restarts while the log streams: every line arrives once, in order.
    void logSurvivesServerRestart() {
        const auto r = server.post(
            QStringLiteral("/v1/clusters/%1/jobs/submit").arg(window->currentClusterId()),
            {{"script", "#!/bin/bash\nfor i in $(seq 1 30); do echo line $i; sleep 0.1; done\n"},
             {"job",
              {{"name", "restart-me"},
               {"current_working_directory", "/tmp"},
               {"environment", {"PATH=/usr/bin:/bin"}}}}});
        const qint64 id = r.json["job_id"].get<qint64>();
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), QStringLiteral("RUNNING"), 10000);
        window->viewLog(*jobById(id));
        QTRY_VERIFY_WITH_TIMEOUT(window->logPanel()->text().contains(QStringLiteral("line 3\n")),
                                 10000);
        QVERIFY(server.restartOnSamePort());
        QTRY_VERIFY_WITH_TIMEOUT(window->logPanel()
                                     ->findChild<QLabel *>(QStringLiteral("logStatus"))
                                     ->text()
                                     .contains(QStringLiteral("exit code 0")),
                                 20000);
        QString expected;
        for (int i = 1; i <= 30; ++i)
            expected += QStringLiteral("line %1\n").arg(i);
        QCOMPARE(window->logPanel()->text(), expected);
    }

    // Output far faster than a text document could take it: the window keeps running its
    // event loop throughout, and the view holds every one of the newest lines the buffer
    // keeps, in order, nothing skipped, memory under the buffer's bound, following the end.
    void aFloodOfOutputIsShownInFull() {
        const auto r = server.post(
            QStringLiteral("/v1/clusters/%1/jobs/submit").arg(window->currentClusterId()),
            {{"script", "#!/bin/bash\nseq -f 'flood %07.0f' 1 300000\n"},
             {"job",
              {{"name", "flood"},
               {"current_working_directory", "/tmp"},
               {"environment", {"PATH=/usr/bin:/bin"}}}}});
        QCOMPARE(r.status, 201);
        const qint64 id = r.json["job_id"].get<qint64>();
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), QStringLiteral("COMPLETED"), 20000);
        LogPanel *panel = window->logPanel();
        auto *tail = panel->findChild<QComboBox *>(QStringLiteral("logTail"));
        auto *status = panel->findChild<QLabel *>(QStringLiteral("logStatus"));
        {
            QSignalBlocker quiet(tail);
            tail->setCurrentIndex(tail->findData(-1)); // the whole log
        }
        int passes = 0;
        QTimer idle;
        connect(&idle, &QTimer::timeout, this, [&] { ++passes; });
        idle.start(0);
        window->viewLog(*jobById(id));
        QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("exit code 0")), 20000);
        idle.stop();
        QVERIFY2(passes > 20, qPrintable(QString::number(passes)));
        LogView *view = panel->view();
        const LogBuffer &buffer = view->buffer();
        QCOMPARE(buffer.lineCount(), buffer.maxLines());
        QCOMPARE(buffer.droppedLines(), 300000 - buffer.maxLines());
        QVERIFY(buffer.charCount() <= buffer.maxChars());
        for (qsizetype i = 0; i < buffer.lineCount(); ++i) {
            const QString want =
                QStringLiteral("flood %1")
                    .arg(300000 - buffer.maxLines() + 1 + i, 7, 10, QLatin1Char('0'));
            if (buffer.line(i) != want)
                QFAIL(qPrintable(QStringLiteral("line %1: %2").arg(i).arg(buffer.line(i))));
        }
        QVERIFY(panel->text().endsWith(QStringLiteral("flood 0300000\n")));
        const QScrollBar *bar = view->verticalScrollBar();
        QTRY_COMPARE(bar->value(), bar->maximum()); // still following the end
        QVERIFY(view->isFollowing());
        QVERIFY(view->isLineVisible(buffer.lineCount() - 1));
        {
            QSignalBlocker quiet(tail);
            tail->setCurrentIndex(1);
        }
    }

    // The server goes away for longer than any retry while a log streams: the window stays,
    // says it is offline, and picks everything up again by itself when the server is back.
    void serverGoneAndBack() {
        const auto r = server.post(
            QStringLiteral("/v1/clusters/%1/jobs/submit").arg(window->currentClusterId()),
            {{"script", "#!/bin/bash\nfor i in $(seq 1 40); do echo gone $i; sleep 0.25; done\n"},
             {"job",
              {{"name", "outlives-the-server"},
               {"current_working_directory", "/tmp"},
               {"environment", {"PATH=/usr/bin:/bin"}}}}});
        const qint64 id = r.json["job_id"].get<qint64>();
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), QStringLiteral("RUNNING"), 10000);
        window->viewLog(*jobById(id));
        QTRY_VERIFY_WITH_TIMEOUT(window->logPanel()->text().contains(QStringLiteral("gone 2\n")),
                                 10000);
        QCOMPARE(server.stop(), 0);
        // Every sync (clusters, jobs, events, nodes) fails against a closed port for a while.
        QTRY_VERIFY_WITH_TIMEOUT(window->connectionText().contains(QStringLiteral("Offline")),
                                 15000);
        QTest::qWait(6000);
        QVERIFY(window->isVisible());
        QVERIFY(window->connectionText().contains(QStringLiteral("retrying")));
        QVERIFY(server.startOnSamePort());
        QTRY_VERIFY_WITH_TIMEOUT(window->connectionText().contains(QStringLiteral("Connected")),
                                 30000);
        QTRY_VERIFY_WITH_TIMEOUT(window->logPanel()
                                     ->findChild<QLabel *>(QStringLiteral("logStatus"))
                                     ->text()
                                     .contains(QStringLiteral("exit code 0")),
                                 30000);
        QString expected;
        for (int i = 1; i <= 40; ++i)
            expected += QStringLiteral("gone %1\n").arg(i);
        QCOMPARE(window->logPanel()->text(), expected);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), QStringLiteral("COMPLETED"), 20000);
    }

    void cancelThroughConfirmation() {
        const auto r = server.post(
            QStringLiteral("/v1/clusters/%1/jobs/submit").arg(window->currentClusterId()),
            {{"script", "#!/bin/bash\nsleep 300\n"},
             {"job",
              {{"name", "sleeper"},
               {"current_working_directory", "/tmp"},
               {"environment", {"PATH=/usr/bin:/bin"}}}}});
        const qint64 id = r.json["job_id"].get<qint64>();
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), QStringLiteral("RUNNING"), 10000);
        Confirm::setNextAnswer(false);
        window->cancelJob(*jobById(id));
        QVERIFY(Confirm::lastQuestion().contains(QStringLiteral("%1 (sleeper)").arg(id)));
        QTest::qWait(500);
        QCOMPARE(stateOf(id), QStringLiteral("RUNNING")); // "no" does nothing
        Confirm::setNextAnswer(true);
        window->cancelJob(*jobById(id));
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), QStringLiteral("CANCELLED"), 10000);
    }

    // Two of three jobs selected, Delete pressed: one question naming both, and only those two
    // end; Enter on one row opens its details.
    void multiSelectCancelAndEnter() {
        const auto submit = [&](const char *name) {
            const auto r = server.post(
                QStringLiteral("/v1/clusters/%1/jobs/submit").arg(window->currentClusterId()),
                {{"script", "#!/bin/bash\nsleep 300\n"},
                 {"job",
                  {{"name", name},
                   {"current_working_directory", "/tmp"},
                   {"environment", {"PATH=/usr/bin:/bin"}}}}});
            return r.json["job_id"].get<qint64>();
        };
        const qint64 a = submit("first"), b = submit("second"), c = submit("third");
        QTRY_VERIFY_WITH_TIMEOUT(jobById(a) && jobById(b) && jobById(c), 10000);
        window->jobsPage()->setStateFilter(StateFilter::All);
        QTableView *table = window->jobsPage()->table();
        table->clearSelection();
        for (const qint64 id : {a, c}) {
            const int row = window->jobs()->rowOf(id);
            const QModelIndex idx =
                window->jobsPage()->proxy()->mapFromSource(window->jobs()->index(row, 0));
            table->selectionModel()->select(idx, QItemSelectionModel::Select |
                                                     QItemSelectionModel::Rows);
        }
        QCOMPARE(window->jobsPage()->selectedJobs().size(), 2);
        window->tabs()->setCurrentIndex(MainWindow::JobsTab);
        table->setFocus();
        QApplication::setActiveWindow(window);
        Confirm::setNextAnswer(true);
        QTest::keyClick(table, Qt::Key_Delete);
        const QString asked = Confirm::lastQuestion();
        QVERIFY2(asked.contains(QStringLiteral("%1 (first)").arg(a)), qPrintable(asked));
        QVERIFY2(asked.contains(QStringLiteral("%1 (third)").arg(c)), qPrintable(asked));
        QVERIFY(!asked.contains(QStringLiteral("second")));
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(a), QStringLiteral("CANCELLED"), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(c), QStringLiteral("CANCELLED"), 10000);
        QVERIFY(stateOf(b) == QStringLiteral("RUNNING") || stateOf(b) == QStringLiteral("PENDING"));

        window->jobsPage()->selectJob(b);
        table->selectRow(table->currentIndex().row());
        QTest::keyClick(table, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(window->findChild<JobDetailsDialog *>(), 10000);
        delete window->findChild<JobDetailsDialog *>();
        Confirm::setNextAnswer(true);
        window->cancelJob(*jobById(b));
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(b), QStringLiteral("CANCELLED"), 10000);
    }

    void eventsAppearLive() {
        QTableView *events = window->eventsPanel()->table();
        QTRY_VERIFY_WITH_TIMEOUT(events->model()->rowCount() >= 5, 10000);
        bool sawCancel = false;
        for (int r = 0; r < events->model()->rowCount(); ++r)
            sawCancel = sawCancel || events->model()->index(r, 2).data().toString().contains(
                                         QStringLiteral("CANCELLED"));
        QVERIFY(sawCancel);
    }

    // Tab, hidden columns and the cluster come back in a new window.
    // Ctrl+F has one owner: on the Logs tab it opens the log's find bar (two owners made it
    // ambiguous, and then it did nothing); Esc closes the bar.
    void ctrlFOnTheLogsTabOpensFind() {
        window->tabs()->setCurrentIndex(MainWindow::LogsTab);
        LogPanel *panel = window->logPanel();
        panel->view()->setFocus();
        QApplication::setActiveWindow(window);
        auto *text = panel->findChild<QLineEdit *>(QStringLiteral("logFindText"));
        QVERIFY(!text->isVisible());
        QTest::keySequence(panel->view(), QKeySequence::Find);
        QTRY_VERIFY(text->isVisible());
        QTest::keyClick(text, Qt::Key_Escape);
        QVERIFY(!text->isVisible());
        window->tabs()->setCurrentIndex(MainWindow::JobsTab);
    }

    void layoutIsRemembered() {
        window->tabs()->setCurrentIndex(MainWindow::EventsTab);
        window->jobsPage()->table()->horizontalHeader()->setSectionHidden(JobTableModel::Priority,
                                                                          true);
        const QString cluster = window->currentClusterId();
        window->close();
        MainWindow second(api);
        second.start(QStringLiteral("test"), QStringLiteral("test"),
                     UserInfo{1, QStringLiteral("admin@localhost"), QStringLiteral("admin"), {}});
        QCOMPARE(second.tabs()->currentIndex(), int(MainWindow::EventsTab));
        QVERIFY(second.jobsPage()->table()->horizontalHeader()->isSectionHidden(
            JobTableModel::Priority));
        QTRY_COMPARE_WITH_TIMEOUT(second.currentClusterId(), cluster, 10000);
        window->show();
    }

    void connectionIndicator() {
        QTRY_VERIFY_WITH_TIMEOUT(window->connectionText().contains(QStringLiteral("Connected")),
                                 5000);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
