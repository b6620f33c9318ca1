#include "models/JobFilterProxy.h"
#include "models/JobTableModel.h"
#include "widgets/JobsPage.h"

#include <QApplication>
#include <QHeaderView>
#include <QHelpEvent>
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
