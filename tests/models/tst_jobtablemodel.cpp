#include "models/ClusterListModel.h"
#include "models/EventListModel.h"
#include "models/JobFilterProxy.h"
#include "models/JobLogFeed.h"
#include "models/JobTableModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace clusterra;

namespace {
JobInfo job(qint64 id, JobState state, qint64 updated,
            const QString &name = QStringLiteral("job")) {
    JobInfo j;
    j.jobId = id;
    j.name = name;
    j.user = QStringLiteral("ada@example.com");
    j.partition = QStringLiteral("local");
    j.state = state;
    j.stateName = jobStateName(state);
    j.updatedAt = updated;
    j.cpus = 2;
    return j;
}
} // namespace

class TestJobTableModel : public QObject {
    Q_OBJECT
    JobTableModel *model = nullptr;
    JobFilterProxy *proxy = nullptr;
    QAbstractItemModelTester *tester = nullptr;
    QAbstractItemModelTester *proxyTester = nullptr;

private Q_SLOTS:
    // The testers live for the whole suite: every change below is checked as it happens.
    void initTestCase() {
        model = new JobTableModel(this);
        proxy = new JobFilterProxy(model, this);
        tester = new QAbstractItemModelTester(
            model, QAbstractItemModelTester::FailureReportingMode::QtTest, this);
        proxyTester = new QAbstractItemModelTester(
            proxy, QAbstractItemModelTester::FailureReportingMode::QtTest, this);
    }

    void insertsThenUpdatesInPlace() {
        QSignalSpy inserted(model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(model, &QAbstractItemModel::dataChanged);
        QSignalSpy reset(model, &QAbstractItemModel::modelReset);
        model->upsert({job(1, JobState::Pending, 10), job(2, JobState::Pending, 11),
                       job(3, JobState::Running, 12)});
        QCOMPARE(model->rowCount(), 3);
        QCOMPARE(inserted.size(), 1); // one insert for the batch
        const QPersistentModelIndex watched = model->index(1, JobTableModel::Name);
        model->upsert({job(2, JobState::Running, 20), job(4, JobState::Completed, 21)});
        QCOMPARE(model->rowCount(), 4);
        QCOMPARE(reset.size(), 0);
        QVERIFY(changed.size() >= 1);
        QVERIFY(watched.isValid()); // selection-like references survive
        QCOMPARE(watched.row(), 1);
        QCOMPARE(model->index(1, JobTableModel::State).data().toString(),
                 QStringLiteral("RUNNING"));
        // An unchanged row emits nothing.
        changed.clear();
        model->upsert({job(2, JobState::Running, 20)});
        QCOMPARE(changed.size(), 0);
    }

    void countsFollowStates() {
        QCOMPARE(model->count(StateFilter::All), 4);
        QCOMPARE(model->count(StateFilter::Running), 2);
        QCOMPARE(model->count(StateFilter::Pending), 1);
        QCOMPARE(model->count(StateFilter::Completed), 1);
        QSignalSpy counts(model, &JobTableModel::countsChanged);
        model->upsert({job(1, JobState::Cancelled, 30)});
        QCOMPARE(counts.size(), 1);
        QCOMPARE(model->count(StateFilter::Failed), 1);
        QCOMPARE(model->count(StateFilter::Pending), 0);
    }

    void stateFilterAndSearch() {
        model->upsert({job(5, JobState::Timeout, 40, QStringLiteral("gromacs-big")),
                       job(6, JobState::NodeFail, 41), job(7, JobState::Unknown, 42)});
        proxy->setStateFilter(StateFilter::Failed);
        QCOMPARE(proxy->rowCount(), 3); // CANCELLED, TIMEOUT, NODE_FAIL
        proxy->setStateFilter(StateFilter::Unknown);
        QCOMPARE(proxy->rowCount(), 1);
        proxy->setStateFilter(StateFilter::All);
        proxy->setSearchText(QStringLiteral("GROMACS"));
        QCOMPARE(proxy->rowCount(), 1);
        QCOMPARE(proxy->index(0, JobTableModel::JobId).data(JobTableModel::JobIdRole).toLongLong(),
                 qint64(5));
        proxy->setSearchText(QString());
        QCOMPARE(proxy->rowCount(), 7);
    }

    // Array rows read as squeue writes them, whichever scheduler made them, and searching for
    // "42_" lists the array; a job from outside Clusterra says so.
    void arraysAndOutsideJobsReadAsSqueue() {
        JobTableModel jobs;
        JobFilterProxy view(&jobs);
        JobInfo rest = job(42, JobState::Pending, 1, QStringLiteral("sweep"));
        rest.arrayJobId = 42;
        rest.arrayTaskString = QStringLiteral("5-9%2");
        JobInfo task = job(45, JobState::Running, 2, QStringLiteral("sweep"));
        task.arrayJobId = 42;
        task.arrayTaskId = 3;
        JobInfo taskZero = job(46, JobState::Completed, 3, QStringLiteral("sweep"));
        taskZero.arrayJobId = 42;
        taskZero.arrayTaskId = 0;
        JobInfo outside = job(420, JobState::Running, 4, QStringLiteral("from-sbatch"));
        outside.user = outside.slurmUser = QStringLiteral("grace");
        outside.submittedOutside = true;
        jobs.upsert({rest, task, taskZero, outside});
        const auto cell = [&](int row, int column, int role = Qt::DisplayRole) {
            return jobs.index(row, column).data(role).toString();
        };
        QCOMPARE(cell(0, JobTableModel::JobId), QStringLiteral("42_[5-9%2]"));
        QCOMPARE(cell(1, JobTableModel::JobId), QStringLiteral("45 (42_3)"));
        QCOMPARE(cell(2, JobTableModel::JobId), QStringLiteral("46 (42_0)"));
        QCOMPARE(cell(3, JobTableModel::JobId), QStringLiteral("420"));
        QVERIFY(cell(1, JobTableModel::JobId, Qt::ToolTipRole).contains(u"Task 3 of array job 42"));
        QCOMPARE(cell(3, JobTableModel::User), QStringLiteral("grace (outside)"));
        QVERIFY(cell(3, JobTableModel::User, Qt::ToolTipRole).contains(u"only administrators"));
        QVERIFY(cell(1, JobTableModel::User, Qt::ToolTipRole).isEmpty());
        view.setSearchText(QStringLiteral("42_"));
        QCOMPARE(view.rowCount(), 3);
        view.setSearchText(QStringLiteral("42_3"));
        QCOMPARE(view.rowCount(), 1);
        QCOMPARE(view.index(0, 0).data(JobTableModel::JobIdRole).toLongLong(), qint64(45));
        view.setSearchText(QStringLiteral("420"));
        QCOMPARE(view.rowCount(), 1);
    }

    void sortsNumericallyOnRawValues() {
        model->upsert({job(10, JobState::Pending, 50), job(9, JobState::Pending, 51),
                       job(100, JobState::Pending, 52)});
        proxy->sort(JobTableModel::JobId, Qt::AscendingOrder);
        QList<qint64> ids;
        for (int r = 0; r < proxy->rowCount(); ++r)
            ids << proxy->index(r, 0).data(JobTableModel::JobIdRole).toLongLong();
        QVERIFY(std::is_sorted(ids.begin(), ids.end()));
        QCOMPARE(ids.last(), qint64(100)); // "100" < "9" as text, not as a number
        proxy->sort(-1);
    }

    // squeue's NODES and NODELIST(REASON), the exit code of a finished job, and a cancel that
    // is counted as a cancel (while the FAILED tab still lists it).
    void columnsReadAsSqueueDoes() {
        JobTableModel m;
        JobInfo waiting = job(1, JobState::Pending, 1);
        waiting.reason = QStringLiteral("Priority");
        waiting.nodeCount = 2;
        JobInfo running = job(2, JobState::Running, 1);
        running.nodes = QStringLiteral("node[01-02]");
        running.nodeCount = 2;
        JobInfo killed = job(3, JobState::Failed, 1);
        killed.exitCode = 0;
        killed.exitSignal = 9;
        JobInfo stopped = job(4, JobState::Cancelled, 1);
        m.upsert({waiting, running, killed, stopped});
        const auto cell = [&](int row, int column) {
            return m.index(row, column).data().toString();
        };
        QCOMPARE(cell(0, JobTableModel::NodeCount), QStringLiteral("2"));
        QCOMPARE(cell(0, JobTableModel::NodeList), QStringLiteral("(Priority)"));
        QCOMPARE(cell(1, JobTableModel::NodeList), QStringLiteral("node[01-02]"));
        QCOMPARE(cell(2, JobTableModel::ExitCode), QStringLiteral("signal 9"));
        QCOMPARE(cell(1, JobTableModel::ExitCode), QString()); // not ended
        QVERIFY(!m.index(0, JobTableModel::State).data(Qt::DecorationRole).isNull());
        QCOMPARE(m.count(StateFilter::Failed), 2);
        QCOMPARE(m.cancelledCount(), 1);
        // Resubmitted and cancelled again, then completed: the counts follow the rows.
        JobInfo done = stopped;
        done.state = JobState::Completed;
        done.stateName = jobStateName(done.state);
        done.updatedAt = 2;
        m.upsert({done});
        QCOMPARE(m.cancelledCount(), 0);
        QCOMPARE(m.count(StateFilter::Failed), 1);
        QVERIFY(JobTableModel::hiddenByDefault(JobTableModel::SubmitTime));
        QVERIFY(!JobTableModel::hiddenByDefault(JobTableModel::State));
        QCOMPARE(int(JobTableModel::State), 1); // right after the id
    }

    void runTimeTicks() {
        JobInfo running = job(20, JobState::Running, 60);
        running.startTimeMs = 1000000;
        model->upsert({running});
        model->setNow(1000000 + 3723 * 1000);
        const int row = model->rowOf(20);
        QCOMPARE(model->index(row, JobTableModel::RunTime).data().toString(),
                 QStringLiteral("01:02:03"));
        QCOMPARE(
            model->index(row, JobTableModel::RunTime).data(JobTableModel::SortRole).toLongLong(),
            qint64(3723));
        QCOMPARE(model->index(row, JobTableModel::TimeLimit).data().toString(),
                 QStringLiteral("UNLIMITED"));
    }

    void holdsAHundredThousandJobs() {
        QList<JobInfo> many;
        many.reserve(100000);
        for (int i = 0; i < 100000; ++i)
            many.append(job(1000 + i, i % 3 ? JobState::Completed : JobState::Pending, 100 + i));
        model->upsert(many);
        QCOMPARE(model->count(StateFilter::All), 100000 + 11);
        proxy->setStateFilter(StateFilter::Pending);
        QVERIFY(proxy->rowCount() > 33000);
        proxy->setStateFilter(StateFilter::All);
        model->clear();
        QCOMPARE(model->rowCount(), 0);
    }

    void clustersDiff() {
        ClusterListModel clusters;
        QAbstractItemModelTester t(&clusters,
                                   QAbstractItemModelTester::FailureReportingMode::QtTest);
        ClusterInfo a, b;
        a.id = QStringLiteral("c1");
        a.name = QStringLiteral("alpha");
        b.id = QStringLiteral("c2");
        b.name = QStringLiteral("beta");
        a.state = QStringLiteral("preparing");
        clusters.setClusters({a, b});
        QSignalSpy changed(&clusters, &QAbstractItemModel::dataChanged);
        a.state = QStringLiteral("ready");
        clusters.setClusters({a});
        QCOMPARE(clusters.rowCount(), 1);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(clusters.index(0).data(ClusterListModel::StateRole).toString(),
                 QStringLiteral("ready"));
    }

    void eventsCapAndDedupe() {
        EventListModel events(3);
        QAbstractItemModelTester t(&events, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QList<EventInfo> batch;
        for (int i = 1; i <= 5; ++i) {
            EventInfo e;
            e.seq = i;
            e.kind =
                i % 2 ? QStringLiteral("job.state_changed") : QStringLiteral("cluster.updated");
            batch << e;
        }
        events.append(batch);
        events.append(batch); // the same events again (a reconnect): ignored
        QCOMPARE(events.rowCount(), 3);
        QCOMPARE(events.lastSeq(), qint64(5));
        EventKindProxy proxy;
        proxy.setSourceModel(&events);
        proxy.setKindPrefix(QStringLiteral("job."));
        QCOMPARE(proxy.rowCount(), 2);
    }

    void ansiStripped_data() {
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("out");
        QTest::newRow("colour") << QStringLiteral("\x1B[31mred\x1B[0m ok")
                                << QStringLiteral("red ok");
        QTest::newRow("bold+colour")
            << QStringLiteral("\x1B[1;32mgreen\x1B[m") << QStringLiteral("green");
        QTest::newRow("cursor") << QStringLiteral("a\x1B[2Kb\x1B[1A") << QStringLiteral("ab");
        QTest::newRow("title") << QStringLiteral("\x1B]0;title\x07text") << QStringLiteral("text");
        QTest::newRow("plain") << QStringLiteral("no escapes [31m")
                               << QStringLiteral("no escapes [31m");
    }

    void ansiStripped() {
        QFETCH(QString, in);
        QFETCH(QString, out);
        QCOMPARE(stripAnsi(in), out);
    }
};

QTEST_MAIN(TestJobTableModel)
#include "tst_jobtablemodel.moc"
