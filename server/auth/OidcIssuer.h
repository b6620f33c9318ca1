#pragma once

#include "core/auth/IdToken.h"
#include "core/base/ApiError.h"
#include "core/crypto/Jwk.h"

#include <QNetworkAccessManager>
#include <QObject>
#include <QUrl>
#include <functional>

namespace clusterra::server {

// The server's view of one OpenID provider: its discovery document and signing keys, fetched
// on first use and cached. A token signed with a kid the cache does not know makes it fetch
// the keys again once (the provider rotated), at most every few seconds whatever callers send.
class OidcIssuer : public QObject {
    Q_OBJECT
public:
    using Verified = std::function<void(const oidc::IdTokenResult &, const ApiError &)>;

    OidcIssuer(QString issuer, QString clientId, QObject *parent = nullptr);

    QString issuer() const { return m_issuer; }
    QString clientId() const { return m_clientId; }
    // Starts discovery now so the first sign-in does not wait; failures are retried on use.
    void prefetch();
    // Checks the token's signature and claims; `done` runs on this thread, maybe later.
    void verify(const QByteArray &idToken, const QString &nonce, Verified done);
    using Claims = std::function<void(const nlohmann::json &claims, const ApiError &)>;
    // The UserInfo claims the provider gives for `accessToken` (OIDC Core 5.3), from the
    // endpoint its discovery document names. Call after a successful verify().
    void userInfo(const QByteArray &accessToken, Claims done);

    static constexpr int kMinRefetchMs = 2000;

private:
    using Ready = std::function<void(const ApiError &)>;
    void loadKeys(bool force, Ready done);
    void fetchDiscovery();
    void fetchKeys();
    void finishLoading(const ApiError &error);
    void get(const QUrl &url, std::function<void(const nlohmann::json &, const ApiError &)> done,
             const QByteArray &bearer = {});

    QString m_issuer;
    QString m_clientId;
    QNetworkAccessManager m_nam;
    QUrl m_jwksUri;
    QUrl m_userInfoUri;
    crypto::JwkSet m_keys;
    qint64 m_keysFetchedMs = 0;
    bool m_loading = false;
    QList<Ready> m_waiting;
};

} // namespace clusterra::server
