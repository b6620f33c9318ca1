#include "session/Session.h"

#include "core/client/ApiClient.h"
#include "core/util/Json.h"
#include "session/BrowserSignIn.h"
#include "session/TokenStore.h"

namespace clusterra {

Session::Session(ApiClient *api, TokenStore *store, QString profileName, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_store(store)
    , m_profile(std::move(profileName)) {
    m_refreshTimer.setSingleShot(true);
    connect(&m_refreshTimer, &QTimer::timeout, this, [this] { refresh([](bool) {}); });
    m_api->setReauthenticator([this](std::function<void(bool)> done) { refresh(done); });
}

void Session::begin() {
    m_api->send("GET", QStringLiteral("/v1/auth/config"), nullptr, this,
                [this](const nlohmann::json &config, const ApiError &e) {
                    if (e.isError())
                        return Q_EMIT failed(
                            tr("Cannot reach %1: %2").arg(m_api->baseUrl().toString(), e.message));
                    if (stringOr(config, "mode") != QLatin1String("oidc"))
                        return Q_EMIT failed(tr("%1 signs in with a local token; start the "
                                                "console with --token-file.")
                                                 .arg(m_api->baseUrl().toString()));
                    m_issuer = stringOr(config, "issuer");
                    m_clientId = stringOr(config, "client_id");
                    m_scopes = stringList(arrayMember(config, "scopes"));
                    m_store->load(m_profile, [this](const QByteArray &stored) {
                        if (stored.isEmpty())
                            return Q_EMIT signInRequired(QString());
                        m_refreshToken = stored;
                        refresh([this](bool ok) {
                            if (!ok)
                                Q_EMIT signInRequired(
                                    tr("Your previous session has ended. Sign in again."));
                        });
                    });
                });
}

void Session::signInWithBrowser() {
    if (m_browser)
        m_browser->deleteLater();
    m_browser = new BrowserSignIn(m_issuer, m_clientId, m_scopes, this);
    connect(m_browser, &BrowserSignIn::idTokenReceived, this, &Session::sendIdToken);
    connect(m_browser, &BrowserSignIn::failed, this, &Session::failed);
    Q_EMIT browserSignInStarted();
    m_browser->start();
}

void Session::cancelSignIn() {
    if (m_browser)
        m_browser->cancel();
}

void Session::sendIdToken(const QByteArray &idToken, const QString &nonce,
                          const QByteArray &accessToken) {
    nlohmann::json body{{"id_token", idToken.toStdString()}, {"nonce", nonce.toStdString()}};
    if (!accessToken.isEmpty())
        body["access_token"] = accessToken.toStdString();
    m_api->send("POST", QStringLiteral("/v1/auth/callback"), body, this,
                [this, nonce](const nlohmann::json &grant, const ApiError &e) {
                    if (e.isError())
                        return Q_EMIT failed(e.message);
                    // The server echoes the nonce of the token it accepted.
                    if (stringOr(grant, "nonce") != nonce)
                        return Q_EMIT failed(tr("The server's answer does not belong to this "
                                                "sign-in."));
                    QString why;
                    if (!applyGrant(grant, &why))
                        return Q_EMIT failed(why);
                    Q_EMIT signedIn(m_user);
                });
}

bool Session::applyGrant(const nlohmann::json &grant, QString *why) {
    const QByteArray access = stringOr(grant, "access_token").toUtf8();
    const QByteArray refresh = stringOr(grant, "refresh_token").toUtf8();
    if (access.isEmpty() || refresh.isEmpty()) {
        *why = tr("The server's answer has no session in it.");
        return false;
    }
    m_api->setAccessToken(access);
    m_refreshToken = refresh;
    m_store->save(m_profile, refresh);
    m_user = UserInfo::fromJson(objectMember(grant, "user"));
    const qint64 ttlMs = qMax<qint64>(intMember(grant, "expires_in").value_or(900), 10) * 1000;
    m_refreshTimer.start(int(ttlMs * 8 / 10));
    return true;
}

void Session::refresh(std::function<void(bool)> done) {
    if (m_refreshToken.isEmpty()) {
        done(false);
        return;
    }
    const bool wasSignedIn = isSignedIn();
    m_api->send("POST", QStringLiteral("/v1/auth/refresh"),
                {{"refresh_token", m_refreshToken.toStdString()}}, this,
                [this, done, wasSignedIn](const nlohmann::json &grant, const ApiError &e) {
                    QString why = e.message;
                    if (!e.isError() && applyGrant(grant, &why)) {
                        if (!wasSignedIn)
                            Q_EMIT signedIn(m_user);
                        done(true);
                        return;
                    }
                    if (e.type == ErrorType::NetworkError) {
                        // Offline is not signed out: try again in a while.
                        m_refreshTimer.start(15000);
                        done(false);
                        return;
                    }
                    m_refreshToken.clear();
                    m_store->remove(m_profile);
                    if (wasSignedIn)
                        Q_EMIT expired(tr("You were signed out — sign in again; your work "
                                          "stays as it is. (%1)")
                                           .arg(why));
                    done(false);
                });
}

void Session::signOut() {
    m_refreshTimer.stop();
    const QByteArray token = std::exchange(m_refreshToken, {});
    m_store->remove(m_profile);
    auto finish = [this] {
        m_api->setAccessToken({});
        m_user = {};
        Q_EMIT signedOut();
    };
    if (token.isEmpty())
        return finish();
    m_api->send("POST", QStringLiteral("/v1/auth/logout"), {{"refresh_token", token.toStdString()}},
                this, [finish](const nlohmann::json &, const ApiError &) { finish(); });
}

} // namespace clusterra
