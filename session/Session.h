#pragma once

#include "core/api/Types.h"
#include "core/base/ApiError.h"

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <nlohmann/json.hpp>

namespace clusterra {

class ApiClient;
class BrowserSignIn;
class TokenStore;

// One signed-in session with an OIDC-mode server: restores it from the keychain's refresh
// token, or runs the browser sign-in; keeps the access token fresh (a silent refresh at 80% of
// its life, and on any 401); says when it cannot and a person must sign in again; signs out.
// The refresh token rotates on every use and only the newest is kept.
class Session : public QObject {
    Q_OBJECT
public:
    Session(ApiClient *api, TokenStore *store, QString profileName, QObject *parent = nullptr);

    // Asks the server how to sign in, then restores the stored session or asks for a browser
    // sign-in (signInRequired).
    void begin();
    // Runs the browser flow; `browserSignIn()` is the running attempt (for the dialog).
    void signInWithBrowser();
    BrowserSignIn *browserSignIn() const { return m_browser; }
    void cancelSignIn();
    void signOut();

    bool isSignedIn() const { return m_user.id > 0; }
    UserInfo user() const { return m_user; }
    QString issuer() const { return m_issuer; }

Q_SIGNALS:
    void signInRequired(const QString &reason);
    void browserSignInStarted();
    void signedIn(const UserInfo &user);
    // The session ended on the server's side (refresh refused); the window stays as it is.
    void expired(const QString &message);
    void signedOut();
    void failed(const QString &message);

private:
    void refresh(std::function<void(bool)> done);
    void sendIdToken(const QByteArray &idToken, const QString &nonce,
                     const QByteArray &accessToken);
    bool applyGrant(const nlohmann::json &grant, QString *why);

    ApiClient *m_api;
    TokenStore *m_store;
    QString m_profile;
    QString m_issuer;
    QString m_clientId;
    QStringList m_scopes;
    QByteArray m_refreshToken;
    UserInfo m_user;
    QTimer m_refreshTimer;
    QPointer<BrowserSignIn> m_browser;
};

} // namespace clusterra
