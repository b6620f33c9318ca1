// The event feed as a person reads it: words for kinds, the Jobs table's shapes and colours
// for the same meanings, times relative to now with the exact one on hover.
#include "models/EventListModel.h"
#include "models/EventLook.h"

#include <QDateTime>
#include <QGuiApplication>
#include <QSignalSpy>
#include <QTest>

using namespace clusterra;

namespace {
EventInfo makeEvent(qint64 seq, const QString &kind, nlohmann::json data = nlohmann::json::object(),
                    const QString &severity = QStringLiteral("info")) {
    EventInfo e;
    e.seq = seq;
    e.kind = kind;
    e.severity = severity;
    e.timeMs = 1'800'000'000'000;
    e.message = QStringLiteral("message %1").arg(seq);
    e.data = std::move(data);
    return e;
}
} // namespace

class TestEventListModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void labelsAndLooks_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("label");
        QTest::addColumn<int>("look"); // -1: none
        QTest::newRow("completed") << "job.state_changed"
                                   << "COMPLETED"
                                   << "Job completed" << int(StateLook::Completed);
        QTest::newRow("failed") << "job.state_changed"
                                << "FAILED"
                                << "Job failed" << int(StateLook::Failed);
        QTest::newRow("timeout") << "job.state_changed"
                                 << "TIMEOUT"
                                 << "Job timed out" << int(StateLook::Failed);
        // A cancel is grey, as in the Jobs table, not a failure.
        QTest::newRow("cancelled") << "job.state_changed"
                                   << "CANCELLED"
                                   << "Job cancelled" << int(StateLook::Cancelled);
        QTest::newRow("running") << "job.state_changed"
                                 << "RUNNING"
                                 << "Job started" << int(StateLook::Running);
        QTest::newRow("deploy failed") << "cluster.deploy_failed"
                                       << ""
                                       << "Deployment failed" << int(StateLook::Failed);
        QTest::newRow("updated") << "cluster.updated"
                                 << ""
                                 << "Cluster changed" << -1;
        QTest::newRow("unknown kind") << "scaling.something_new"
                                      << ""
                                      << "scaling.something_new" << -1;
    }
    void labelsAndLooks() {
        QFETCH(QString, kind);
        QFETCH(QString, to);
        QFETCH(QString, label);
        QFETCH(int, look);
        const EventLook got = eventLookOf(makeEvent(
            1, kind,
            to.isEmpty() ? nlohmann::json::object() : nlohmann::json{{"to", to.toStdString()}}));
        QCOMPARE(got.label, label);
        QCOMPARE(got.look ? int(*got.look) : -1, look);
    }

    void connectionEventsSayWhichWay() {
        QCOMPARE(eventLookOf(makeEvent(1, QStringLiteral("cluster.connection_changed"),
                                       {{"connection_state", "disconnected"}}))
                     .label,
                 QStringLiteral("Unreachable"));
        QCOMPARE(eventLookOf(makeEvent(1, QStringLiteral("cluster.connection_changed"),
                                       {{"connection_state", "connected"}}))
                     .label,
                 QStringLiteral("Reachable again"));
    }

    void relativeTimes() {
        const QDateTime now(QDate(2026, 12, 7), QTime(15, 0));
        const qint64 n = now.toMSecsSinceEpoch();
        QCOMPARE(relativeTime(n - 10'000, n), QStringLiteral("just now"));
        QCOMPARE(relativeTime(n + 5'000, n), QStringLiteral("just now")); // a clock ahead
        QCOMPARE(relativeTime(n - 5 * 60'000, n), QStringLiteral("5 min ago"));
        QCOMPARE(relativeTime(n - 2 * 3'600'000, n), QStringLiteral("2 h ago"));
        QVERIFY(relativeTime(n - 8 * 3'600'000, n).startsWith(QStringLiteral("today ")));
        QVERIFY(relativeTime(n - 24 * 3'600'000, n).startsWith(QStringLiteral("yesterday ")));
        QVERIFY(!relativeTime(n - 40LL * 24 * 3'600'000, n).contains(QStringLiteral("ago")));
    }

    // The model shows the label with a shape, the raw kind and the exact time on hover, and
    // moving the clock changes the time column alone.
    void modelShowsWordsAndMovesTimeOn() {
        EventListModel model;
        qint64 now = 1'800'000'000'000 + 10'000;
        model.setClock([&now] { return now; });
        model.append({makeEvent(1, QStringLiteral("job.state_changed"), {{"to", "FAILED"}},
                                QStringLiteral("warning")),
                      makeEvent(2, QStringLiteral("cluster.updated"))});
        QCOMPARE(model.index(0, EventListModel::Kind).data().toString(),
                 QStringLiteral("Job failed"));
        QCOMPARE(model.index(0, EventListModel::Kind).data(Qt::ToolTipRole).toString(),
                 QStringLiteral("job.state_changed"));
        QVERIFY(
            !model.index(0, EventListModel::Kind).data(Qt::DecorationRole).value<QIcon>().isNull());
        QVERIFY(model.index(1, EventListModel::Kind).data(Qt::DecorationRole).isNull());
        QCOMPARE(model.index(0, EventListModel::Message).data(Qt::ForegroundRole).value<QColor>(),
                 stateColor(StateLook::Failed, QGuiApplication::palette()));
        QCOMPARE(model.index(0, EventListModel::Time).data().toString(),
                 QStringLiteral("just now"));
        QVERIFY(model.index(0, EventListModel::Time)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("2027")));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        now += 10 * 60'000;
        model.refreshTimes();
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed[0][0].toModelIndex().column(), int(EventListModel::Time));
        QCOMPARE(changed[0][1].toModelIndex().column(), int(EventListModel::Time));
        QCOMPARE(changed[0][1].toModelIndex().row(), 1);
        QCOMPARE(model.index(0, EventListModel::Time).data().toString(),
                 QStringLiteral("10 min ago"));
    }
};

QTEST_MAIN(TestEventListModel)
#include "tst_eventlistmodel.moc"
