#include "models/JobFilterProxy.h"
#include "models/JobTableModel.h"
#include "widgets/JobDetailsDialog.h"
#include "widgets/JobsPage.h"
#include "widgets/OverviewPage.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QHelpEvent>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QTest>
#include <QToolButton>
#include <QToolTip>

using namespace clusterra;

namespace {
JobInfo job(qint64 id, JobState state, const QString &name = QStringLiteral("job")) {
    JobInfo j;
    j.jobId = id;
    j.name = name;
    j.user = QStringLiteral("ada@example.com");
    j.partition = QStringLiteral("local");
    j.state = state;
    j.stateName = jobStateName(state);
    j.updatedAt = 1;
    return j;
}
} // namespace

class TestJobsPage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // "1 Failed" after a cancel misled: a cancel is counted as a cancel.
    void aCancelIsCountedAsACancel() {
        JobTableModel model;
        JobsPage page(&model);
        model.upsert({job(1, JobState::Cancelled), job(2, JobState::Failed),
                      job(3, JobState::Timeout), job(4, JobState::Running)});
        const auto counter = [&](const char *name) {
            auto *b =
                page.findChild<QToolButton *>(QStringLiteral("counter") + QLatin1String(name));
            return b ? b->text() : QString();
        };
        QCOMPARE(counter("FAILED"), QStringLiteral("2\nFailed"));
        QCOMPARE(counter("CANCELLED"), QStringLiteral("1\nCancelled"));
        QCOMPARE(counter("RUNNING"), QStringLiteral("1\nRunning"));
        // The Failed tab lists the cancel too, and the cancelled counter leads there.
        page.findChild<QToolButton *>(QStringLiteral("counterCANCELLED"))->click();
        QCOMPARE(page.proxy()->rowCount(), 3);
    }

    void stateComesRightAfterTheIdAndTimesAreOptional() {
        JobTableModel model;
        JobsPage page(&model);
        QHeaderView *header = page.table()->horizontalHeader();
        QCOMPARE(header->visualIndex(JobTableModel::State), 1);
        QVERIFY(!header->isSectionHidden(JobTableModel::NodeCount));
        QVERIFY(!header->isSectionHidden(JobTableModel::NodeList));
        QVERIFY(header->isSectionHidden(JobTableModel::SubmitTime));
        QVERIFY(header->isSectionHidden(JobTableModel::ExitCode));
    }

    // Nothing selected, an ended job, a running one: the buttons say what they would do, or
    // why they cannot; Ctrl+C copies every selected id.
    void theSelectionBarSaysWhatItCanDo() {
        JobTableModel model;
        JobsPage page(&model);
        model.upsert({job(1, JobState::Completed), job(2, JobState::Running)});
        auto *cancel = page.findChild<QAction *>(QStringLiteral("cancelAction"));
        auto *details = page.findChild<QAction *>(QStringLiteral("detailsAction"));
        QVERIFY(cancel && details);
        QVERIFY(!cancel->isEnabled());
        QVERIFY(cancel->toolTip().contains(u"Select"));
        page.selectJob(1);
        page.table()->selectRow(page.table()->currentIndex().row());
        QVERIFY(!cancel->isEnabled());
        QVERIFY(cancel->toolTip().contains(u"ended already"));
        QVERIFY(details->isEnabled());
        page.table()->selectAll();
        QCOMPARE(page.selectedJobs().size(), 2);
        QVERIFY(cancel->isEnabled());
        QVERIFY(!details->isEnabled()); // one job at a time
        QList<JobInfo> asked;
        connect(&page, &JobsPage::cancelRequested, this,
                [&](const QList<JobInfo> &jobs) { asked = jobs; });
        cancel->trigger();
        QCOMPARE(asked.size(), 1); // the ended job is left out
        QCOMPARE(asked.first().jobId, qint64(2));
        page.findChild<QAction *>(QStringLiteral("copyIdsAction"))->trigger();
        const QStringList copiedFirst = QApplication::clipboard()->text().split(QLatin1Char(' '));
        // Another cluster: the table empties, and the bar must not act on what was selected.
        model.clear();
        QTRY_VERIFY(!cancel->isEnabled());
        QCOMPARE(page.findChild<QLabel *>(QStringLiteral("selectionCount"))->text(),
                 QStringLiteral("No job selected"));
        QApplication::clipboard()->setText(copiedFirst.join(QLatin1Char(' ')));
        const QStringList copied = QApplication::clipboard()->text().split(QLatin1Char(' '));
        QCOMPARE(copied.size(), 2);
        QVERIFY(copied.contains(QStringLiteral("1")) && copied.contains(QStringLiteral("2")));
    }

    void theDetailsDialogActsOnItsJob() {
        JobDetailsDialog running(job(7, JobState::Running));
        auto *cancel = running.findChild<QPushButton *>(QStringLiteral("detailsCancel"));
        QVERIFY(cancel && cancel->isEnabled());
        qint64 asked = 0;
        connect(&running, &JobDetailsDialog::cancelRequested, this,
                [&](const JobInfo &j) { asked = j.jobId; });
        cancel->click();
        QCOMPARE(asked, qint64(7));
        QCOMPARE(running.result(), int(QDialog::Accepted));

        JobInfo ended = job(8, JobState::Completed);
        ended.exitCode = 0;
        ended.exitSignal = 9;
        JobDetailsDialog done(ended);
        QVERIFY(!done.findChild<QPushButton *>(QStringLiteral("detailsCancel"))->isEnabled());
        QStringList texts;
        for (const QLabel *l : done.findChildren<QLabel *>())
            texts << l->text();
        QVERIFY(texts.contains(QStringLiteral("killed by signal 9")));
        QVERIFY(texts.join(u'|').contains(u"the partition's default memory"));
    }

    // The summary cards wrap rather than widen the window (at 12 pt six cards did not fit 1024).
    void theOverviewCardsWrap() {
        OverviewPage page;
        page.resize(1600, 500);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QCOMPARE(page.cardColumns(), 6);
        page.resize(450, 500);
        QTRY_VERIFY(page.cardColumns() < 6);
        QVERIFY(page.minimumSizeHint().width() <= 450);
    }

    // A cell too narrow for its text shows all of it on hover; a cell that fits shows none.
    void aCutCellShowsItsWholeTextOnHover() {
        JobTableModel model;
        JobsPage page(&model);
        page.resize(900, 400);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        const QString longName = QStringLiteral("a-very-long-job-name-that-no-column-shows-whole");
        model.upsert({job(1, JobState::Running, longName), job(2, JobState::Running)});
        QTableView *table = page.table();
        table->setColumnWidth(JobTableModel::Name, 60);
        const auto rowOf = [&](qint64 id) {
            for (int r = 0; r < page.proxy()->rowCount(); ++r)
                if (page.proxy()->index(r, 0).data(JobTableModel::JobIdRole).toLongLong() == id)
                    return r;
            return -1;
        };
        const auto hover = [&](qint64 id) {
            QToolTip::hideText(); // it goes after a short delay
            if (!QTest::qWaitFor([] { return !QToolTip::isVisible(); }))
                return QStringLiteral("(the last tooltip stayed)");
            const QRect cell =
                table->visualRect(page.proxy()->index(rowOf(id), JobTableModel::Name));
            QHelpEvent help(QEvent::ToolTip, cell.center(),
                            table->viewport()->mapToGlobal(cell.center()));
            QApplication::sendEvent(table->viewport(), &help);
            return QToolTip::isVisible() ? QToolTip::text() : QString();
        };
        QCOMPARE(hover(1), longName);
        QCOMPARE(hover(2), QString());
        table->setColumnWidth(JobTableModel::Name, 600);
        QCOMPARE(hover(1), QString());
    }
};

QTEST_MAIN(TestJobsPage)
#include "tst_jobspage.moc"
