#pragma once

#include "core/api/Types.h"

#include <QObject>
#include <QPointer>
#include <QUrl>

namespace clusterra {

class ApiClient;
class MainWindow;
class Session;
class SignInDialog;
class TokenStore;

// Puts an OIDC server's Session in front of a person: the sign-in dialog while the browser
// flow runs, the banner when the session ends or there is no keychain, the account menu, and
// the window's first start once someone is signed in. Signing in again keeps the window as it
// is.
class SessionController : public QObject {
    Q_OBJECT
public:
    // `serverName` is what the dialogs and the window title call the server.
    SessionController(MainWindow *window, ApiClient *api, TokenStore *store, QString profileName,
                      QString serverName);

    void begin();
    Session *session() const { return m_session; }
    SignInDialog *dialog() const;
    bool windowStarted() const { return m_started; }

Q_SIGNALS:
    // No browser could be opened on the sign-in page; the person has to open `url` themselves.
    void browserUnavailable(const QUrl &url);

private:
    void openDialog();
    void onSignedIn(const UserInfo &user);
    void onBannerAction();

    MainWindow *m_window;
    TokenStore *m_store;
    Session *m_session;
    QString m_profile;
    QString m_serverName;
    QPointer<SignInDialog> m_dialog;
    bool m_started = false;
};

} // namespace clusterra
