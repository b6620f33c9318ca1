#include "server/auth/AuthService.h"

#include "core/crypto/Crypto.h"
#include "core/crypto/Jwt.h"
#include "core/rules/IdentityRules.h"
#include "core/util/Json.h"
#include "core/util/Time.h"
#include "server/auth/OidcIssuer.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QUuid>
#include <algorithm>

namespace clusterra::server {

namespace {
const char kIssuer[] = "clusterra-server";

// Reads a secret file, creating it with fresh random content (mode 0600) when missing.
QByteArray loadOrCreateSecret(const QString &path, const QByteArray &fresh, QString *error) {
    QFile f(path);
    if (f.exists()) {
        if (!f.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read %1").arg(path);
            return {};
        }
        const QByteArray value = f.readAll().trimmed();
        if (!value.isEmpty())
            return value;
    }
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("cannot write %1").arg(path);
        return {};
    }
    out.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    out.write(fresh);
    out.write("\n");
    if (!out.commit()) {
        *error = QStringLiteral("cannot write %1").arg(path);
        return {};
    }
    return fresh;
}

ApiError unauthorized(const QString &why) {
    return ApiError::make(ErrorType::Unauthorized, why);
}
} // namespace

nlohmann::json TokenGrant::toJson() const {
    nlohmann::json j{{"access_token", accessToken.toStdString()},
                     {"token_type", "Bearer"},
                     {"expires_in", expiresIn},
                     {"refresh_token", refreshToken.toStdString()},
                     {"user",
                      {{"id", user.userId},
                       {"email", toStd(user.email)},
                       {"role", toStd(user.role)},
                       {"org", toStd(user.org)},
                       {"uid", user.uid}}}};
    if (!nonce.isEmpty())
        j["nonce"] = toStd(nonce);
    return j;
}

AuthService::AuthService(Database &db, AuthSettings settings)
    : m_db(db)
    , m_users(db)
    , m_settings(std::move(settings)) {
    if (isOidc()) {
        m_issuer = std::make_unique<OidcIssuer>(m_settings.oidc.issuer, m_settings.oidc.clientId);
        m_issuer->prefetch();
    }
    const qint64 now = nowMs() / 1000;
    m_db.exec(QStringLiteral("DELETE FROM revoked_access WHERE expires_at < ?"), {now});
    QSqlQuery q = m_db.exec(QStringLiteral("SELECT token_hash, expires_at FROM revoked_access"));
    while (q.next())
        m_revokedAccess.insert(q.value(0).toByteArray(), q.value(1).toLongLong());
}

AuthService::~AuthService() = default;

nlohmann::json AuthService::configJson() const {
    if (!isOidc())
        return {{"mode", "local"},
                {"issuer", nullptr},
                {"client_id", nullptr},
                {"scopes", nlohmann::json::array()}};
    return {{"mode", "oidc"},
            {"issuer", toStd(m_settings.oidc.issuer)},
            {"client_id", toStd(m_settings.oidc.clientId)},
            {"scopes", toJsonArray(m_settings.oidc.scopes)}};
}

bool AuthService::init(QString *error) {
    const QDir dir(m_settings.dataDir);
    m_secret = loadOrCreateSecret(dir.filePath(QStringLiteral("jwt-secret")),
                                  crypto::randomToken(32), error);
    if (m_secret.isEmpty())
        return false;
    m_localToken = loadOrCreateSecret(dir.filePath(QStringLiteral("local-token")),
                                      crypto::randomToken(32), error);
    if (m_localToken.isEmpty())
        return false;
    if (!isOidc())
        m_users.ensureLocal(m_settings.localEmail, QStringLiteral("local"));
    return true;
}

TokenGrant AuthService::issue(const Principal &user, const QString &family) {
    const qint64 now = nowMs() / 1000;
    TokenGrant g;
    g.user = user;
    g.expiresIn = m_settings.accessTtlSecs;
    g.accessToken = jwt::signHs256({{"iss", kIssuer},
                                    {"sub", std::to_string(user.userId)},
                                    {"email", toStd(user.email)},
                                    {"role", toStd(user.role)},
                                    {"iat", now},
                                    {"exp", now + m_settings.accessTtlSecs},
                                    {"jti", crypto::randomToken(12).toStdString()}},
                                   m_secret);
    g.refreshToken = crypto::randomToken(32);
    m_db.exec(
        QStringLiteral(
            "INSERT INTO refresh_tokens (user_id, token_hash, family, created_at, expires_at) "
            "VALUES (?, ?, ?, ?, ?)"),
        {user.userId, crypto::sha256(g.refreshToken), family, now,
         now + m_settings.refreshTtlSecs});
    return g;
}

std::optional<TokenGrant> AuthService::exchangeLocalToken(const QByteArray &token,
                                                          ApiError *error) {
    if (isOidc()) {
        *error = ApiError::validation(
            QStringLiteral("id_token"),
            QStringLiteral("This server signs people in through %1; send the ID token.")
                .arg(m_settings.oidc.issuer));
        return std::nullopt;
    }
    if (token.isEmpty() || !crypto::constantTimeEquals(token, m_localToken)) {
        *error = unauthorized(QStringLiteral("The local token is not valid for this server."));
        return std::nullopt;
    }
    const auto user = m_users.byEmail(m_settings.localEmail);
    if (!user) {
        *error = unauthorized(QStringLiteral("The local user is missing."));
        return std::nullopt;
    }
    return issue(*user, QUuid::createUuid().toString(QUuid::WithoutBraces));
}

void AuthService::exchangeIdToken(const QByteArray &idToken, const QString &nonce,
                                  const QByteArray &accessToken, Granted done) {
    if (!isOidc()) {
        done(std::nullopt,
             ApiError::validation(QStringLiteral("local_token"),
                                  QStringLiteral("This server signs in with the local token "
                                                 "(mode \"local\").")));
        return;
    }
    if (idToken.isEmpty() || nonce.isEmpty()) {
        done(std::nullopt, ApiError::validation(idToken.isEmpty() ? QStringLiteral("id_token")
                                                                  : QStringLiteral("nonce"),
                                                QStringLiteral("is required in OIDC mode.")));
        return;
    }
    m_issuer->verify(
        idToken, nonce,
        [this, done, nonce, accessToken](const oidc::IdTokenResult &r, const ApiError &e) {
            if (e.isError())
                return done(std::nullopt, e);
            if (!r.ok())
                return done(std::nullopt, unauthorized(oidc::describe(r.failure)));
            auto finish = [this, done, nonce](const nlohmann::json &claims) {
                ApiError refused;
                auto grant = grantFor(claims, &refused);
                if (grant)
                    grant->nonce = nonce;
                done(grant, refused);
            };
            if (!stringOr(r.claims, "email").trimmed().isEmpty() || accessToken.isEmpty())
                return finish(r.claims);
            // It goes into a header of a request to the provider: printable ASCII only
            // (RFC 6750's b64token is narrower still), and of a sane length.
            const bool printable = std::all_of(accessToken.begin(), accessToken.end(),
                                               [](char c) { return c > 0x20 && c < 0x7F; });
            if (!printable || accessToken.size() > 8192)
                return done(std::nullopt,
                            ApiError::validation(QStringLiteral("access_token"),
                                                 QStringLiteral("is not an OAuth access token.")));
            // OpenID-certified providers (oidc-provider, Okta's org server) keep the scopes'
            // claims out of an ID token issued with an access token: ask UserInfo for them.
            if (const QString why = accessTokenMismatch(r.claims, accessToken); !why.isEmpty())
                return done(std::nullopt, unauthorized(why));
            m_issuer->userInfo(
                accessToken, [r, done, finish](const nlohmann::json &info, const ApiError &error) {
                    if (error.isError())
                        return done(std::nullopt, error);
                    // OIDC Core 5.3.4: a UserInfo answer about anyone else must not be used.
                    const QString sub = stringOr(r.claims, "sub");
                    if (sub.isEmpty() || stringOr(info, "sub") != sub)
                        return done(std::nullopt,
                                    unauthorized(QStringLiteral(
                                        "The identity provider's UserInfo answer is about another "
                                        "subject than the ID token; sign in again.")));
                    nlohmann::json claims = r.claims;
                    for (const char *key : {"email", "email_verified", "hd", "name"})
                        if (!claims.contains(key) && info.contains(key))
                            claims[key] = info[key];
                    finish(claims);
                });
        });
}

// OIDC Core 3.1.3.8: an ID token that carries at_hash names the access token issued with it;
// one sent alongside that does not match was issued with another sign-in.
QString AuthService::accessTokenMismatch(const nlohmann::json &claims,
                                         const QByteArray &accessToken) {
    const QString atHash = stringOr(claims, "at_hash");
    if (atHash.isEmpty())
        return {};
    // RS256 and ES256, the only algorithms accepted, both hash with SHA-256.
    const QByteArray digest = crypto::sha256(accessToken);
    const QByteArray expected = crypto::base64UrlEncode(QByteArrayView(digest).first(16));
    return crypto::constantTimeEquals(expected, atHash.toLatin1())
               ? QString()
               : QStringLiteral("The access token was not issued with this ID token (at_hash "
                                "differs); sign in again.");
}

bool AuthService::mayEnter(const QString &email) const {
    const OidcSettings &o = m_settings.oidc;
    if (o.allowedDomains.isEmpty() && o.allowedEmails.isEmpty())
        return true;
    const QString domain = email.section(QLatin1Char('@'), -1);
    return o.allowedEmails.contains(email, Qt::CaseInsensitive) ||
           o.admins.contains(email, Qt::CaseInsensitive) ||
           o.allowedDomains.contains(domain, Qt::CaseInsensitive);
}

std::optional<TokenGrant> AuthService::grantFor(const nlohmann::json &claims, ApiError *error) {
    const QString claim = stringOr(claims, "email");
    if (claim.trimmed().isEmpty()) {
        *error = ApiError::make(ErrorType::Forbidden,
                                QStringLiteral("The identity provider did not share an e-mail "
                                               "address; allow the \"email\" scope."));
        return std::nullopt;
    }
    // The address names the user's storage folders, so it must be one no other can nest in.
    QString why;
    const auto normalized = rules::normalizedEmail(claim, &why);
    if (!normalized) {
        *error = ApiError::make(ErrorType::Forbidden,
                                QStringLiteral("The identity provider's e-mail for you cannot "
                                               "name an account here: %1")
                                    .arg(why));
        return std::nullopt;
    }
    const QString email = *normalized;
    if (!boolOr(claims, "email_verified", true)) {
        *error = ApiError::make(
            ErrorType::Forbidden,
            QStringLiteral("%1 is not verified at the identity provider.").arg(email));
        return std::nullopt;
    }
    if (!mayEnter(email)) {
        *error = ApiError::make(ErrorType::Forbidden,
                                QStringLiteral("%1 may not sign in to this server; ask an "
                                               "administrator to allow your e-mail or domain.")
                                    .arg(email));
        return std::nullopt;
    }
    // Google Workspace names the organisation in "hd"; otherwise the e-mail domain is it.
    QString org = stringOr(claims, "hd").toLower();
    if (org.isEmpty())
        org = email.section(QLatin1Char('@'), -1);
    const QString subject = m_settings.oidc.issuer + QLatin1Char('#') + stringOr(claims, "sub");
    const bool listedAdmin = m_settings.oidc.admins.contains(email, Qt::CaseInsensitive);
    const auto user = m_users.signedIn(subject, email, org, listedAdmin, error);
    if (!user)
        return std::nullopt;
    return issue(*user, QUuid::createUuid().toString(QUuid::WithoutBraces));
}

std::optional<TokenGrant> AuthService::refresh(const QByteArray &refreshToken, ApiError *error) {
    const qint64 now = nowMs() / 1000;
    QSqlQuery q = m_db.exec(
        QStringLiteral("SELECT id, user_id, family, expires_at, used, revoked FROM refresh_tokens "
                       "WHERE token_hash = ?"),
        {crypto::sha256(refreshToken)});
    if (!q.next()) {
        *error = unauthorized(QStringLiteral("The refresh token is not valid."));
        return std::nullopt;
    }
    const qint64 id = q.value(0).toLongLong();
    const qint64 userId = q.value(1).toLongLong();
    const QString family = q.value(2).toString();
    if (q.value(4).toBool() || q.value(5).toBool()) {
        // A refresh token used twice means it leaked: end the whole chain.
        m_db.exec(QStringLiteral("UPDATE refresh_tokens SET revoked = 1 WHERE family = ?"),
                  {family});
        *error = unauthorized(QStringLiteral("The refresh token was already used; the session is "
                                             "revoked. Sign in again."));
        return std::nullopt;
    }
    if (q.value(3).toLongLong() < now) {
        *error = unauthorized(QStringLiteral("The session has expired. Sign in again."));
        return std::nullopt;
    }
    const auto user = m_users.byId(userId);
    if (!user) {
        *error = unauthorized(QStringLiteral("The user no longer exists."));
        return std::nullopt;
    }
    m_db.exec(QStringLiteral("UPDATE refresh_tokens SET used = 1 WHERE id = ?"), {id});
    return issue(*user, family);
}

void AuthService::logout(const QByteArray &refreshToken, const Principal &who,
                         const QByteArray &accessToken) {
    // The access token dies with the session, not at its expiry: kept here until then.
    const qint64 now = nowMs() / 1000;
    for (auto it = m_revokedAccess.begin(); it != m_revokedAccess.end();)
        it = it.value() < now ? m_revokedAccess.erase(it) : std::next(it);
    const auto decoded = jwt::verifyHs256(accessToken, m_secret, now, 5);
    if (decoded.failure == jwt::Failure::None) {
        const QByteArray hash = crypto::sha256(accessToken);
        const qint64 exp = intMember(decoded.claims, "exp").value_or(now + 86400);
        m_revokedAccess.insert(hash, exp);
        m_db.exec(QStringLiteral("INSERT OR REPLACE INTO revoked_access (token_hash, expires_at) "
                                 "VALUES (?, ?)"),
                  {hash, exp});
    }
    QSqlQuery q = m_db.exec(
        QStringLiteral("SELECT family FROM refresh_tokens WHERE token_hash = ? AND user_id = ?"),
        {crypto::sha256(refreshToken), who.userId});
    if (q.next())
        m_db.exec(QStringLiteral("UPDATE refresh_tokens SET revoked = 1 WHERE family = ?"),
                  {q.value(0)});
}

QByteArray bearerToken(const http::Request &request) {
    const QByteArray authz = request.header("authorization");
    if (authz.startsWith("Bearer "))
        return authz.mid(7).trimmed();
    QByteArray token;
    for (const QByteArray &part : request.header("cookie").split(';')) {
        const QByteArray kv = part.trimmed();
        if (kv.startsWith("clusterra_session="))
            token = kv.mid(18);
    }
    return token;
}

std::optional<ApiError> AuthService::authenticate(http::Request &request,
                                                  http::Access access) const {
    const QByteArray token = bearerToken(request);
    if (token.isEmpty())
        return unauthorized(QStringLiteral("Sign in first: this endpoint needs a bearer token."));
    const auto decoded = jwt::verifyHs256(token, m_secret, nowMs() / 1000, 5);
    if (decoded.failure != jwt::Failure::None)
        return unauthorized(QStringLiteral("The access token is not accepted: %1.")
                                .arg(jwt::describe(decoded.failure)));
    if (m_revokedAccess.contains(crypto::sha256(token)))
        return unauthorized(QStringLiteral("This session was signed out. Sign in again."));
    if (toStd(stringOr(decoded.claims, "iss")) != kIssuer)
        return unauthorized(QStringLiteral("The access token was not issued by this server."));
    bool ok = false;
    const qint64 userId = stringOr(decoded.claims, "sub").toLongLong(&ok);
    const auto user = ok ? m_users.byId(userId) : std::nullopt;
    if (!user)
        return unauthorized(QStringLiteral("The access token names an unknown user."));
    request.principal = *user;
    if (access == http::Access::Admin)
        return refuseUnlessAdmin(*user);
    return std::nullopt;
}

} // namespace clusterra::server
