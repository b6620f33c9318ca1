// The console's session with an OIDC-mode server, end to end: a real provider, the real server,
// the browser played over HTTP, refresh tokens in the keychain (CTest runs this inside
// tests/with-keyring.sh). Restore on the next start, silent refresh, expiry, sign-out.
#include "core/client/ApiClient.h"
#include "session/BrowserSignIn.h"
#include "session/Session.h"
#include "session/TokenStore.h"
#include "tests/server/OidcProvider.h"
#include "tests/server/TestServer.h"

#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>
#include <QUuid>

using namespace clusterra;

class TstSession : public QObject {
    Q_OBJECT
    OidcProvider idp;
    TestServer server;
    const QString service = QStringLiteral("Clusterra Console test ") +
                            QUuid::createUuid().toString(QUuid::WithoutBraces);
    TokenStore store{service};
    const bool withKeychain = qgetenv("CLUSTERRA_TEST_KEYCHAIN") != "none";
    QNetworkAccessManager browser;

    std::unique_ptr<ApiClient> client() {
        auto api = std::make_unique<ApiClient>();
        api->setBaseUrl(QUrl(server.url()));
        return api;
    }

    // Drives the browser sign-in of `session` as `email`, like a person at the browser would.
    bool signInThroughBrowser(Session &session, const QString &email) {
        QSignalSpy required(&session, &Session::signInRequired);
        QSignalSpy started(&session, &Session::browserSignInStarted);
        session.signInWithBrowser();
        BrowserSignIn *b = session.browserSignIn();
        QSignalSpy open(b, &BrowserSignIn::openBrowser);
        if (!open.wait(10000))
            return false;
        QString why;
        const QUrl back = idp.browse(open.first().first().toUrl(), email, &why);
        if (!back.isValid()) {
            qWarning("%s", qPrintable(why));
            return false;
        }
        QSignalSpy signedIn(&session, &Session::signedIn);
        QNetworkReply *r = browser.get(QNetworkRequest(back));
        connect(r, &QNetworkReply::finished, r, &QObject::deleteLater);
        return signedIn.wait(10000) || signedIn.size() == 1;
    }

    static nlohmann::json me(ApiClient &api) {
        nlohmann::json out;
        bool done = false;
        api.send("GET", QStringLiteral("/v1/users/me"), nullptr, &api,
                 [&](const nlohmann::json &j, const ApiError &e) {
                     out = e.isError() ? nlohmann::json() : j;
                     done = true;
                 });
        if (!QTest::qWaitFor([&] { return done; }, 10000))
            qWarning("no answer from /v1/users/me");
        return out;
    }

private Q_SLOTS:
    void initTestCase() {
        QString why;
        QVERIFY2(idp.startWithServer(server, {QStringLiteral("--access-ttl"), QStringLiteral("3")},
                                     &why),
                 qPrintable(why));
    }

    void firstStartAsksForSignIn() {
        auto api = client();
        Session session(api.get(), &store, QStringLiteral("team"));
        QSignalSpy required(&session, &Session::signInRequired);
        session.begin();
        QVERIFY(required.wait(10000));
        QVERIFY(!session.isSignedIn());
        QVERIFY(signInThroughBrowser(session, QStringLiteral("ada@example.org")));
        QCOMPARE(session.user().email, QStringLiteral("ada@example.org"));
        QCOMPARE(me(*api).value("email", std::string()), std::string("ada@example.org"));
    }

    // A new TokenStore is what the next start of the console has: with a keychain the session
    // comes back without the browser; without one, the person signs in again.
    void nextStartRestoresSilently() {
        auto api = client();
        TokenStore nextStart(service);
        Session session(api.get(), &nextStart, QStringLiteral("team"));
        QSignalSpy signedIn(&session, &Session::signedIn);
        QSignalSpy required(&session, &Session::signInRequired);
        session.begin();
        if (!withKeychain) {
            QVERIFY(required.wait(10000));
            QVERIFY(!nextStart.isPersistent());
            return;
        }
        QVERIFY(signedIn.wait(10000));
        QVERIFY(required.isEmpty());
        QCOMPARE(session.user().email, QStringLiteral("ada@example.org"));
        QVERIFY2(nextStart.isPersistent(), qPrintable(nextStart.unavailableReason()));
        // The rotated refresh token went back to the keychain; the shared store follows.
        store.save(QStringLiteral("team"), QByteArray());
        bool loaded = false;
        nextStart.load(QStringLiteral("team"), [&](const QByteArray &s) {
            store.save(QStringLiteral("team"), s);
            loaded = true;
        });
        QTRY_VERIFY(loaded);
    }

    // Access tokens live 3 s here: the session refreshes before they run out, so requests
    // keep working without anyone signing in again.
    void refreshesSilently() {
        auto api = client();
        Session session(api.get(), &store, QStringLiteral("team"));
        QSignalSpy signedIn(&session, &Session::signedIn);
        session.begin();
        QVERIFY(signedIn.wait(10000));
        QSignalSpy expired(&session, &Session::expired);
        QTest::qWait(4500);
        QCOMPARE(me(*api).value("email", std::string()), std::string("ada@example.org"));
        QVERIFY(expired.isEmpty());
    }

    // The server ends the session (here: the chain is revoked by replaying a used refresh
    // token, as a thief would). The console says so instead of failing silently.
    void revokedSessionExpires() {
        auto api = client();
        Session session(api.get(), &store, QStringLiteral("team"));
        QSignalSpy signedIn(&session, &Session::signedIn);
        bool loaded = false;
        QByteArray stolen;
        store.load(QStringLiteral("team"), [&](const QByteArray &s) {
            stolen = s;
            loaded = true;
        });
        QTRY_VERIFY(loaded);
        session.begin();
        QVERIFY(signedIn.wait(10000));
        // `stolen` was used by begin(): replaying it revokes the whole chain.
        QCOMPARE(server
                     .request("POST", QStringLiteral("/v1/auth/refresh"),
                              {{"refresh_token", stolen.toStdString()}}, QByteArray())
                     .status,
                 401);
        QSignalSpy expired(&session, &Session::expired);
        QVERIFY(expired.wait(10000)); // at the next silent refresh
        QVERIFY(expired.first().first().toString().contains(QLatin1String("You were signed out")));
        // Signing in again works in the same session object (the window keeps its state).
        QVERIFY(signInThroughBrowser(session, QStringLiteral("ada@example.org")));
        QCOMPARE(me(*api).value("email", std::string()), std::string("ada@example.org"));
    }

    void signOutForgetsTheSession() {
        auto api = client();
        Session session(api.get(), &store, QStringLiteral("team"));
        QSignalSpy signedIn(&session, &Session::signedIn);
        session.begin();
        QVERIFY(signedIn.wait(10000));
        QSignalSpy out(&session, &Session::signedOut);
        session.signOut();
        QVERIFY(out.wait(10000));
        QVERIFY(me(*api).is_null());
        Session next(api.get(), &store, QStringLiteral("team"));
        QSignalSpy required(&next, &Session::signInRequired);
        next.begin();
        QVERIFY(required.wait(10000));
    }
};

QTEST_MAIN(TstSession)
#include "tst_session.moc"
