// Every key of the main window and its dialogs, walked: no two mnemonics share a letter where a
// user can reach both, no label's mnemonic leads nowhere, no key has two owners that are active
// at once (Qt then runs neither), and no shortcut belongs to an action nothing shows.
#include "core/client/ApiClient.h"
#include "models/ClusterListModel.h"
#include "tests/server/TestServer.h"
#include "widgets/ClusterActions.h"
#include "widgets/ClusterEditDialog.h"
#include "widgets/ClusterWizard.h"
#include "widgets/DeleteClusterDialog.h"
#include "widgets/JobDetailsDialog.h"
#include "widgets/MainWindow.h"
#include "widgets/ShortcutSheet.h"
#include "widgets/SubmitDialog.h"

#include <QAbstractButton>
#include <QAction>
#include <QComboBox>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QMap>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QShortcut>
#include <QStandardPaths>
#include <QTabBar>
#include <QTabWidget>
#include <QTest>

using namespace clusterra;

namespace {
QString describe(const QWidget *w, const QString &text) {
    return QStringLiteral("%1 \"%2\"").arg(QString::fromLatin1(w->metaObject()->className()), text);
}

// The Alt+letter keys a user can press in `root` as it shows now, each with its owners.
QMap<QString, QStringList> mnemonics(QWidget *root, QStringList *dead) {
    QMap<QString, QStringList> out;
    const auto add = [&out](const QString &text, const QString &owner) {
        const QKeySequence key = QKeySequence::mnemonic(text);
        if (!key.isEmpty())
            out[key.toString()] << owner;
    };
    if (auto *window = qobject_cast<QMainWindow *>(root)) {
        for (QAction *menu : window->menuBar()->actions())
            add(menu->text(), QStringLiteral("menu ") + menu->text());
    }
    for (QWidget *w : root->findChildren<QWidget *>()) {
        if (!w->isVisibleTo(root) || w->window() != root)
            continue;
        if (auto *label = qobject_cast<QLabel *>(w)) {
            // Rich text shows no mnemonic ("&nbsp;" is an entity), and grabs none.
            const bool rich =
                label->textFormat() == Qt::RichText ||
                (label->textFormat() == Qt::AutoText && Qt::mightBeRichText(label->text()));
            if (rich || QKeySequence::mnemonic(label->text()).isEmpty())
                continue;
            if (!label->buddy() || !label->buddy()->isEnabled())
                *dead << describe(label, label->text());
            add(label->text(), describe(label, label->text()));
        } else if (auto *button = qobject_cast<QAbstractButton *>(w)) {
            add(button->text(), describe(button, button->text()));
        } else if (auto *box = qobject_cast<QGroupBox *>(w)) {
            add(box->title(), describe(box, box->title()));
        } else if (auto *tabs = qobject_cast<QTabBar *>(w)) {
            for (int i = 0; i < tabs->count(); ++i)
                add(tabs->tabText(i), describe(tabs, tabs->tabText(i)));
        }
    }
    return out;
}

QStringList clashesIn(QWidget *root, const QString &where) {
    QStringList problems, dead;
    const auto letters = mnemonics(root, &dead);
    for (auto it = letters.cbegin(); it != letters.cend(); ++it) {
        if (it.value().size() > 1)
            problems << QStringLiteral("%1: %2 is taken by %3")
                            .arg(where, it.key(), it.value().join(QStringLiteral(", ")));
    }
    for (const QString &d : dead)
        problems << QStringLiteral("%1: %2 has a mnemonic and no buddy").arg(where, d);
    return problems;
}

// Menus: one letter per item within each.
QStringList menuClashes(QMenu *menu) {
    QStringList problems;
    QMap<QString, QStringList> seen;
    for (QAction *a : menu->actions()) {
        const QKeySequence key = QKeySequence::mnemonic(a->text());
        if (!a->isSeparator() && !key.isEmpty())
            seen[key.toString()] << a->text();
        if (a->menu())
            problems += menuClashes(a->menu());
    }
    for (auto it = seen.cbegin(); it != seen.cend(); ++it)
        if (it.value().size() > 1)
            problems << QStringLiteral("menu %1: %2 is taken by %3")
                            .arg(menu->title(), it.key(), it.value().join(QStringLiteral(", ")));
    return problems;
}

struct Owner {
    QString name;
    const QWidget *scope; // null: the whole window
};

bool overlaps(const Owner &a, const Owner &b) {
    if (!a.scope || !b.scope)
        return true;
    return a.scope == b.scope || a.scope->isAncestorOf(b.scope) || b.scope->isAncestorOf(a.scope);
}

// Keys with two owners that can be active at once, and shortcuts of actions nothing shows.
QStringList keyClashes(QWidget *window) {
    QStringList problems;
    QMap<QString, QList<Owner>> owners;
    for (QAction *a : window->findChildren<QAction *>()) {
        if (a->shortcuts().isEmpty())
            continue;
        const QList<QObject *> shownBy = a->associatedObjects();
        if (shownBy.isEmpty()) {
            problems << QStringLiteral("action \"%1\" has a shortcut but is in no menu or widget")
                            .arg(a->text());
            continue;
        }
        for (QObject *o : shownBy) {
            const auto *w = qobject_cast<QWidget *>(o);
            const bool windowWide = a->shortcutContext() == Qt::WindowShortcut ||
                                    a->shortcutContext() == Qt::ApplicationShortcut ||
                                    qobject_cast<QMenu *>(o) || qobject_cast<QMenuBar *>(o);
            for (const QKeySequence &k : a->shortcuts())
                owners[k.toString()] << Owner{a->text(), windowWide ? nullptr : w};
            if (windowWide)
                break; // one entry is enough: it is active everywhere
        }
    }
    for (QShortcut *s : window->findChildren<QShortcut *>()) {
        const auto *parent = qobject_cast<QWidget *>(s->parent());
        owners[s->key().toString()]
            << Owner{s->whatsThis().isEmpty() ? QStringLiteral("shortcut") : s->whatsThis(),
                     s->context() == Qt::WindowShortcut ? nullptr : parent};
    }
    for (auto it = owners.cbegin(); it != owners.cend(); ++it) {
        const auto &list = it.value();
        for (int i = 0; i < list.size(); ++i)
            for (int j = i + 1; j < list.size(); ++j)
                if (overlaps(list[i], list[j]))
                    problems << QStringLiteral("%1 belongs to both \"%2\" and \"%3\"")
                                    .arg(it.key(), list[i].name, list[j].name);
    }
    return problems;
}
} // namespace

class TestShortcuts : public QObject {
    Q_OBJECT
    TestServer server;
    ApiClient *api = nullptr;
    MainWindow *window = nullptr;
    QString clusterId;

    static void report(const QStringList &problems) {
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    }

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QVERIFY(server.start());
        clusterId = server.readyCluster(QStringLiteral("keys"));
        api = new ApiClient(this);
        api->setBaseUrl(QUrl(server.url()));
        api->setAccessToken(server.token());
        window = new MainWindow(api);
        window->start(QStringLiteral("test"), QStringLiteral("test"),
                      UserInfo{1, QStringLiteral("admin@localhost"), QStringLiteral("admin"), {}});
        window->show();
        QTRY_VERIFY_WITH_TIMEOUT(window->dataLoaded(), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(window->currentClusterId(), clusterId, 10000);
    }
    void cleanupTestCase() { delete window; }

    void mainWindowPages() {
        QStringList problems;
        for (int i = 0; i < window->tabs()->count(); ++i) {
            window->tabs()->setCurrentIndex(i);
            problems += clashesIn(window, window->tabs()->tabText(i));
        }
        for (QAction *menu : window->menuBar()->actions())
            if (menu->menu())
                problems += menuClashes(menu->menu());
        problems += keyClashes(window);
        report(problems);
    }

    void submitDialogTabs() {
        SubmitDialog *d = window->openSubmitDialog();
        QVERIFY(d);
        QStringList problems;
        for (const auto mode :
             {SubmitDialog::FormMode, SubmitDialog::TemplateMode, SubmitDialog::RawMode}) {
            d->setMode(mode);
            problems += clashesIn(d, QStringLiteral("New job, tab %1").arg(int(mode)));
        }
        d->reject();
        report(problems);
    }

    void wizardPages() {
        ClusterWizard *w = window->openClusterWizard();
        // Valid enough to walk every page, the AWS network page included.
        w->findChild<QLineEdit *>(QStringLiteral("clusterName"))->setText(QStringLiteral("walk"));
        auto *provider = w->findChild<QComboBox *>(QStringLiteral("clusterProvider"));
        provider->setCurrentIndex(provider->findData(QStringLiteral("aws")));
        QStringList problems;
        QStringList titles;
        for (int page = 0; page < 5 && w->currentPage(); ++page) {
            titles << w->currentPage()->title();
            problems += clashesIn(w, w->currentPage()->title());
            w->next();
        }
        w->reject();
        report(problems);
        QVERIFY2(titles.contains(QStringLiteral("Network")), qPrintable(titles.join(u',')));
    }

    void clusterDialogs() {
        QStringList problems;
        ClusterEditDialog *edit = window->clusterActions()->openEdit(false);
        QVERIFY(edit);
        problems += clashesIn(edit, QStringLiteral("Edit cluster"));
        edit->reject();
        DeleteClusterDialog *remove = window->clusterActions()->openDelete();
        QVERIFY(remove);
        problems += clashesIn(remove, QStringLiteral("Delete cluster"));
        remove->reject();
        report(problems);
    }

    void jobDetailsTabs() {
        JobInfo job;
        job.jobId = 1;
        job.name = QStringLiteral("j");
        job.state = JobState::Running;
        job.stateName = QStringLiteral("RUNNING");
        JobDetailsDialog d(job, window);
        d.show();
        QStringList problems;
        auto *tabs = d.findChild<QTabWidget *>();
        for (int i = 0; tabs && i < tabs->count(); ++i) {
            tabs->setCurrentIndex(i);
            problems += clashesIn(&d, tabs->tabText(i));
        }
        report(problems);
    }

    // The sheet lists the window's keys as they are, menus and pages alike.
    void theSheetListsTheKeys() {
        ShortcutSheet *sheet = window->openShortcutSheet();
        QStringList seen;
        for (const auto &e : sheet->entries())
            seen << e.keys.toString() + QLatin1Char(' ') + e.what;
        const QString all = seen.join(QLatin1Char('\n'));
        QVERIFY2(
            all.contains(QKeySequence(QKeySequence::New).toString() + QStringLiteral(" New job")),
            qPrintable(all));
        QVERIFY(all.contains(QStringLiteral("Ctrl+Shift+N New cluster")));
        QVERIFY(all.contains(QStringLiteral("Del Cancel"))); // a Jobs page action
        QVERIFY(all.contains(QStringLiteral("Esc Close find in the log")));
        sheet->reject();
    }
};

QTEST_MAIN(TestShortcuts)
#include "tst_shortcuts.moc"
