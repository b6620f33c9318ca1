// The console in front of an OIDC-mode server, end to end with the real provider and server:
// first in-process, driving the sign-in dialog, banner and account menu as a person would;
// then the clusterra-console binary itself, whose sign-in link the test opens as the browser.
#include "app/SessionController.h"
#include "core/client/ApiClient.h"
#include "session/BrowserSignIn.h"
#include "session/Session.h"
#include "session/TokenStore.h"
#include "tests/server/OidcProvider.h"
#include "tests/server/TestServer.h"
#include "widgets/MainWindow.h"
#include "widgets/SessionBanner.h"
#include "widgets/SignInDialog.h"

#include <QAction>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QLineEdit>
#include <QMenu>
#include <QNetworkReply>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace clusterra;

class TstConsoleSignIn : public QObject {
    Q_OBJECT
    OidcProvider idp;
    TestServer server;
    QNetworkAccessManager browser;
    const QString service = QStringLiteral("Clusterra Console test ") +
                            QUuid::createUuid().toString(QUuid::WithoutBraces);

    // What a person does with the link in the dialog: opens it, signs in at the provider, and
    // the provider sends the browser back to the console's loopback listener.
    bool completeInBrowser(const QUrl &link, const QString &email) {
        QString why;
        const QUrl back = idp.browse(link, email, &why);
        if (!back.isValid()) {
            qWarning("%s", qPrintable(why));
            return false;
        }
        QNetworkReply *r = browser.get(QNetworkRequest(back));
        QSignalSpy done(r, &QNetworkReply::finished);
        const bool ok = done.wait(10000) &&
                        r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200;
        r->deleteLater();
        return ok;
    }

    static QString linkShownIn(SignInDialog *dialog) {
        auto *link = dialog->findChild<QLineEdit *>(QStringLiteral("signInLink"));
        return link && link->isVisible() ? link->text() : QString();
    }

    // What the console builds for an OIDC server: the window and its session controller.
    struct Console {
        ApiClient api;
        TokenStore store;
        std::unique_ptr<MainWindow> window;
        SessionController *controller;
        Console(const QString &url, const QString &service)
            : store(service)
            , window([this, &url] {
                api.setBaseUrl(QUrl(url));
                return std::make_unique<MainWindow>(&api);
            }())
            , controller(new SessionController(window.get(), &api, &store, QStringLiteral("team"),
                                               QStringLiteral("hpc.example.org"))) {
            window->show();
        }
    };

private Q_SLOTS:
    void initTestCase() {
        QString why;
        QVERIFY2(
            idp.startWithServer(
                server, {QStringLiteral("--admin"), QStringLiteral("grace@example.org")}, &why),
            qPrintable(why));
    }

    void signsInThroughTheDialog() {
        Console c(server.url(), service);
        MainWindow &window = *c.window;
        SessionController &controller = *c.controller;
        QSignalSpy unavailable(&controller, &SessionController::browserUnavailable);
        controller.begin();

        // No browser under the offscreen platform: the dialog offers the link instead.
        QTRY_VERIFY_WITH_TIMEOUT(controller.dialog() && controller.dialog()->isVisible(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!linkShownIn(controller.dialog()).isEmpty(), 10000);
        const QUrl link(linkShownIn(controller.dialog()));
        QCOMPARE(unavailable.size(), 1);
        QCOMPARE(unavailable.first().first().toUrl(), link);
        QVERIFY(link.toString().startsWith(idp.issuer()));
        QVERIFY(!controller.windowStarted());

        QVERIFY(completeInBrowser(link, QStringLiteral("ada@example.org")));
        QTRY_VERIFY_WITH_TIMEOUT(controller.windowStarted(), 10000);
        QVERIFY(!controller.dialog()->isVisible());
        QCOMPARE(window.accountMenu()->title(), QStringLiteral("ada@example.org"));
        QVERIFY(window.windowTitle().contains(QLatin1String("ada@example.org")));
        // CTest runs this without a keychain: the banner says the session is memory-only.
        QVERIFY(window.sessionBanner()->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(window.dataLoaded(), 10000);
        // ada is no administrator: creating clusters is not offered.
        auto *newCluster = window.findChild<QAction *>(QStringLiteral("actionNewCluster"));
        QVERIFY(newCluster && !newCluster->isEnabled());

        // Sign out from the account menu, then back in from the banner; the window stays.
        window.tabs()->setCurrentIndex(MainWindow::EventsTab);
        auto *signOut = window.findChild<QAction *>(QStringLiteral("actionSignOut"));
        QVERIFY(signOut && signOut->isEnabled());
        QSignalSpy out(controller.session(), &Session::signedOut);
        signOut->trigger();
        QVERIFY(out.wait(10000));
        QVERIFY(window.sessionBanner()->isVisible());
        auto *again =
            window.sessionBanner()->findChild<QPushButton *>(QStringLiteral("sessionBannerAction"));
        QVERIFY(again && again->isVisible());
        QTest::mouseClick(again, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(controller.dialog()->isVisible(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(QUrl(linkShownIn(controller.dialog())) != link, 10000);
        QSignalSpy signedIn(controller.session(), &Session::signedIn);
        QVERIFY(completeInBrowser(QUrl(linkShownIn(controller.dialog())),
                                  QStringLiteral("grace@example.org")));
        QTRY_COMPARE_WITH_TIMEOUT(signedIn.size(), 1, 10000);
        QCOMPARE(window.accountMenu()->title(), QStringLiteral("grace@example.org"));
        QCOMPARE(window.tabs()->currentIndex(), int(MainWindow::EventsTab));
        QVERIFY(newCluster->isEnabled()); // grace is listed as an administrator
    }

    void cancelLeavesABannerToSignInLater() {
        Console c(server.url(), service);
        MainWindow &window = *c.window;
        SessionController &controller = *c.controller;
        controller.begin();
        QTRY_VERIFY_WITH_TIMEOUT(controller.dialog() && controller.dialog()->isVisible(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!linkShownIn(controller.dialog()).isEmpty(), 10000);
        const QUrl link(linkShownIn(controller.dialog()));
        QTest::keyClick(controller.dialog(), Qt::Key_Escape);
        QVERIFY(!controller.dialog()->isVisible());
        QVERIFY(window.sessionBanner()->isVisible());
        QVERIFY(!controller.windowStarted());
        // The cancelled attempt's listener is gone: the provider's redirect reaches nobody.
        QString why;
        const QUrl back = idp.browse(link, QStringLiteral("ada@example.org"), &why);
        QVERIFY2(back.isValid(), qPrintable(why));
        QNetworkReply *r = browser.get(QNetworkRequest(back));
        QSignalSpy done(r, &QNetworkReply::finished);
        QVERIFY(done.wait(10000));
        QCOMPARE(r->error(), QNetworkReply::ConnectionRefusedError);
        r->deleteLater();
        QVERIFY(!controller.windowStarted());
    }

    // The server was down when the console started: the banner says so, and its action asks
    // the server again (there is no issuer to open a browser on yet).
    void unreachableServerIsAskedAgainFromTheBanner() {
        Console c(QStringLiteral("http://127.0.0.1:1"), service);
        MainWindow &window = *c.window;
        ApiClient &api = c.api;
        SessionController &controller = *c.controller;
        controller.begin();
        QTRY_VERIFY_WITH_TIMEOUT(window.sessionBanner()->isVisible(), 10000);
        QVERIFY(!controller.dialog());
        auto *action =
            window.sessionBanner()->findChild<QPushButton *>(QStringLiteral("sessionBannerAction"));
        QVERIFY(action && action->isVisible());

        api.setBaseUrl(QUrl(server.url())); // the server is back
        QTest::mouseClick(action, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(controller.dialog() && controller.dialog()->isVisible(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!linkShownIn(controller.dialog()).isEmpty(), 10000);
        QVERIFY(QUrl(linkShownIn(controller.dialog())).toString().startsWith(idp.issuer()));
    }

    // The binary, as someone would run it on a machine without a browser: it prints the link,
    // the person signs in, and the console comes up (here it renders its pages and exits).
    // Nothing it prints may carry a token.
    // Runs the console binary in `env` with `args` (plus --screenshot), signs `login` in at the
    // link it prints, and returns all it printed once it rendered its pages and exited.
    QByteArray runSignedIn(const QProcessEnvironment &env, const QStringList &args,
                           const QString &shots) {
        QProcess console;
        console.setProcessEnvironment(env);
        console.start(QStringLiteral(CLUSTERRA_CONSOLE_PATH),
                      args + QStringList{QStringLiteral("--screenshot"), shots});
        if (!console.waitForStarted())
            return "did not start";
        QByteArray printed;
        static const QRegularExpression signInAt(QStringLiteral("sign in at (\\S+)"));
        QRegularExpressionMatch m;
        [[maybe_unused]] const bool ended = QTest::qWaitFor(
            [&] {
                printed += console.readAllStandardError();
                m = signInAt.match(QString::fromUtf8(printed));
                return m.hasMatch() || console.state() == QProcess::NotRunning;
            },
            20000);
        if (!m.hasMatch() || !QUrl(m.captured(1)).toString().startsWith(idp.issuer()))
            return printed + "\n(no sign-in link of the provider)";
        if (!completeInBrowser(QUrl(m.captured(1)), QStringLiteral("ada@example.org")))
            return printed + "\n(the browser half failed)";
        console.waitForFinished(60000);
        printed += console.readAllStandardError() + console.readAllStandardOutput();
        if (console.exitStatus() != QProcess::NormalExit || console.exitCode() != 0)
            printed += "\n(exit code " + QByteArray::number(console.exitCode()) + ")";
        return printed;
    }

    void consoleBinarySignsIn() {
        QTemporaryDir home;
        QVERIFY(home.isValid());
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), home.path());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
                   QStringLiteral("unix:path=/nonexistent"));
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.remove(QStringLiteral("BROWSER"));
        const QString shots = home.filePath(QStringLiteral("shots"));
        QByteArray printed = runSignedIn(env, {QStringLiteral("--server"), server.url()}, shots);
        QVERIFY2(printed.contains("first data shown") && !printed.contains("(exit code"),
                 printed.constData());
        QVERIFY(QFile::exists(QDir(shots).filePath(QStringLiteral("main-jobs.png"))));
        // The next plain launch goes back to that server (it asks the same provider to sign in)
        // and starts no embedded server of its own.
        const QByteArray again = runSignedIn(env, {}, home.filePath(QStringLiteral("shots2")));
        QVERIFY2(again.contains("first data shown") && !again.contains("(exit code"),
                 again.constData());
        QVERIFY(!QFileInfo::exists(home.filePath(QStringLiteral("data/clusterra/server"))));
        printed += again;
        // JWTs start with "eyJ"; refresh tokens and codes are only ever sent, never printed.
        QVERIFY2(!printed.contains("eyJ"), printed.constData());
        QVERIFY(!printed.contains("refresh_token"));
        QVERIFY(!printed.contains("code="));
        QVERIFY(!printed.contains("code_verifier"));
        // Nor anything it wrote to disk: settings, transfer journals (no keychain here, so the
        // refresh token lived in memory only).
        QDirIterator files(home.path(), QDir::Files, QDirIterator::Subdirectories);
        int checked = 0;
        while (files.hasNext()) {
            QFile f(files.next());
            if (f.fileName().endsWith(QLatin1String(".png")) || !f.open(QIODevice::ReadOnly))
                continue;
            ++checked;
            const QByteArray content = f.readAll();
            QVERIFY2(!content.contains("eyJ") && !content.contains("refresh"),
                     qPrintable(f.fileName()));
        }
        QVERIFY(checked > 0); // at least the settings file
    }
};

QTEST_MAIN(TstConsoleSignIn)
#include "tst_consolesignin.moc"
