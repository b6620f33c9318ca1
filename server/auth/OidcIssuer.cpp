#include "server/auth/OidcIssuer.h"

#include "core/base/Guard.h"
#include "core/util/Json.h"
#include "core/util/Time.h"

#include <QNetworkReply>

namespace clusterra::server {

namespace {
ApiError providerFailure(const QString &what) {
    return ApiError::make(ErrorType::UnexpectedBehavior,
                          QStringLiteral("The identity provider could not be reached or answered "
                                         "oddly (%1); nobody can sign in until it does.")
                              .arg(what));
}
} // namespace

OidcIssuer::OidcIssuer(QString issuer, QString clientId, QObject *parent)
    : QObject(parent)
    , m_issuer(std::move(issuer))
    , m_clientId(std::move(clientId)) {
    m_nam.setTransferTimeout(10000);
}

void OidcIssuer::prefetch() {
    loadKeys(false, [](const ApiError &) {});
}

void OidcIssuer::get(const QUrl &url,
                     std::function<void(const nlohmann::json &, const ApiError &)> done,
                     const QByteArray &bearer) {
    QNetworkRequest req(url);
    req.setRawHeader("Accept", "application/json");
    if (!bearer.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + bearer);
    QNetworkReply *reply = m_nam.get(req);
    const bool withToken = !bearer.isEmpty();
    connect(reply, &QNetworkReply::finished, this, [reply, url, withToken, done = std::move(done)] {
        reply->deleteLater();
        runGuarded("identity provider reply", [&] {
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (withToken && (status == 401 || status == 403)) {
                done({},
                     ApiError::make(ErrorType::Unauthorized,
                                    QStringLiteral("The identity provider did not accept the "
                                                   "access token sent with the ID token; sign in "
                                                   "again.")));
                return;
            }
            if (reply->error() != QNetworkReply::NoError || status != 200) {
                done({}, providerFailure(QStringLiteral("%1: %2").arg(
                             url.toString(), status ? QStringLiteral("HTTP %1").arg(status)
                                                    : reply->errorString())));
                return;
            }
            const nlohmann::json j = parseJson(reply->readAll());
            if (!j.is_object()) {
                done({}, providerFailure(url.toString() + QStringLiteral(": not a JSON object")));
                return;
            }
            done(j, {});
        });
    });
}

void OidcIssuer::loadKeys(bool force, Ready done) {
    const bool fresh = m_keys.size() > 0 && !force;
    if (fresh) {
        done({});
        return;
    }
    m_waiting.append(std::move(done));
    if (m_loading)
        return;
    m_loading = true;
    if (m_jwksUri.isValid())
        fetchKeys();
    else
        fetchDiscovery();
}

void OidcIssuer::fetchDiscovery() {
    QString base = m_issuer;
    if (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    get(QUrl(base + QStringLiteral("/.well-known/openid-configuration")),
        [this](const nlohmann::json &doc, const ApiError &error) {
            if (error.isError())
                return finishLoading(error);
            // OIDC Discovery 4.3: the document must name exactly the issuer we were given.
            if (stringOr(doc, "issuer") != m_issuer)
                return finishLoading(providerFailure(
                    QStringLiteral("its discovery document names issuer \"%1\", not \"%2\"")
                        .arg(stringOr(doc, "issuer"), m_issuer)));
            const QUrl jwks(stringOr(doc, "jwks_uri"));
            if (!jwks.isValid() || jwks.scheme().isEmpty())
                return finishLoading(providerFailure(QStringLiteral("no jwks_uri")));
            m_jwksUri = jwks;
            const QUrl userInfo(stringOr(doc, "userinfo_endpoint"));
            if (userInfo.isValid() && !userInfo.scheme().isEmpty())
                m_userInfoUri = userInfo;
            fetchKeys();
        });
}

void OidcIssuer::fetchKeys() {
    get(m_jwksUri, [this](const nlohmann::json &jwks, const ApiError &error) {
        if (error.isError())
            return finishLoading(error);
        crypto::JwkSet keys = crypto::JwkSet::fromJson(jwks);
        if (keys.size() == 0)
            return finishLoading(providerFailure(QStringLiteral("no usable RS256 or ES256 key")));
        m_keys = std::move(keys);
        m_keysFetchedMs = nowMs();
        finishLoading({});
    });
}

void OidcIssuer::finishLoading(const ApiError &error) {
    m_loading = false;
    const QList<Ready> waiting = std::exchange(m_waiting, {});
    for (const Ready &r : waiting)
        r(error);
}

void OidcIssuer::verify(const QByteArray &idToken, const QString &nonce, Verified done) {
    auto check = [this, idToken, nonce] {
        oidc::IdTokenExpectations e;
        e.issuer = m_issuer;
        e.clientId = m_clientId;
        e.nonce = nonce;
        e.nowSecs = nowMs() / 1000;
        return oidc::verifyIdToken(idToken, m_keys, e);
    };
    loadKeys(false, [this, check, done](const ApiError &error) {
        if (error.isError())
            return done({}, error);
        const oidc::IdTokenResult first = check();
        const bool mayRefetch = nowMs() - m_keysFetchedMs >= kMinRefetchMs;
        if (first.failure != oidc::IdTokenFailure::UnknownKey || !mayRefetch)
            return done(first, {});
        loadKeys(true, [check, done](const ApiError &again) {
            if (again.isError())
                return done({}, again);
            done(check(), {});
        });
    });
}

void OidcIssuer::userInfo(const QByteArray &accessToken, Claims done) {
    if (!m_userInfoUri.isValid() || m_userInfoUri.isEmpty()) {
        done({}, ApiError::make(ErrorType::Forbidden,
                                QStringLiteral("The identity provider put no e-mail address in "
                                               "the ID token and names no UserInfo endpoint.")));
        return;
    }
    get(m_userInfoUri, std::move(done), accessToken);
}

} // namespace clusterra::server
