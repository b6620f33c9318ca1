// The submit dialog against a real clusterra-server: Form and Raw JSON carry one job across
// tab switches, Ctrl+Enter submits from the script editor, and the server's warnings are read
// before the dialog closes.
#include "core/client/ApiClient.h"
#include "core/client/ClusterCalls.h"
#include "tests/server/TestServer.h"
#include "widgets/SubmitDialog.h"

#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

using namespace clusterra;

class TestSubmitDialog : public QObject {
    Q_OBJECT
    TestServer server{{QStringLiteral("--local-cpus"), QStringLiteral("2")}};
    ApiClient *api = nullptr;
    ClusterInfo cluster;

    template <typename T> T *field(SubmitDialog &d, const char *name) {
        return d.findChild<T *>(QString::fromLatin1(name));
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(server.start());
        api = new ApiClient(this);
        api->setBaseUrl(QUrl(server.url()));
        api->setAccessToken(server.token());
        const QString id = server.readyCluster(QStringLiteral("submit-here"));
        bool done = false;
        api->clusters().list(this, [&](const QList<ClusterInfo> &list, const ApiError &) {
            for (const auto &c : list)
                if (c.id == id)
                    cluster = c;
            done = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
        QCOMPARE(cluster.id, id);
    }

    void theJobSurvivesTabSwitches() {
        SubmitDialog d(api, cluster);
        field<QLineEdit>(d, "formName")->setText(QStringLiteral("carried"));
        field<QLineEdit>(d, "formArray")->setText(QStringLiteral("1-3"));
        field<QSpinBox>(d, "formTime")->setValue(15);
        d.setMode(SubmitDialog::RawMode);
        QString raw = d.rawText();
        QVERIFY2(raw.contains(QStringLiteral("\"carried\"")), qPrintable(raw));
        QVERIFY(raw.contains(QStringLiteral("\"1-3\"")));
        // Edited in JSON: a new name, and a key the form has no field for.
        raw.replace(QStringLiteral("\"carried\""),
                    QStringLiteral("\"renamed\", \"comment\": \"kept\""));
        d.setRawText(raw);
        d.setMode(SubmitDialog::FormMode);
        QCOMPARE(field<QLineEdit>(d, "formName")->text(), QStringLiteral("renamed"));
        QCOMPARE(field<QSpinBox>(d, "formTime")->value(), 15);
        QVERIFY(field<QLabel>(d, "formNote")->text().contains(QStringLiteral("comment")));
        d.setMode(SubmitDialog::RawMode);
        QVERIFY(d.rawText().contains(QStringLiteral("\"kept\"")));
    }

    // JSON the form cannot show leaves the form as it was, says so, and is itself never
    // replaced by the form.
    void brokenJsonKeepsTheFormAndItself() {
        SubmitDialog d(api, cluster);
        field<QLineEdit>(d, "formName")->setText(QStringLiteral("safe"));
        d.setMode(SubmitDialog::RawMode);
        const QString broken = QStringLiteral("{ \"job\": ");
        d.setRawText(broken);
        d.setMode(SubmitDialog::FormMode);
        QCOMPARE(field<QLineEdit>(d, "formName")->text(), QStringLiteral("safe"));
        QVERIFY(field<QLabel>(d, "formNote")->text().contains(QStringLiteral("keeps what it had")));
        field<QLineEdit>(d, "formName")->setText(QStringLiteral("edited meanwhile"));
        d.setMode(SubmitDialog::RawMode);
        QCOMPARE(d.rawText(), broken);
    }

    // Unedited views are not rewritten, and the Template tab in between does not break the
    // link between Form and Raw JSON.
    void throughTheTemplateTabAndBack() {
        SubmitDialog d(api, cluster);
        d.setMode(SubmitDialog::RawMode);
        const QString written = d.rawText();
        d.setMode(SubmitDialog::FormMode);
        d.setMode(SubmitDialog::RawMode);
        QCOMPARE(d.rawText(), written); // nothing edited: exactly as it was
        d.setMode(SubmitDialog::FormMode);
        field<QLineEdit>(d, "formName")->setText(QStringLiteral("via-template"));
        d.setMode(SubmitDialog::TemplateMode);
        d.setMode(SubmitDialog::RawMode);
        QVERIFY(d.rawText().contains(QStringLiteral("via-template")));
        d.setRawText(d.rawText().replace(QStringLiteral("via-template"), QStringLiteral("back")));
        d.setMode(SubmitDialog::TemplateMode);
        d.setMode(SubmitDialog::FormMode);
        QCOMPARE(field<QLineEdit>(d, "formName")->text(), QStringLiteral("back"));
    }

    // What the form cannot act on or does not offer still travels as asked: a partition this
    // cluster lacks, a dependency on a cluster that runs jobs itself.
    void whatTheFormCannotShowTravelsAsAsked() {
        SubmitDialog d(api, cluster);
        JobDraft draft;
        draft.partition = QStringLiteral("gpu-big");
        draft.dependency = QStringLiteral("afterok:7");
        d.setDraft(draft);
        const nlohmann::json job = d.draft().toJson()["job"];
        QCOMPARE(job.value("partition", ""), std::string("gpu-big"));
        QCOMPARE(job.value("dependency", ""), std::string("afterok:7"));
        QVERIFY(field<QLabel>(d, "formNote")->text().contains(QStringLiteral("dependency")));
        QVERIFY(d.errorText().contains(QStringLiteral("dependency"))); // and the check says why
        // No partition named: none is sent, and the cluster's default applies.
        d.setDraft(JobDraft());
        QVERIFY(!d.draft().toJson()["job"].contains("partition"));
    }

    // A local cluster runs jobs itself: no dependencies or mail, and the fields say why.
    void fieldsThatCannotActSayWhy() {
        SubmitDialog d(api, cluster);
        auto *dependency = field<QLineEdit>(d, "formDependency");
        QVERIFY(!dependency->isEnabled());
        QVERIFY(dependency->toolTip().contains(QStringLiteral("Slurm")));
        QVERIFY(!field<QCheckBox>(d, "formMailOnEnd")->isEnabled());
    }

    void ctrlEnterSubmitsFromTheScript() {
        SubmitDialog d(api, cluster);
        d.show();
        QVERIFY(QTest::qWaitForWindowActive(&d));
        QSignalSpy submitted(&d, &SubmitDialog::submitted);
        auto *script = field<QPlainTextEdit>(d, "formScript");
        script->setFocus();
        script->setPlainText(QStringLiteral("#!/bin/bash\necho keyboard\n"));
        QTest::keyClick(script, Qt::Key_Return, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(submitted.size(), 1, 10000);
        QCOMPARE(script->toPlainText(), QStringLiteral("#!/bin/bash\necho keyboard\n"));
    }

    // The server accepts the job with a warning: it is shown, and the dialog waits for Close.
    void warningsAreReadBeforeClosing() {
        SubmitDialog d(api, cluster);
        d.show();
        d.setMode(SubmitDialog::RawMode);
        d.setRawText(QStringLiteral(
            "{\"script\": \"#!/bin/sh\\ntrue\\n\", \"job\": {\"script\": \"#!/bin/sh\\nfalse\\n\", "
            "\"current_working_directory\": \"/tmp\", \"environment\": [\"PATH=/bin\"]}}"));
        QSignalSpy submitted(&d, &SubmitDialog::submitted);
        d.submit();
        QTRY_COMPARE_WITH_TIMEOUT(submitted.size(), 1, 10000);
        QTRY_VERIFY(d.noticeText().contains(QStringLiteral("top-level script is used")));
        QVERIFY(d.isVisible());
        QVERIFY(field<QPushButton>(d, "submitButton")->isHidden());
        d.submit(); // nothing more is sent
        QTest::qWait(300);
        QCOMPARE(submitted.size(), 1);
    }
};

QTEST_MAIN(TestSubmitDialog)
#include "tst_submitdialog.moc"
