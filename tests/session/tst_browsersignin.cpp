// The console's browser sign-in against a real OpenID provider. The test plays the browser: it
// takes the URL the console would open, logs in on the provider's pages over HTTP, follows the
// redirect to the console's loopback listener, and checks what the console ends up with.
#include "core/crypto/Jwt.h"
#include "core/util/Json.h"
#include "session/BrowserSignIn.h"
#include "tests/server/OidcProvider.h"

#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

using namespace clusterra;

class TstBrowserSignIn : public QObject {
    Q_OBJECT
    OidcProvider idp;
    QNetworkAccessManager browser;

    // The loopback request a browser makes at the end of the flow; the page it shows.
    QByteArray visit(const QUrl &url, int *status = nullptr) {
        QNetworkReply *reply = browser.get(QNetworkRequest(url));
        QSignalSpy done(reply, &QNetworkReply::finished);
        done.wait(10000);
        if (status)
            *status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        reply->deleteLater();
        return reply->readAll();
    }

    std::unique_ptr<BrowserSignIn> startSignIn(QUrl *opened) {
        auto signIn = std::make_unique<BrowserSignIn>(
            idp.issuer(), OidcProvider::clientId(),
            QStringList{QStringLiteral("openid"), QStringLiteral("email")});
        QSignalSpy open(signIn.get(), &BrowserSignIn::openBrowser);
        signIn->start();
        if (!open.wait(10000))
            return nullptr;
        *opened = open.first().first().toUrl();
        return signIn;
    }

private Q_SLOTS:
    void initTestCase() {
        QString why;
        QVERIFY2(idp.start(&why), qPrintable(why));
    }

    void signsInThroughTheBrowser() {
        QUrl opened;
        auto signIn = startSignIn(&opened);
        QVERIFY(signIn);
        const QUrlQuery q(opened);
        // What RFC 8252 and OIDC ask of a native app's authorization request.
        QCOMPARE(q.queryItemValue(QStringLiteral("code_challenge_method")), QStringLiteral("S256"));
        QCOMPARE(q.queryItemValue(QStringLiteral("code_challenge")).size(), 43);
        QVERIFY(!q.queryItemValue(QStringLiteral("state")).isEmpty());
        QCOMPARE(q.queryItemValue(QStringLiteral("nonce")), signIn->nonce());
        const QUrl redirect(q.queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded));
        QCOMPARE(redirect.host(), QStringLiteral("127.0.0.1"));
        QVERIFY(redirect.port() > 0);

        QString why;
        const QUrl back = idp.browse(opened, QStringLiteral("ada@example.org"), &why);
        QVERIFY2(back.isValid(), qPrintable(why));
        QSignalSpy got(signIn.get(), &BrowserSignIn::idTokenReceived);
        QSignalSpy failed(signIn.get(), &BrowserSignIn::failed);
        const QByteArray page = visit(back);
        QVERIFY2(page.contains("close this tab"), page.constData());
        QTRY_COMPARE_WITH_TIMEOUT(got.size(), 1, 10000);
        QVERIFY(failed.isEmpty());
        const QByteArray idToken = got.first().at(0).toByteArray();
        const auto claims = jwt::decode(idToken).claims;
        QCOMPARE(stringOr(claims, "email"), QStringLiteral("ada@example.org"));
        QCOMPARE(stringOr(claims, "nonce"), signIn->nonce());
        QCOMPARE(got.first().at(1).toString(), signIn->nonce());
        QVERIFY(!got.first().at(2).toByteArray().isEmpty()); // the provider's access token

        // The listener is gone once the code arrived: a second visit finds nobody.
        int status = 0;
        visit(back, &status);
        QCOMPARE(status, 0);
    }

    void aForgedStateIsRefused() {
        QUrl opened;
        auto signIn = startSignIn(&opened);
        QVERIFY(signIn);
        QString why;
        QUrl back = idp.browse(opened, QStringLiteral("ada@example.org"), &why);
        QVERIFY2(back.isValid(), qPrintable(why));
        QUrlQuery q(back);
        q.removeQueryItem(QStringLiteral("state"));
        q.addQueryItem(QStringLiteral("state"), QStringLiteral("attacker"));
        back.setQuery(q);
        QSignalSpy got(signIn.get(), &BrowserSignIn::idTokenReceived);
        visit(back);
        QVERIFY(!got.wait(1500));
    }

    void providerRefusalIsReported() {
        QUrl opened;
        auto signIn = startSignIn(&opened);
        QVERIFY(signIn);
        const QUrlQuery q(opened);
        QUrl back(q.queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded));
        back.setQuery(QStringLiteral("error=access_denied&state=") +
                      q.queryItemValue(QStringLiteral("state")));
        QSignalSpy failed(signIn.get(), &BrowserSignIn::failed);
        visit(back);
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 5000);
        QVERIFY2(failed.first().first().toString().contains(QLatin1String("refused")),
                 qPrintable(failed.first().first().toString()));
    }

    void cancelStopsListening() {
        QUrl opened;
        auto signIn = startSignIn(&opened);
        QVERIFY(signIn);
        const QUrl redirect(
            QUrlQuery(opened).queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded));
        QSignalSpy cancelled(signIn.get(), &BrowserSignIn::cancelled);
        signIn->cancel();
        QCOMPARE(cancelled.size(), 1);
        int status = -1;
        visit(redirect, &status);
        QCOMPARE(status, 0); // connection refused
    }

    void timesOut() {
        QUrl opened;
        auto signIn = startSignIn(&opened);
        QVERIFY(signIn);
        QSignalSpy failed(signIn.get(), &BrowserSignIn::failed);
        signIn->setTimeoutMs(200);
        signIn->start(); // restarts the clock with the short timeout
        QVERIFY(failed.wait(5000));
    }

    void unreachableProviderSaysSo() {
        BrowserSignIn signIn(QStringLiteral("http://127.0.0.1:1"), OidcProvider::clientId(),
                             {QStringLiteral("openid")});
        QSignalSpy failed(&signIn, &BrowserSignIn::failed);
        signIn.start();
        QVERIFY(failed.wait(10000));
        QVERIFY(failed.first().first().toString().contains(QLatin1String("could not be reached")));
    }
};

QTEST_MAIN(TstBrowserSignIn)
#include "tst_browsersignin.moc"
