// The sign-in dialog and the session banner, driven as a person would.
#include "widgets/SessionBanner.h"
#include "widgets/SignInDialog.h"

#include <QApplication>
#include <QClipboard>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace clusterra;

class TstSignInDialog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void copyLinkCancelAndRetry() {
        SignInDialog dialog(QStringLiteral("hpc.example.org"));
        dialog.show();
        auto *copy = dialog.findChild<QPushButton *>(QStringLiteral("copySignInLink"));
        auto *retry = dialog.findChild<QPushButton *>(QStringLiteral("retrySignIn"));
        QVERIFY(copy && retry);
        QVERIFY(!copy->isVisible()); // no link yet
        const QUrl url(QStringLiteral("http://127.0.0.1:9/auth?code_challenge=abc&state=x"));
        dialog.setAuthorizationUrl(url, false);
        QVERIFY(copy->isVisible());
        QTest::mouseClick(copy, Qt::LeftButton);
        QCOMPARE(QApplication::clipboard()->text(), url.toString(QUrl::FullyEncoded));
        QVERIFY(!retry->isVisible());

        dialog.setError(QStringLiteral("The sign-in was refused at the identity provider."));
        QVERIFY(retry->isVisible());
        QVERIFY(dialog.errorText().contains(QLatin1String("refused")));
        QSignalSpy retried(&dialog, &SignInDialog::retryRequested);
        QTest::mouseClick(retry, Qt::LeftButton);
        QCOMPARE(retried.size(), 1);
        dialog.setWaiting();
        QVERIFY(dialog.errorText().isEmpty());
        QVERIFY(!retry->isVisible());

        QSignalSpy cancelled(&dialog, &SignInDialog::cancelRequested);
        QTest::keyClick(&dialog, Qt::Key_Escape);
        QCOMPARE(cancelled.size(), 1);
    }

    void bannerShowsAndActs() {
        SessionBanner banner;
        QVERIFY(banner.isHidden()); // nothing to say yet
        banner.showMessage(QStringLiteral("Your session has ended."), QStringLiteral("Sign in"));
        QVERIFY(banner.isVisible());
        QSignalSpy acted(&banner, &SessionBanner::actionClicked);
        QTest::mouseClick(banner.findChild<QPushButton *>(QStringLiteral("sessionBannerAction")),
                          Qt::LeftButton);
        QCOMPARE(acted.size(), 1);
        banner.showMessage({});
        QVERIFY(!banner.isVisible());
    }
};

QTEST_MAIN(TstSignInDialog)
#include "tst_signindialog.moc"
