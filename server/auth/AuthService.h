#pragma once

#include "http/HttpTypes.h"
#include "http/Router.h"
#include "store/Database.h"

#include <optional>

namespace clusterra::server {

struct AuthSettings {
    QString dataDir;
    QString localEmail = QStringLiteral("admin@localhost");
    int accessTtlSecs = 900;
    int refreshTtlSecs = 30 * 24 * 3600;
};

struct TokenGrant {
    QByteArray accessToken;
    QByteArray refreshToken;
    int expiresIn = 0;
    http::Principal user;
    nlohmann::json toJson() const;
};

// Who may call what. Local mode: a random token in DATA/local-token (0600) signs the local
// admin in. Access tokens are HS256 JWTs signed with a secret in DATA/jwt-secret; refresh
// tokens are random, stored hashed, rotate on use, and a reused one revokes its whole chain.
// An OIDC identity verifier plugs in beside the local token without changing any route.
class AuthService {
public:
    AuthService(Database &db, AuthSettings settings);

    bool init(QString *error);
    QString mode() const { return QStringLiteral("local"); }

    std::optional<TokenGrant> exchangeLocalToken(const QByteArray &token, ApiError *error);
    std::optional<TokenGrant> refresh(const QByteArray &refreshToken, ApiError *error);
    void logout(const QByteArray &refreshToken, const http::Principal &who);

    // The router's authenticator: fills Request::principal or says why not.
    std::optional<ApiError> authenticate(http::Request &request, http::Access access) const;

    std::optional<http::Principal> userById(qint64 id) const;

private:
    TokenGrant issue(const http::Principal &user, const QString &family);
    http::Principal ensureUser(const QString &email, const QString &role, const QString &org);

    Database &m_db;
    AuthSettings m_settings;
    QByteArray m_secret;
    QByteArray m_localToken;
};

} // namespace clusterra::server
