#include "app/SessionController.h"

#include "session/BrowserSignIn.h"
#include "session/Profiles.h"
#include "session/Session.h"
#include "session/TokenStore.h"
#include "widgets/MainWindow.h"
#include "widgets/SessionBanner.h"
#include "widgets/SignInDialog.h"

#include <QDesktopServices>

namespace clusterra {

SessionController::SessionController(MainWindow *window, ApiClient *api, TokenStore *store,
                                     QString profileName, QString serverName)
    : QObject(window)
    , m_window(window)
    , m_store(store)
    , m_session(new Session(api, store, profileName, this))
    , m_profile(std::move(profileName))
    , m_serverName(std::move(serverName)) {
    connect(m_session, &Session::signInRequired, this, [this](const QString &reason) {
        if (!reason.isEmpty())
            m_window->sessionBanner()->showMessage(reason);
        m_session->signInWithBrowser();
    });
    connect(m_session, &Session::browserSignInStarted, this, [this] {
        openDialog();
        connect(m_session->browserSignIn(), &BrowserSignIn::openBrowser, this,
                [this](const QUrl &url) {
                    const bool opened = QDesktopServices::openUrl(url);
                    if (m_dialog)
                        m_dialog->setAuthorizationUrl(url, opened);
                    if (!opened)
                        Q_EMIT browserUnavailable(url);
                });
    });
    connect(m_session, &Session::failed, this, [this](const QString &message) {
        if (m_dialog && m_dialog->isVisible())
            m_dialog->setError(message);
        else
            m_window->sessionBanner()->showMessage(message, tr("Sign in…"));
    });
    connect(m_session, &Session::signedIn, this, &SessionController::onSignedIn);
    connect(m_session, &Session::expired, this, [this](const QString &message) {
        m_window->setSignedIn(false);
        m_window->sessionBanner()->showMessage(message, tr("Sign in again…"));
    });
    connect(m_session, &Session::signedOut, this, [this] {
        m_window->setSignedIn(false);
        m_window->sessionBanner()->showMessage(tr("You signed out of %1.").arg(m_serverName),
                                               tr("Sign in…"));
    });
    connect(m_window->sessionBanner(), &SessionBanner::actionClicked, this,
            &SessionController::onBannerAction);
    connect(m_window, &MainWindow::signOutRequested, m_session, &Session::signOut);
}

SignInDialog *SessionController::dialog() const {
    return m_dialog;
}

void SessionController::begin() {
    m_session->begin();
}

void SessionController::openDialog() {
    if (!m_dialog) {
        m_dialog = new SignInDialog(m_serverName, m_window);
        connect(m_dialog, &SignInDialog::cancelRequested, this, [this] {
            m_session->cancelSignIn();
            if (!m_started)
                m_window->sessionBanner()->showMessage(
                    tr("You are not signed in to %1.").arg(m_serverName), tr("Sign in…"));
        });
        connect(m_dialog, &SignInDialog::retryRequested, m_session, &Session::signInWithBrowser);
    }
    m_dialog->setWaiting();
    m_dialog->show();
    m_dialog->raise();
}

void SessionController::onSignedIn(const UserInfo &user) {
    if (m_dialog)
        m_dialog->hide(); // not reject(): that would cancel
    m_window->setSignedIn(true);
    m_window->sessionBanner()->showMessage(
        m_store->isPersistent()
            ? QString()
            : tr("No keychain is available (%1). This session is kept in memory only: you will "
                 "sign in again next time.")
                  .arg(m_store->unavailableReason()));
    m_window->setAccount(user, true, Profile::names(), m_profile);
    if (!m_started) {
        m_started = true;
        m_window->start(m_serverName, m_profile, user);
    }
}

// Before the server's sign-in settings are known (it was unreachable), ask it again.
void SessionController::onBannerAction() {
    if (m_session->issuer().isEmpty())
        m_session->begin();
    else
        m_session->signInWithBrowser();
}

} // namespace clusterra
