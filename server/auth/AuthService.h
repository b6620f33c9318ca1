#pragma once

#include "server/auth/UserDirectory.h"
#include "server/http/HttpTypes.h"
#include "server/http/Router.h"
#include "server/store/Database.h"

#include <QHash>
#include <QStringList>
#include <memory>
#include <optional>

namespace clusterra::server {

// The token a request carries: "Authorization: Bearer", else the session cookie.
QByteArray bearerToken(const http::Request &request);

// OIDC mode: who the identity provider is and who may sign in through it.
struct OidcSettings {
    QString issuer;             // empty: local mode
    QString clientId;           // the console's public client at that provider
    QStringList allowedDomains; // e-mail domains that may sign in
    QStringList allowedEmails;  // and single addresses; both empty: any verified e-mail
    QStringList admins;         // made administrators when they sign in
    QStringList scopes{QStringLiteral("openid"), QStringLiteral("email"),
                       QStringLiteral("profile")};
    bool enabled() const { return !issuer.isEmpty(); }
};

struct AuthSettings {
    QString dataDir;
    OidcSettings oidc;
    QString localEmail = QStringLiteral("admin@localhost");
    int accessTtlSecs = 900;
    int refreshTtlSecs = 30 * 24 * 3600;
};

struct TokenGrant {
    QByteArray accessToken;
    QByteArray refreshToken;
    int expiresIn = 0;
    Principal user;
    QString nonce; // OIDC: echoed so the client can check the token was its own
    nlohmann::json toJson() const;
};

// Who may call what. Local mode: a random token in DATA/local-token (0600) signs the local
// admin in. Access tokens are HS256 JWTs signed with a secret in DATA/jwt-secret; refresh
// tokens are random, stored hashed, rotate on use, and a reused one revokes its whole chain.
// OIDC mode replaces the local token with ID tokens of the configured provider; the
// server's own access and refresh tokens work the same in both modes.
class AuthService {
public:
    using Granted = std::function<void(const std::optional<TokenGrant> &, const ApiError &)>;

    AuthService(Database &db, AuthSettings settings);
    ~AuthService();

    bool init(QString *error);
    bool isOidc() const { return m_settings.oidc.enabled(); }
    QString mode() const { return isOidc() ? QStringLiteral("oidc") : QStringLiteral("local"); }
    nlohmann::json configJson() const;

    std::optional<TokenGrant> exchangeLocalToken(const QByteArray &token, ApiError *error);
    // OIDC mode: verifies the ID token (signature, issuer, audience, times, nonce), checks the
    // allow-lists, finds or creates the user. `done` may run later (keys are fetched). When
    // the ID token carries no e-mail, the provider's UserInfo answer for `accessToken` gives
    // it, if it is about the same subject.
    void exchangeIdToken(const QByteArray &idToken, const QString &nonce,
                         const QByteArray &accessToken, Granted done);
    std::optional<TokenGrant> refresh(const QByteArray &refreshToken, ApiError *error);
    // Revokes the refresh token's whole chain and the access token the caller signed out with.
    void logout(const QByteArray &refreshToken, const Principal &who,
                const QByteArray &accessToken);

    // The router's authenticator: fills Request::principal or says why not.
    std::optional<ApiError> authenticate(http::Request &request, http::Access access) const;

    UserDirectory &users() { return m_users; }

private:
    static QString accessTokenMismatch(const nlohmann::json &claims, const QByteArray &accessToken);
    TokenGrant issue(const Principal &user, const QString &family);
    std::optional<TokenGrant> grantFor(const nlohmann::json &claims, ApiError *error);
    bool mayEnter(const QString &email) const;

    Database &m_db;
    UserDirectory m_users;
    std::unique_ptr<class OidcIssuer> m_issuer;
    AuthSettings m_settings;
    QByteArray m_secret;
    QHash<QByteArray, qint64> m_revokedAccess; // SHA-256 of a signed-out access token -> its exp
    QByteArray m_localToken;
};

} // namespace clusterra::server
