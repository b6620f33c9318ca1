#include "tests/server/OidcProvider.h"

#include "tests/server/TestServer.h"

#include "core/crypto/Crypto.h"
#include "core/util/Json.h"

#include <QDateTime>
#include <QEventLoop>
#include <QNetworkCookieJar>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTimer>
#include <QUrlQuery>

OidcProvider::OidcProvider() {
    m_nam.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    m_nam.setCookieJar(new QNetworkCookieJar(&m_nam));
}

bool OidcProvider::start(QString *why) {
    QStringList args{clientId()};
    if (m_claimsAtUserInfo)
        args << QStringLiteral("--claims-at-userinfo");
    if (!m_tool.start(QStringLiteral(CLUSTERRA_OIDC_PROVIDER_JS), args, why))
        return false;
    m_issuer = QStringLiteral("http://127.0.0.1:%1").arg(m_tool.port());
    return true;
}

QStringList OidcProvider::serverArgs() const {
    return {QStringLiteral("--oidc-issuer"), m_issuer, QStringLiteral("--oidc-client-id"),
            clientId()};
}

bool OidcProvider::startWithServer(TestServer &server, const QStringList &extraArgs, QString *why) {
    if (!start(why))
        return false;
    server.addArgs(serverArgs() + extraArgs);
    if (!server.start()) {
        *why = QStringLiteral("clusterra-server did not start in OIDC mode");
        return false;
    }
    return true;
}

OidcProvider::Hop OidcProvider::send(const QUrl &url, const QByteArray &form) {
    QNetworkRequest req(url);
    QNetworkReply *reply = nullptr;
    if (form.isNull()) {
        reply = m_nam.get(req);
    } else {
        req.setHeader(QNetworkRequest::ContentTypeHeader,
                      QByteArrayLiteral("application/x-www-form-urlencoded"));
        reply = m_nam.post(req, form);
    }
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(20000, &loop, &QEventLoop::quit);
    loop.exec();
    Hop hop;
    hop.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    hop.body = reply->readAll();
    const QByteArray location = reply->rawHeader("Location");
    if (!location.isEmpty())
        hop.location = url.resolved(QUrl::fromEncoded(location));
    reply->deleteLater();
    return hop;
}

QByteArray OidcProvider::mint(const nlohmann::json &claims, const QString &alg,
                              const QString &key) {
    QNetworkRequest req(QUrl(m_issuer + QStringLiteral("/test/mint")));
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply = m_nam.post(
        req, clusterra::dumpJson(
                 {{"claims", claims}, {"alg", alg.toStdString()}, {"key", key.toStdString()}}));
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    const nlohmann::json j = clusterra::parseJson(reply->readAll());
    reply->deleteLater();
    return clusterra::stringOr(j, "token").toUtf8();
}

nlohmann::json OidcProvider::claimsFor(const QString &email, const QString &nonce) const {
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    return {{"iss", m_issuer.toStdString()},
            {"aud", clientId().toStdString()},
            {"sub", email.toStdString()}, // as the provider's own accounts (provider.mjs)
            {"email", email.toStdString()},
            {"email_verified", true},
            {"nonce", nonce.toStdString()},
            {"iat", now},
            {"exp", now + 600}};
}

bool OidcProvider::rotateKeys() {
    return send(QUrl(m_issuer + QStringLiteral("/test/rotate")), "").status == 200;
}

QUrl OidcProvider::browse(const QUrl &authorizationUrl, const QString &login, QString *why) {
    const QString redirect =
        QUrlQuery(authorizationUrl)
            .queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded);
    m_nam.setCookieJar(new QNetworkCookieJar(&m_nam)); // a fresh private window: no session
    QUrl url = authorizationUrl;
    QByteArray form; // null: GET
    static const QRegularExpression action(QStringLiteral("<form[^>]*action=\"([^\"]+)\""));
    static const QRegularExpression prompt(QStringLiteral("name=\"prompt\" value=\"(\\w+)\""));
    for (int hops = 0; hops < 20; ++hops) {
        const Hop hop = send(url, form);
        form = QByteArray();
        if (hop.location.isValid()) {
            if (hop.location.toString().startsWith(redirect))
                return hop.location;
            url = hop.location;
            continue;
        }
        const QString page = QString::fromUtf8(hop.body);
        const auto a = action.match(page);
        const auto p = prompt.match(page);
        if (hop.status != 200 || !a.hasMatch() || !p.hasMatch()) {
            *why = QStringLiteral("the provider answered HTTP %1 at %2: %3")
                       .arg(hop.status)
                       .arg(url.toString(), page.left(300));
            return {};
        }
        // The dev interactions: a login form (any login and password), then a consent form.
        url = QUrl(a.captured(1).replace(QStringLiteral("&amp;"), QStringLiteral("&")));
        form = "prompt=" + p.captured(1).toUtf8();
        if (p.captured(1) == QLatin1String("login"))
            form += "&login=" + QUrl::toPercentEncoding(login) + "&password=secret";
    }
    *why = QStringLiteral("too many redirects");
    return {};
}

nlohmann::json OidcProvider::codeFlow(const QString &login, const QString &nonce, QString *why,
                                      const QString &clientId) {
    const QByteArray verifier = clusterra::crypto::randomToken(32);
    const QByteArray challenge =
        clusterra::crypto::base64UrlEncode(clusterra::crypto::sha256(verifier));
    const QString redirect = QStringLiteral("http://127.0.0.1:45678/");
    QUrl auth(m_issuer + QStringLiteral("/auth"));
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("client_id"), clientId);
    q.addQueryItem(QStringLiteral("response_type"), QStringLiteral("code"));
    q.addQueryItem(QStringLiteral("scope"), QStringLiteral("openid email"));
    q.addQueryItem(QStringLiteral("redirect_uri"), redirect);
    q.addQueryItem(QStringLiteral("code_challenge"), QString::fromLatin1(challenge));
    q.addQueryItem(QStringLiteral("code_challenge_method"), QStringLiteral("S256"));
    q.addQueryItem(QStringLiteral("state"), QStringLiteral("st"));
    q.addQueryItem(QStringLiteral("nonce"), nonce);
    auth.setQuery(q);
    const QUrl back = browse(auth, login, why);
    const QString code = QUrlQuery(back).queryItemValue(QStringLiteral("code"));
    if (code.isEmpty()) {
        if (why->isEmpty())
            *why = QStringLiteral("no code in ") + back.toString();
        return nlohmann::json::value_t::discarded;
    }
    const QByteArray form = "grant_type=authorization_code&code=" + QUrl::toPercentEncoding(code) +
                            "&redirect_uri=" + QUrl::toPercentEncoding(redirect) +
                            "&client_id=" + QUrl::toPercentEncoding(clientId) +
                            "&code_verifier=" + verifier;
    const Hop hop = send(QUrl(m_issuer + QStringLiteral("/token")), form);
    const nlohmann::json tokens = clusterra::parseJson(hop.body);
    if (hop.status != 200 || !tokens.contains("id_token")) {
        *why = QStringLiteral("token endpoint: HTTP %1 %2")
                   .arg(hop.status)
                   .arg(QString::fromUtf8(hop.body));
        return nlohmann::json::value_t::discarded;
    }
    return tokens;
}
