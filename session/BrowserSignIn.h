#pragma once

#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

class QOAuth2AuthorizationCodeFlow;
class QOAuthHttpServerReplyHandler;

namespace clusterra {

// Signs a person in at an OpenID provider the way RFC 8252 asks of native apps: the system
// browser opens the authorization URL (code flow with PKCE S256, state and nonce), the code
// comes back to a listener on http://127.0.0.1:<free port>/, and the code is exchanged here.
// The result is the provider's ID token, whose nonce has been compared with ours; the server
// checks everything else. One attempt per object.
class BrowserSignIn : public QObject {
    Q_OBJECT
public:
    BrowserSignIn(QString issuer, QString clientId, QStringList scopes, QObject *parent = nullptr);
    ~BrowserSignIn() override;

    void start();
    void cancel();
    void setTimeoutMs(int ms) { m_timeout.setInterval(ms); }
    QUrl authorizationUrl() const { return m_authorizationUrl; }
    QString nonce() const { return m_nonce; }

Q_SIGNALS:
    // The URL the browser must open. If no browser opens, the user can copy it.
    void openBrowser(const QUrl &url);
    // `accessToken` is the provider's, for its UserInfo endpoint (where some providers keep
    // the e-mail); it goes to the Clusterra server with the ID token and nowhere else.
    void idTokenReceived(const QByteArray &idToken, const QString &nonce,
                         const QByteArray &accessToken);
    void failed(const QString &message);
    void cancelled();

private:
    void discover();
    void beginFlow(const QUrl &authorizationEndpoint, const QUrl &tokenEndpoint);
    void finishGranted();
    void fail(const QString &message);
    void stopListening();

    QString m_issuer;
    QString m_clientId;
    QStringList m_scopes;
    QByteArray m_verifier;
    QString m_nonce;
    QUrl m_authorizationUrl;
    QNetworkAccessManager m_nam;
    QTimer m_timeout;
    QPointer<QOAuth2AuthorizationCodeFlow> m_flow;
    QPointer<QOAuthHttpServerReplyHandler> m_handler;
    bool m_done = false;
};

} // namespace clusterra
