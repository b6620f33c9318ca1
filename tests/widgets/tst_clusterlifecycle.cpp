// The cluster's life after the wizard, driven through the main window against a real
// clusterra-server: edit, scale, deletion protection, delete with the typed name, and a failed
// deployment shown as a banner that retries.
#include "core/client/ApiClient.h"
#include "models/ClusterListModel.h"
#include "models/NodeListModel.h"
#include "tests/server/TestServer.h"
#include "widgets/ClusterActions.h"
#include "widgets/ClusterEditDialog.h"
#include "widgets/ClusterWizard.h"
#include "widgets/DeleteClusterDialog.h"
#include "widgets/MainWindow.h"
#include "widgets/OverviewPage.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QTest>
#include <QToolButton>

using namespace clusterra;
using nlohmann::json;

class TestClusterLifecycle : public QObject {
    Q_OBJECT
    TestServer server;
    ApiClient *api = nullptr;
    MainWindow *window = nullptr;

    QString clusterPath(const QString &id) const { return QStringLiteral("/v1/clusters/") + id; }
    // Selects the cluster in the sidebar, as a click would, and waits for its actions to follow.
    void choose(const QString &id) {
        QTRY_VERIFY_WITH_TIMEOUT(window->clusters()->rowOf(id) >= 0, 10000);
        window->selectCluster(id);
        QTRY_COMPARE_WITH_TIMEOUT(window->currentClusterId(), id, 5000);
    }
    template <typename Dialog> Dialog *openDialog() {
        Dialog *d = nullptr;
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT((d = window->findChild<Dialog *>()) != nullptr, 5000);
        }();
        return d;
    }

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QVERIFY(server.start());
        api = new ApiClient(this);
        api->setBaseUrl(QUrl(server.url()));
        api->setAccessToken(server.token());
        window = new MainWindow(api);
        window->start(QStringLiteral("test"), QStringLiteral("test"),
                      UserInfo{1, QStringLiteral("admin@localhost"), QStringLiteral("admin"), {}});
        window->show();
        QApplication::setActiveWindow(window);
        QTRY_VERIFY_WITH_TIMEOUT(window->dataLoaded(), 10000);
    }

    void cleanupTestCase() { delete window; }

    // The Cluster menu, the sidebar's context menu and Overview's Actions hold the same actions.
    void oneSetOfActionsInThreePlaces() {
        QMenu *menu = window->menuBar()->findChild<QMenu *>(QStringLiteral("clusterMenu"));
        QVERIFY(menu);
        QVERIFY(menu->actions().contains(window->clusterActions()->deleteAction()));
        auto *context = window->findChild<QMenu *>(QStringLiteral("clusterContextMenu"));
        QVERIFY(context && context->actions().contains(window->clusterActions()->scaleAction()));
        auto *button =
            window->overviewPage()->findChild<QToolButton *>(QStringLiteral("overviewActions"));
        QVERIFY(button && button->menu());
        QVERIFY(button->menu()->actions().contains(window->clusterActions()->retryAction()));
    }

    // Overview lists the cluster's nodes with their state, read from the server.
    void overviewListsTheNodes() {
        const QString id = server.readyCluster(QStringLiteral("with-nodes"));
        choose(id);
        window->tabs()->setCurrentWidget(window->overviewPage());
        const NodeListModel *nodes = window->overviewPage()->nodes();
        QTRY_COMPARE_WITH_TIMEOUT(nodes->rowCount(), 1, 10000);
        QCOMPARE(nodes->at(0).state, QStringLiteral("IDLE"));
        QVERIFY(nodes->at(0).cpus >= 1);
        QVERIFY(window->overviewPage()
                    ->findChild<QLabel *>(QStringLiteral("nodeHealthTitle"))
                    ->text()
                    .contains(QStringLiteral("IDLE: 1")));
        QCOMPARE(server.request("DELETE", clusterPath(id)).status, 202);
        QTRY_VERIFY_WITH_TIMEOUT(window->clusters()->rowOf(id) < 0, 10000);
    }

    void editDescriptionAndProtection() {
        const QString id = server.readyCluster(QStringLiteral("edit-me"));
        choose(id);
        QTRY_VERIFY(window->clusterActions()->editAction()->isEnabled());
        window->clusterActions()->editAction()->trigger();
        auto *d = openDialog<ClusterEditDialog>();
        auto *save = d->findChild<QPushButton *>(QStringLiteral("editSave"));
        QVERIFY(!save->isEnabled()); // nothing changed yet
        d->findChild<QLineEdit *>(QStringLiteral("editDescription"))
            ->setText(QStringLiteral("Genome assembly, ask Ada"));
        d->findChild<QCheckBox *>(QStringLiteral("editProtection"))->setChecked(true);
        QVERIFY(save->isEnabled());
        // Only what changed travels.
        QVERIFY(d->patch().toJson() ==
                json({{"description", "Genome assembly, ask Ada"}, {"deletion_protection", true}}));
        save->click();
        QTRY_VERIFY_WITH_TIMEOUT(!window->findChild<ClusterEditDialog *>(), 10000);
        const json stored = server.get(clusterPath(id)).json;
        QCOMPARE(stored.value("description", ""), std::string("Genome assembly, ask Ada"));
        QVERIFY(stored.value("deletion_protection", false));
        QTRY_VERIFY(window->clusterActions()->protectAction()->isChecked());
        // The toggle in the menu turns it off again, through the server.
        window->clusterActions()->protectAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(
            !server.get(clusterPath(id)).json.value("deletion_protection", true), 10000);
        QTRY_VERIFY(!window->clusters()->find(id)->deletionProtection);
    }

    void scalePartitions() {
        const QString id = server.readyCluster(QStringLiteral("scale-me"));
        choose(id);
        QTRY_VERIFY(window->clusterActions()->scaleAction()->isEnabled());
        window->clusterActions()->scaleAction()->trigger();
        auto *d = openDialog<ClusterEditDialog>();
        auto *min = d->findChild<QSpinBox *>(QStringLiteral("min_local"));
        auto *max = d->findChild<QSpinBox *>(QStringLiteral("max_local"));
        QVERIFY(min && max);
        QVERIFY(max->hasFocus() || QApplication::focusWidget() == max ||
                d->focusWidget() == max); // Scale opens at the numbers
        max->setValue(4);
        min->setValue(2);
        // The maximum cannot be set under the minimum: the refused pair cannot be entered.
        max->setValue(1);
        QCOMPARE(max->value(), 2);
        max->setValue(4);
        QVERIFY(d->patch().toJson() ==
                json({{"partitions",
                       {{{"name", "local"}, {"min_node_count", 2}, {"max_node_count", 4}}}}}));
        d->findChild<QPushButton *>(QStringLiteral("editSave"))->click();
        QTRY_VERIFY_WITH_TIMEOUT(!window->findChild<ClusterEditDialog *>(), 10000);
        const json p = server.get(clusterPath(id)).json["partitions"][0];
        QCOMPARE(p.value("min_node_count", 0), 2);
        QCOMPARE(p.value("max_node_count", 0), 4);
    }

    // A refusal names the partition rather than "partitions[0]" and keeps what was typed.
    void refusalShownAtThePartition() {
        const QString id = server.readyCluster(QStringLiteral("refuse-me"));
        choose(id);
        auto *d = window->clusterActions()->openEdit(true);
        QVERIFY(d);
        d->findChild<QSpinBox *>(QStringLiteral("max_local"))->setValue(7);
        ApiError e = ApiError::validation(QStringLiteral("partitions[0].max_node_count"),
                                          QStringLiteral("must be at most 5."));
        d->showError(e);
        QCOMPARE(d->errorText(), QStringLiteral("Partition local: must be at most 5."));
        QCOMPARE(d->findChild<QSpinBox *>(QStringLiteral("max_local"))->value(), 7);
        d->reject();
    }

    void deleteNeedsTheTypedNameAndSaysWhyProtected() {
        const QString id = server.readyCluster(QStringLiteral("doomed"));
        QCOMPARE(server.request("PATCH", clusterPath(id), {{"deletion_protection", true}}).status,
                 200);
        choose(id);
        QTRY_VERIFY(window->clusters()->find(id)->deletionProtection);
        window->clusterActions()->deleteAction()->trigger();
        auto *d = openDialog<DeleteClusterDialog>();
        auto *confirm = d->findChild<QPushButton *>(QStringLiteral("deleteConfirm"));
        auto *typed = d->findChild<QLineEdit *>(QStringLiteral("deleteTypedName"));
        auto *unprotect = d->findChild<QCheckBox *>(QStringLiteral("deleteUnprotect"));
        QVERIFY(d->findChild<QLabel *>(QStringLiteral("deleteProtected")));
        QVERIFY(unprotect);
        QVERIFY(!confirm->isEnabled());
        QVERIFY(typed->hasFocus() || d->focusWidget() == typed);
        QTest::keyClicks(typed, QStringLiteral("doome"));
        QVERIFY(!confirm->isEnabled());
        QTest::keyClick(typed, Qt::Key_D);
        QVERIFY(!confirm->isEnabled()); // protection is still on
        unprotect->setChecked(true);
        QVERIFY(confirm->isEnabled());
        // Enter in the field neither deletes nor closes: only the button deletes.
        QTest::keyClick(typed, Qt::Key_Return);
        QTest::qWait(200);
        QVERIFY(d->isVisible());
        QCOMPARE(server.get(clusterPath(id)).status, 200);
        confirm->click();
        QTRY_VERIFY_WITH_TIMEOUT(server.get(clusterPath(id)).status == 404, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(window->clusters()->rowOf(id) < 0, 10000);
        QVERIFY(window->currentClusterId() != id);
    }

    QString stateOf(const QString &id) const {
        const ClusterInfo *c = window->clusters()->find(id);
        return c ? c->state : QString();
    }

    // A Slurm that did not answer: the failure is a banner with its reason and a Retry that
    // deploys it again.
    void failedClusterShowsABannerThatRetries() {
        const auto r =
            server.post(QStringLiteral("/v1/clusters"), testjobs::unreachableSlurmBody("not-yet"));
        QCOMPARE(r.status, 201);
        const QString id = QString::fromStdString(r.json.value("id", ""));
        choose(id);
        OverviewPage *overview = window->overviewPage();
        QTRY_VERIFY_WITH_TIMEOUT(
            overview->bannerText().contains(QStringLiteral("Deployment failed")), 15000);
        QVERIFY2(overview->bannerText().contains(QStringLiteral("127.0.0.1:9")) ||
                     overview->bannerText().contains(QStringLiteral("did not answer")),
                 qPrintable(overview->bannerText()));
        auto *retry = overview->findChild<QPushButton *>(QStringLiteral("bannerRetry"));
        QTRY_VERIFY(retry->isVisibleTo(overview) && retry->isEnabled());
        QSignalSpy answered(window->clusterActions(), &ClusterActions::changed);
        retry->click();
        QVERIFY(!retry->isEnabled()); // one retry at a time
        // Back to preparing at once (the server's answer), then failed again by the provider.
        QTRY_COMPARE_WITH_TIMEOUT(answered.size(), 1, 5000);
        QCOMPARE(answered[0][0].value<ClusterInfo>().state, QStringLiteral("preparing"));
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), QStringLiteral("failed"), 15000);
        int retries = 0;
        const json events = server.get(clusterPath(id) + QStringLiteral("/events")).json;
        for (const auto &e : events["events"])
            retries += e["kind"] == "cluster.retrying";
        QCOMPARE(retries, 1);
        QTRY_VERIFY(retry->isEnabled());
    }

    // A provider this server can never deploy with is not offered a retry, and says why.
    void noRetryWhereItWouldFailTheSameWay() {
        const auto r =
            server.post(QStringLiteral("/v1/clusters"), testjobs::awsClusterBody("cloudy"));
        QCOMPARE(r.status, 201);
        const QString id = QString::fromStdString(r.json.value("id", ""));
        choose(id);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), QStringLiteral("failed"), 10000);
        QAction *retry = window->clusterActions()->retryAction();
        QTRY_VERIFY(!retry->isEnabled());
        QVERIFY2(retry->toolTip().contains(QStringLiteral("AWS credentials")),
                 qPrintable(retry->toolTip()));
        QVERIFY(window->clusterActions()->deleteAction()->isEnabled());
    }

    // Someone who may not change clusters sees the actions off and is told why.
    void actionsOffForOrdinaryUsersWithTheReason() {
        window->setAccount(UserInfo{2, QStringLiteral("ada@localhost"), QStringLiteral("user"), {}},
                           false, {}, QString());
        for (QAction *a :
             {window->clusterActions()->editAction(), window->clusterActions()->deleteAction()}) {
            QVERIFY(!a->isEnabled());
            QVERIFY(a->toolTip().contains(QStringLiteral("administrator")));
        }
        auto *retry =
            window->overviewPage()->findChild<QPushButton *>(QStringLiteral("bannerRetry"));
        QVERIFY(!retry->isEnabled());
        window->setAccount(
            UserInfo{1, QStringLiteral("admin@localhost"), QStringLiteral("admin"), {}}, false, {},
            QString());
        QVERIFY(window->clusterActions()->editAction()->isEnabled());
    }

    // Signed out, the status bar does not say "Connected" under the banner.
    void statusBarTellsOneTruth() {
        QTRY_VERIFY_WITH_TIMEOUT(window->connectionText().contains(QStringLiteral("Connected")),
                                 10000);
        window->setSignedIn(false);
        QCOMPARE(window->connectionText(), QStringLiteral("○ Signed out"));
        window->setSignedIn(true);
        QVERIFY(!window->connectionText().contains(QStringLiteral("Signed out")));
    }

    // The wizard offers what the server can deploy; AWS stays listed, off, with the reason.
    void wizardOffersOnlyServableProviders() {
        ClusterWizard *wizard = window->openClusterWizard();
        auto *note = wizard->findChild<QLabel *>(QStringLiteral("providerNote"));
        QTRY_VERIFY_WITH_TIMEOUT(!note->isHidden(), 5000);
        QVERIFY(note->text().contains(QStringLiteral("AWS credentials")));
        auto *combo = wizard->findChild<QComboBox *>(QStringLiteral("clusterProvider"));
        auto *items = qobject_cast<QStandardItemModel *>(combo->model());
        const int aws = combo->findData(QStringLiteral("aws"));
        QVERIFY(aws >= 0 && !items->item(aws)->isEnabled());
        QVERIFY(items->item(combo->findData(QStringLiteral("local")))->isEnabled());
        QCOMPARE(combo->currentData().toString(), QStringLiteral("local"));
        wizard->reject();
    }
};

QTEST_MAIN(TestClusterLifecycle)
#include "tst_clusterlifecycle.moc"
