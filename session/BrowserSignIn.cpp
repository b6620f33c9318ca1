#include "session/BrowserSignIn.h"

#include "core/auth/IdToken.h"
#include "core/crypto/Crypto.h"
#include "core/util/Json.h"

#include <QNetworkReply>
#include <QOAuth2AuthorizationCodeFlow>
#include <QOAuthHttpServerReplyHandler>

namespace clusterra {

namespace {
// The page the browser shows once the code has arrived.
const char kDonePage[] =
    "<!doctype html><html><head><meta charset=\"utf-8\"><title>Clusterra Console</title>"
    "<style>body{font-family:sans-serif;margin:4em;color:#222;background:#fafafa}"
    "@media (prefers-color-scheme:dark){body{color:#eee;background:#1e1e1e}}</style></head>"
    "<body><h2>You are signed in to Clusterra Console.</h2>"
    "<p>You can close this tab and return to the console.</p></body></html>";
} // namespace

BrowserSignIn::BrowserSignIn(QString issuer, QString clientId, QStringList scopes, QObject *parent)
    : QObject(parent)
    , m_issuer(std::move(issuer))
    , m_clientId(std::move(clientId))
    , m_scopes(std::move(scopes)) {
    m_nam.setTransferTimeout(15000);
    m_timeout.setSingleShot(true);
    m_timeout.setInterval(5 * 60 * 1000);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        fail(tr("The sign-in was not finished within %n minute(s). Try again.", nullptr,
                m_timeout.interval() / 60000));
    });
}

BrowserSignIn::~BrowserSignIn() {
    stopListening();
}

void BrowserSignIn::start() {
    m_timeout.start();
    discover();
}

void BrowserSignIn::cancel() {
    if (m_done)
        return;
    m_done = true;
    stopListening();
    Q_EMIT cancelled();
}

void BrowserSignIn::stopListening() {
    m_timeout.stop();
    if (m_handler)
        m_handler->close();
}

void BrowserSignIn::fail(const QString &message) {
    if (m_done)
        return;
    m_done = true;
    stopListening();
    Q_EMIT failed(message);
}

void BrowserSignIn::discover() {
    QString base = m_issuer;
    if (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    QNetworkReply *reply = m_nam.get(
        QNetworkRequest(QUrl(base + QStringLiteral("/.well-known/openid-configuration"))));
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        if (m_done)
            return;
        const nlohmann::json doc = parseJson(reply->readAll());
        if (reply->error() != QNetworkReply::NoError || !doc.is_object())
            return fail(tr("The identity provider %1 could not be reached: %2")
                            .arg(m_issuer, reply->errorString()));
        const QUrl authorize(stringOr(doc, "authorization_endpoint"));
        const QUrl token(stringOr(doc, "token_endpoint"));
        if (stringOr(doc, "issuer") != m_issuer || !authorize.isValid() || !token.isValid())
            return fail(tr("The identity provider %1 describes itself inconsistently; ask the "
                           "server's administrator to check its issuer URL.")
                            .arg(m_issuer));
        beginFlow(authorize, token);
    });
}

void BrowserSignIn::beginFlow(const QUrl &authorizationEndpoint, const QUrl &tokenEndpoint) {
    // Loopback only, on a port the system picks (RFC 8252 section 7.3).
    m_handler = new QOAuthHttpServerReplyHandler(QHostAddress::LocalHost, 0, this);
    if (!m_handler->isListening())
        return fail(tr("Cannot listen on 127.0.0.1 for the browser's answer."));
    m_handler->setCallbackText(QString::fromLatin1(kDonePage));
    m_flow = new QOAuth2AuthorizationCodeFlow(&m_nam, this);
    m_flow->setAuthorizationUrl(authorizationEndpoint);
    m_flow->setAccessTokenUrl(tokenEndpoint);
    m_flow->setClientIdentifier(m_clientId);
    m_flow->setScope(m_scopes.join(QLatin1Char(' ')));
    m_flow->setReplyHandler(m_handler);

    m_verifier = crypto::randomToken(32);
    m_nonce = QString::fromLatin1(crypto::randomToken(16));
    const QString challenge =
        QString::fromLatin1(crypto::base64UrlEncode(crypto::sha256(m_verifier)));
    // QtNetworkAuth 6.4 has no PKCE of its own: the parameters go in through this hook.
    m_flow->setModifyParametersFunction(
        [this, challenge](QAbstractOAuth::Stage stage, QMultiMap<QString, QVariant> *params) {
            if (stage == QAbstractOAuth::Stage::RequestingAuthorization) {
                params->replace(QStringLiteral("code_challenge"), challenge);
                params->replace(QStringLiteral("code_challenge_method"), QStringLiteral("S256"));
                params->replace(QStringLiteral("nonce"), m_nonce);
            } else if (stage == QAbstractOAuth::Stage::RequestingAccessToken) {
                params->replace(QStringLiteral("code_verifier"), QString::fromLatin1(m_verifier));
            }
        });
    connect(m_flow, &QAbstractOAuth::authorizeWithBrowser, this, [this](const QUrl &url) {
        m_authorizationUrl = url;
        Q_EMIT openBrowser(url);
    });
    connect(m_flow, &QAbstractOAuth::granted, this, &BrowserSignIn::finishGranted);
    // QtNetworkAuth 6.4 only logs a provider's error redirect; read it here.
    connect(m_handler, &QAbstractOAuthReplyHandler::callbackReceived, this,
            [this](const QVariantMap &values) {
                const QString error = values.value(QStringLiteral("error")).toString();
                if (error.isEmpty())
                    return;
                const QString description =
                    values.value(QStringLiteral("error_description")).toString();
                fail(error == QLatin1String("access_denied")
                         ? tr("The sign-in was refused at the identity provider.")
                         : tr("The identity provider refused the sign-in: %1")
                               .arg(description.isEmpty() ? error : description));
            });
    connect(m_flow, &QAbstractOAuth::requestFailed, this, [this](QAbstractOAuth::Error) {
        fail(tr("The identity provider did not complete the sign-in (the code could not be "
                "exchanged). Try again."));
    });
    m_flow->grant();
}

void BrowserSignIn::finishGranted() {
    const QByteArray idToken =
        m_flow->extraTokens().value(QStringLiteral("id_token")).toByteArray();
    if (idToken.isEmpty())
        return fail(tr("The identity provider returned no ID token; is \"openid\" among the "
                       "scopes?"));
    // A token minted for another sign-in (a replay, a mix-up) stops here.
    if (oidc::unverifiedNonce(idToken) != m_nonce)
        return fail(tr("The identity provider's answer does not belong to this sign-in."));
    m_done = true;
    stopListening();
    Q_EMIT idTokenReceived(idToken, m_nonce, m_flow->token().toUtf8());
}

} // namespace clusterra
