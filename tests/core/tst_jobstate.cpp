#include "slurm/JobState.h"

#include <QTest>

using namespace clusterra;

class TestJobState : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void filters_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("filter");
        QTest::newRow("running") << QStringLiteral("RUNNING") << QStringLiteral("RUNNING");
        QTest::newRow("completing") << QStringLiteral("COMPLETING") << QStringLiteral("RUNNING");
        QTest::newRow("suspended") << QStringLiteral("SUSPENDED") << QStringLiteral("RUNNING");
        QTest::newRow("pending") << QStringLiteral("PENDING") << QStringLiteral("PENDING");
        QTest::newRow("pending list")
            << QStringLiteral("PENDING,REQUEUED") << QStringLiteral("PENDING");
        QTest::newRow("completed") << QStringLiteral("completed") << QStringLiteral("COMPLETED");
        QTest::newRow("failed") << QStringLiteral("FAILED") << QStringLiteral("FAILED");
        QTest::newRow("cancelled") << QStringLiteral("CANCELLED") << QStringLiteral("FAILED");
        QTest::newRow("cancelled by uid")
            << QStringLiteral("CANCELLED by 0") << QStringLiteral("FAILED");
        QTest::newRow("timeout") << QStringLiteral("TIMEOUT") << QStringLiteral("FAILED");
        QTest::newRow("node fail") << QStringLiteral("NODE_FAIL") << QStringLiteral("FAILED");
        QTest::newRow("oom") << QStringLiteral("OUT_OF_MEMORY") << QStringLiteral("FAILED");
        QTest::newRow("short code") << QStringLiteral("PD") << QStringLiteral("PENDING");
        QTest::newRow("unknown") << QStringLiteral("REVOKED") << QStringLiteral("UNKNOWN");
    }

    void filters() {
        QFETCH(QString, name);
        QFETCH(QString, filter);
        QCOMPARE(stateFilterName(stateFilterOf(jobStateFromName(name))), filter);
    }

    void finished() {
        QVERIFY(isFinished(JobState::Completed));
        QVERIFY(isFinished(JobState::Timeout));
        QVERIFY(!isFinished(JobState::Running));
        QVERIFY(!isFinished(JobState::Unknown));
        QCOMPARE(statesOf(StateFilter::Pending), QList<JobState>{JobState::Pending});
    }
};

QTEST_GUILESS_MAIN(TestJobState)
#include "tst_jobstate.moc"
