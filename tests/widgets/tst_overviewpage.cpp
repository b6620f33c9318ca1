// Overview reads what is in use of what there is, and a cluster that is not simply ready says
// so in a banner, not as plain text under its name.
#include "models/ClusterListModel.h"
#include "widgets/OverviewPage.h"

#include <QAction>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace clusterra;

namespace {
ClusterInfo cluster() {
    ClusterInfo c;
    c.id = QStringLiteral("clus1");
    c.name = QStringLiteral("genomics");
    c.state = QStringLiteral("ready");
    c.connectionState = QStringLiteral("connected");
    c.nodes = 4;
    c.idleNodes = 1;
    c.cpus = 64;
    c.allocCpus = 40;
    c.memoryMb = 256 * 1024;
    c.allocMemoryMb = 64 * 1024;
    c.jobsRunning = 5;
    c.jobsPending = 12;
    PartitionInfo p;
    p.name = QStringLiteral("compute");
    p.nodeType = QStringLiteral("c6g.large");
    p.isDefault = true;
    p.totalNodes = 4;
    p.availNodes = 2;
    p.minNodes = 1;
    p.maxNodes = 8;
    p.totalCpus = 64;
    p.maxTimeMinutes = 24 * 60;
    PartitionInfo q = p;
    q.name = QStringLiteral("debug");
    q.isDefault = false;
    q.defaultTimeMinutes = 30;
    q.maxTimeMinutes.reset();
    c.partitions = {p, q};
    return c;
}

QString card(const OverviewPage &page, const char *name) {
    return page.findChild<QLabel *>(QString::fromLatin1(name))->text();
}
} // namespace

class TestOverviewPage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void cardsShowInUseOfTotal() {
        OverviewPage page;
        page.setCluster(cluster());
        QCOMPARE(card(page, "cardIdleNodes"), QStringLiteral("1 / 4"));
        QCOMPARE(card(page, "cardCpus"), QStringLiteral("40 / 64"));
        QCOMPARE(card(page, "cardMemory"), QStringLiteral("64.0 / 256.0 GiB"));
        QCOMPARE(card(page, "cardGpus"), QStringLiteral("none")); // no GPU at all, not "0 / 0"
        QCOMPARE(card(page, "cardRunning"), QStringLiteral("5"));
        QCOMPARE(card(page, "cardPending"), QStringLiteral("12"));
        ClusterInfo gpu = cluster();
        gpu.gpus = 8;
        gpu.allocGpus = 6;
        page.setCluster(gpu);
        QCOMPARE(card(page, "cardGpus"), QStringLiteral("6 / 8"));
    }

    void partitionsAsSinfoReadsThem() {
        OverviewPage page;
        page.setCluster(cluster());
        const QAbstractItemModel *m =
            page.findChild<QTableView *>(QStringLiteral("partitionTable"))->model();
        const auto cell = [m](int row, int column) {
            return m->index(row, column).data().toString();
        };
        QCOMPARE(cell(0, PartitionTableModel::Name), QStringLiteral("compute (default)"));
        QCOMPARE(cell(0, PartitionTableModel::AvailTotal), QStringLiteral("2 / 4"));
        QCOMPARE(cell(0, PartitionTableModel::MinMax), QStringLiteral("1 / 8"));
        QCOMPARE(cell(0, PartitionTableModel::MaxTime), QStringLiteral("1-00:00:00"));
        // No default of its own: a job gets the maximum.
        QCOMPARE(cell(0, PartitionTableModel::DefaultTime), QStringLiteral("1-00:00:00"));
        QCOMPARE(cell(1, PartitionTableModel::DefaultTime), QStringLiteral("00:30:00"));
        QCOMPARE(cell(1, PartitionTableModel::MaxTime), QStringLiteral("UNLIMITED"));
        QCOMPARE(cell(0, PartitionTableModel::State), QStringLiteral("UP"));
    }

    void bannerForWhatIsNotReady() {
        OverviewPage page;
        QAction retryAction, deleteAction;
        page.setBannerActions(&retryAction, &deleteAction);
        page.setCluster(cluster());
        QVERIFY(page.bannerText().isEmpty());
        ClusterInfo failed = cluster();
        failed.state = QStringLiteral("failed");
        failed.stateReason = QStringLiteral("slurmrestd at 10.0.0.5:6820 refused the token");
        page.setCluster(failed);
        QVERIFY(page.bannerText().contains(QStringLiteral("Deployment failed")));
        QVERIFY(page.bannerText().contains(QStringLiteral("refused the token")));
        auto *retry = page.findChild<QPushButton *>(QStringLiteral("bannerRetry"));
        QVERIFY(!retry->isHidden() && retry->isEnabled());
        // The reason is text, not markup: a reason from the server cannot style the page.
        failed.stateReason = QStringLiteral("<b>bold</b>");
        page.setCluster(failed);
        QVERIFY(page.bannerText().contains(QStringLiteral("&lt;b&gt;")));
        ClusterInfo lost = cluster();
        lost.connectionState = QStringLiteral("disconnected");
        page.setCluster(lost);
        QVERIFY(page.bannerText().contains(QStringLiteral("Unreachable")));
        QVERIFY(retry->isHidden()); // nothing to retry: the server keeps trying
        // The buttons are the actions: off, and explained, when they are.
        page.setCluster(failed);
        retryAction.setToolTip(QStringLiteral("It would fail the same way"));
        retryAction.setEnabled(false);
        QVERIFY(!retry->isEnabled());
        QCOMPARE(retry->toolTip(), QStringLiteral("It would fail the same way"));
        QSignalSpy deleted(&deleteAction, &QAction::triggered);
        page.findChild<QPushButton *>(QStringLiteral("bannerDelete"))->click();
        QCOMPARE(deleted.size(), 1);
    }
};

QTEST_MAIN(TestOverviewPage)
#include "tst_overviewpage.moc"
