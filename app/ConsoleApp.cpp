#include "app/ConsoleApp.h"

#include "app/Screenshotter.h"
#include "app/SessionController.h"
#include "core/client/ApiClient.h"
#include "session/LocalServer.h"
#include "session/Profiles.h"
#include "session/TokenStore.h"
#include "widgets/MainWindow.h"
#include "widgets/Theme.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QMessageBox>
#include <QProcess>
#include <QStatusBar>
#include <QTimer>
#include <cstdio>
#include <cstring>

namespace clusterra {

namespace {
const char kUsage[] =
    "Usage: clusterra-console [options]\n"
    "Clusterra Console: clusters, jobs, live logs and events of a Clusterra server.\n\n"
    "Options:\n"
    "  -h, --help             Show this help.\n"
    "  -v, --version          Show the version.\n"
    "  --profile NAME         Connection profile (default: the last used, or Local).\n"
    "  --server URL           Connect to this server instead of a profile's.\n"
    "  --token-file PATH      Local token of that server (OIDC servers sign in through the\n"
    "                         browser instead; the session is kept in the OS keychain).\n"
    "  --data DIR             Data directory of the embedded local server.\n"
    "  --theme NAME           system (the desktop's colours, the default), light or dark.\n"
    "  --screenshot DIR       Render the main pages, wizard and dialogs to PNG files, then exit.\n";

// --help and --version must work without a display: answered before QApplication exists.
int earlyAnswer(int argc, char **argv) {
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) {
            std::fputs(kUsage, stdout);
            return 0;
        }
        if (!std::strcmp(argv[i], "--version") || !std::strcmp(argv[i], "-v")) {
            std::printf("clusterra-console %s\n", CLUSTERRA_VERSION);
            return 0;
        }
    }
    return -1;
}
} // namespace

int consoleMain(int argc, char **argv) {
    if (const int rc = earlyAnswer(argc, argv); rc >= 0)
        return rc;
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Clusterra"));
    QApplication::setApplicationName(QStringLiteral("Clusterra Console"));
    QApplication::setApplicationVersion(QStringLiteral(CLUSTERRA_VERSION));
    QCommandLineParser p;
    const QCommandLineOption profileOpt(QStringLiteral("profile"), QString(),
                                        QStringLiteral("NAME"));
    const QCommandLineOption serverOpt(QStringLiteral("server"), QString(), QStringLiteral("URL"));
    const QCommandLineOption tokenOpt(QStringLiteral("token-file"), QString(),
                                      QStringLiteral("PATH"));
    const QCommandLineOption dataOpt(QStringLiteral("data"), QString(), QStringLiteral("DIR"));
    const QCommandLineOption shotOpt(QStringLiteral("screenshot"), QString(),
                                     QStringLiteral("DIR"));
    const QCommandLineOption themeOpt(QStringLiteral("theme"), QString(), QStringLiteral("NAME"));
    p.addOptions({profileOpt, serverOpt, tokenOpt, dataOpt, shotOpt, themeOpt});
    if (!p.parse(QApplication::arguments())) {
        std::fprintf(stderr, "clusterra-console: %s\n%s", qPrintable(p.errorText()), kUsage);
        return 2;
    }
    if (p.isSet(themeOpt)) {
        const auto theme = themeFromName(p.value(themeOpt));
        if (!theme) {
            std::fprintf(stderr, "clusterra-console: --theme is system, light or dark\n");
            return 2;
        }
        applyTheme(*theme);
    }

    if (p.isSet(profileOpt) && !Profile::exists(p.value(profileOpt))) {
        std::fprintf(stderr, "clusterra-console: there is no profile \"%s\" (profiles: %s)\n",
                     qPrintable(p.value(profileOpt)), qPrintable(Profile::names().join(u", ")));
        return 2;
    }
    Profile profile =
        Profile::load(p.isSet(profileOpt) ? p.value(profileOpt) : Profile::lastUsed());
    if (p.isSet(serverOpt)) {
        const QUrl url(p.value(serverOpt), QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty() ||
            (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))) {
            std::fprintf(stderr,
                         "clusterra-console: --server wants http(s)://HOST[:PORT][/PATH]\n");
            return 2;
        }
        profile = Profile::forServer(url);
    }
    if (p.isSet(tokenOpt))
        profile.tokenFile = QFileInfo(p.value(tokenOpt)).absoluteFilePath();
    if (p.isSet(dataOpt))
        profile.localDataDir = p.value(dataOpt);
    // A server named on the command line is a profile from now on, so the next plain launch
    // goes back to it (the embedded server's --data stays a one-off).
    if (!profile.isLocal())
        Profile::save(profile);
    Profile::setLastUsed(profile.name);

    QElapsedTimer launch;
    launch.start();
    auto *api = new ApiClient(&app);
    MainWindow window(api);
    const bool screenshots = p.isSet(shotOpt);
    LocalServer server(profile.localDataDir, LocalServer::findServerProgram());

    auto signIn = [&](const QUrl &url, const QByteArray &token) {
        api->setBaseUrl(url);
        // The local token never expires, so it doubles as the way to renew an access token.
        api->setReauthenticator([api, token](std::function<void(bool)> done) {
            api->signInLocal(token, api,
                             [done](const UserInfo &, const ApiError &e) { done(!e.isError()); });
        });
        api->signInLocal(token, &window, [&, url](const UserInfo &user, const ApiError &e) {
            if (e.isError()) {
                QMessageBox::critical(
                    &window, QObject::tr("Cannot sign in"),
                    QObject::tr("%1 refused the sign-in: %2").arg(url.toString(), e.message));
                return;
            }
            window.setAccount(user, false, Profile::names(), profile.name);
            window.start(profile.displayName(), profile.name, user);
        });
    };
    // Another profile is another server and another person: a fresh console process.
    QObject::connect(&window, &MainWindow::switchProfileRequested, &app, [](const QString &name) {
        QProcess::startDetached(QApplication::applicationFilePath(),
                                {QStringLiteral("--profile"), name});
        QApplication::quit();
    });
    QObject::connect(&window, &MainWindow::firstDataShown, &window, [&] {
        std::fprintf(stderr, "clusterra-console: first data shown %lld ms after launch\n",
                     launch.elapsed());
        if (!screenshots)
            return;
        auto *shooter = new Screenshotter(&window, p.value(shotOpt), &window);
        QObject::connect(shooter, &Screenshotter::done, &app, [](int written) {
            std::fprintf(stderr, "clusterra-console: wrote %d screenshots\n", written);
            QApplication::exit(written > 0 ? 0 : 1);
        });
        shooter->run();
    });
    if (screenshots)
        QTimer::singleShot(60000, &app, [] {
            std::fprintf(stderr, "clusterra-console: no data within 60 s; no screenshots\n");
            QApplication::exit(1);
        });

    if (profile.isLocal()) {
        QObject::connect(&server, &LocalServer::ready, &window, signIn);
        // The embedded server died and is started again (on the same port where it can be):
        // the connection indicator shows the gap, the syncs and streams pick up by themselves.
        QObject::connect(&server, &LocalServer::restarting, &window, [&] {
            window.statusBar()->showMessage(
                QObject::tr("The local server stopped; starting it again…"));
        });
        QObject::connect(&server, &LocalServer::restarted, &window, [&](const QUrl &url) {
            if (url != api->baseUrl())
                api->setBaseUrl(url);
            window.statusBar()->showMessage(QObject::tr("The local server is running again."),
                                            8000);
        });
        QObject::connect(&server, &LocalServer::failed, &window, [&](const QString &why) {
            std::fprintf(stderr, "clusterra-console: %s\n", qPrintable(why));
            QMessageBox::critical(&window, QObject::tr("Local server"), why);
            if (screenshots)
                QApplication::exit(1);
        });
        server.start();
    } else {
        api->setBaseUrl(profile.url);
        if (!profile.tokenFile.isEmpty()) {
            QFile tokenFile(profile.tokenFile);
            if (!tokenFile.open(QIODevice::ReadOnly)) {
                std::fprintf(stderr,
                             "clusterra-console: cannot read %s (the token file of "
                             "profile \"%s\")\n",
                             qPrintable(profile.tokenFile), qPrintable(profile.name));
                return 2;
            }
            signIn(profile.url, tokenFile.readAll().trimmed());
        } else {
            auto *store = new TokenStore(QStringLiteral("Clusterra Console"), &window);
            auto *controller =
                new SessionController(&window, api, store, profile.name, profile.displayName());
            // The link is no secret (its PKCE verifier never leaves this process), and a
            // terminal is where someone on a machine without a browser will look.
            QObject::connect(controller, &SessionController::browserUnavailable, &window,
                             [](const QUrl &url) {
                                 std::fprintf(stderr,
                                              "clusterra-console: no browser could be opened; "
                                              "sign in at %s\n",
                                              url.toEncoded().constData());
                             });
            controller->begin();
        }
    }
    window.show();
    const int rc = QApplication::exec();
    server.stop();
    return rc;
}

} // namespace clusterra
