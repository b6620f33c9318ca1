#pragma once

#include "tests/server/NodeTool.h"

#include <QNetworkAccessManager>
#include <QUrl>
#include <nlohmann/json.hpp>

class TestServer;

// panva's oidc-provider (OpenID Certified) on 127.0.0.1, from tests/oidc. Its public native
// client "clusterra-console" signs ID tokens with RS256, "clusterra-console-es" with ES256;
// both need PKCE and take any loopback redirect http://127.0.0.1:<port>/.
class OidcProvider {
public:
    OidcProvider();
    // Before start(): the provider's certified default, claims of the scopes (the e-mail) only
    // at UserInfo when an access token is issued, instead of in the ID token.
    void setClaimsAtUserInfo(bool on) { m_claimsAtUserInfo = on; }
    bool start(QString *why);
    QString issuer() const { return m_issuer; }
    static QString clientId() { return QStringLiteral("clusterra-console"); }
    // clusterra-server arguments for OIDC mode against this provider.
    QStringList serverArgs() const;
    // Starts the provider, then `server` in OIDC mode against it with `extraArgs` too.
    bool startWithServer(TestServer &server, const QStringList &extraArgs, QString *why);

    // Test-only routes of tests/oidc/provider.mjs: a token with any claims, signed by the
    // provider's "current" key, its "next" (rotated-in) key, or a "stranger" with a known kid.
    QByteArray mint(const nlohmann::json &claims, const QString &alg = QStringLiteral("RS256"),
                    const QString &key = QStringLiteral("current"));
    // Claims a real sign-in of `email` would carry (issuer, audience, times, nonce).
    nlohmann::json claimsFor(const QString &email, const QString &nonce) const;
    bool rotateKeys();

    // Plays the browser from the authorization URL through the login and consent pages, as
    // `login`, and returns where the provider finally sends it (the client's redirect URI with
    // code and state, not fetched). Empty with `why` when it goes wrong.
    QUrl browse(const QUrl &authorizationUrl, const QString &login, QString *why);
    // The whole authorization-code flow with PKCE, as a client would run it; the token
    // endpoint's answer (id_token, access_token...) or a discarded value with `why`.
    nlohmann::json codeFlow(const QString &login, const QString &nonce, QString *why,
                            const QString &clientId = OidcProvider::clientId());

private:
    struct Hop {
        int status = 0;
        QByteArray body;
        QUrl location;
    };
    Hop send(const QUrl &url, const QByteArray &form = {});

    NodeTool m_tool;
    QString m_issuer;
    bool m_claimsAtUserInfo = false;
    QNetworkAccessManager m_nam;
};
