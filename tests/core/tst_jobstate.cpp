#include "core/base/JobState.h"
#include "core/util/Time.h"

#include <QDateTime>

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

    // The fast path and QDateTime agree, and other RFC 3339 forms still parse.
    void timestamps_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("canonical") << QStringLiteral("2026-11-22T01:02:03.456Z");
        QTest::newRow("leap day") << QStringLiteral("2024-02-29T23:59:59.999Z");
        QTest::newRow("epoch") << QStringLiteral("1970-01-01T00:00:00.000Z");
        QTest::newRow("offset") << QStringLiteral("2026-11-22T03:02:03+02:00");
        QTest::newRow("no fraction") << QStringLiteral("2026-11-22T01:02:03Z");
    }

    void timestamps() {
        QFETCH(QString, text);
        QCOMPARE(parseTimestampMs(text).value_or(-1),
                 QDateTime::fromString(text, Qt::ISODateWithMs).toMSecsSinceEpoch());
        QCOMPARE(parseTimestampMs(toRfc3339(1763773323456)).value_or(-1), qint64(1763773323456));
        QVERIFY(!parseTimestampMs(QStringLiteral("2026-13-22T01:02:03.456Z")).has_value());
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
