// Node health as Overview lists it: states read with the Jobs table's shapes and colours, and a
// refresh that changes one node changes one row.
#include "models/NodeListModel.h"

#include <QSignalSpy>
#include <QTest>

using namespace clusterra;

namespace {
NodeInfo node(const QString &name, const QString &state, int alloc = 0) {
    NodeInfo n;
    n.name = name;
    n.state = state;
    n.cpus = 8;
    n.allocCpus = alloc;
    n.memoryMb = 32 * 1024;
    n.allocMemoryMb = 4 * 1024;
    return n;
}
} // namespace

class TestNodeListModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void statesLookAsTheirMeaning() {
        QCOMPARE(nodeStateLook(QStringLiteral("IDLE")), StateLook::Completed);
        QCOMPARE(nodeStateLook(QStringLiteral("MIXED")), StateLook::Running);
        QCOMPARE(nodeStateLook(QStringLiteral("allocated")), StateLook::Running);
        QCOMPARE(nodeStateLook(QStringLiteral("DOWN")), StateLook::Failed);
        QCOMPARE(nodeStateLook(QStringLiteral("DRAIN")), StateLook::Failed);
        QCOMPARE(nodeStateLook(QStringLiteral("POWERED_DOWN")), StateLook::Cancelled);
        QCOMPARE(nodeStateLook(QStringLiteral("POWERING_UP")), StateLook::Pending);
        QCOMPARE(nodeStateLook(QStringLiteral("FUTURE")), StateLook::Unknown);
    }

    void cellsSayAllocatedOfTotal() {
        NodeListModel model;
        NodeInfo down = node(QStringLiteral("n2"), QStringLiteral("DOWN"));
        down.reason = QStringLiteral("Not responding");
        model.setNodes({node(QStringLiteral("n1"), QStringLiteral("MIXED"), 3), down});
        QCOMPARE(model.index(0, NodeListModel::Cpus).data().toString(), QStringLiteral("3 / 8"));
        QCOMPARE(model.index(0, NodeListModel::Memory).data().toString(),
                 QStringLiteral("4.0 / 32.0 GiB"));
        QCOMPARE(model.index(0, NodeListModel::Gpus).data().toString(), QStringLiteral("none"));
        QCOMPARE(model.index(1, NodeListModel::Reason).data().toString(),
                 QStringLiteral("Not responding"));
        QVERIFY(!model.index(1, NodeListModel::State).data(Qt::DecorationRole).isNull());
        QCOMPARE(model.stateCounts().value(QStringLiteral("DOWN")), 1);
    }

    void oneChangedNodeChangesOneRow() {
        NodeListModel model;
        model.setNodes({node(QStringLiteral("n1"), QStringLiteral("IDLE")),
                        node(QStringLiteral("n2"), QStringLiteral("IDLE"))});
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setNodes({node(QStringLiteral("n1"), QStringLiteral("IDLE")),
                        node(QStringLiteral("n2"), QStringLiteral("MIXED"), 2)});
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed[0][0].toModelIndex().row(), 1);
        QCOMPARE(reset.size(), 0);
        model.setNodes({node(QStringLiteral("n1"), QStringLiteral("IDLE"))});
        QCOMPARE(reset.size(), 1);
        QCOMPARE(model.rowCount(), 1);
    }
};

QTEST_MAIN(TestNodeListModel)
#include "tst_nodelistmodel.moc"
