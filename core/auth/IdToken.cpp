#include "core/auth/IdToken.h"

#include "core/crypto/Crypto.h"
#include "core/crypto/Jwt.h"
#include "core/util/Json.h"

namespace clusterra::oidc {

namespace {
bool audienceMatches(const nlohmann::json &claims, const QString &clientId) {
    const auto aud = claims.find("aud");
    if (aud == claims.end())
        return false;
    if (aud->is_string())
        return toQ(aud->get<std::string>()) == clientId;
    if (!aud->is_array())
        return false;
    const QStringList audiences = stringList(*aud);
    if (!audiences.contains(clientId))
        return false;
    // Several audiences: the authorized party must be us (Core 1.0, 3.1.3.7 items 4 and 5).
    return audiences.size() == 1 || stringOr(claims, "azp") == clientId;
}
} // namespace

IdTokenResult verifyIdToken(QByteArrayView token, const crypto::JwkSet &keys,
                            const IdTokenExpectations &expected) {
    IdTokenResult r;
    const jwt::Decoded d = jwt::decode(token);
    if (d.failure != jwt::Failure::None) {
        r.failure = IdTokenFailure::Malformed;
        return r;
    }
    const QString alg = stringOr(d.header, "alg");
    if (alg != QLatin1String("RS256") && alg != QLatin1String("ES256")) {
        // "none" and HS256 (signed with the public client id as secret) are refused here.
        r.failure = IdTokenFailure::UnsupportedAlgorithm;
        return r;
    }
    r.kid = stringOr(d.header, "kid");
    const crypto::PublicKey *key = keys.find(r.kid, alg);
    if (!key) {
        r.failure = IdTokenFailure::UnknownKey;
        return r;
    }
    if (!key->verify(d.signingInput, d.signature)) {
        r.failure = IdTokenFailure::BadSignature;
        return r;
    }
    const nlohmann::json &c = d.claims;
    if (stringOr(c, "iss") != expected.issuer) {
        r.failure = IdTokenFailure::WrongIssuer;
        return r;
    }
    if (!audienceMatches(c, expected.clientId)) {
        r.failure = IdTokenFailure::WrongAudience;
        return r;
    }
    const auto exp = intMember(c, "exp");
    const auto iat = intMember(c, "iat");
    if (!exp || !iat) {
        r.failure = IdTokenFailure::Malformed;
        return r;
    }
    if (expected.nowSecs > *exp + expected.skewSecs) {
        r.failure = IdTokenFailure::Expired;
        return r;
    }
    if (*iat > expected.nowSecs + expected.skewSecs) {
        r.failure = IdTokenFailure::IssuedInFuture;
        return r;
    }
    if (*iat + expected.maxAgeSecs < expected.nowSecs - expected.skewSecs) {
        r.failure = IdTokenFailure::TooOld;
        return r;
    }
    // Compared in constant time: the nonce binds the token to this sign-in.
    const QByteArray nonce = stringOr(c, "nonce").toUtf8();
    if (expected.nonce.isEmpty() || !crypto::constantTimeEquals(nonce, expected.nonce.toUtf8())) {
        r.failure = IdTokenFailure::NonceMismatch;
        return r;
    }
    if (stringOr(c, "sub").isEmpty()) {
        r.failure = IdTokenFailure::NoSubject;
        return r;
    }
    r.claims = c;
    return r;
}

QString describe(IdTokenFailure failure) {
    switch (failure) {
    case IdTokenFailure::None:
        return {};
    case IdTokenFailure::Malformed:
        return QStringLiteral("The ID token is malformed.");
    case IdTokenFailure::UnsupportedAlgorithm:
        return QStringLiteral("The ID token is signed with an algorithm this server does not "
                              "accept (RS256 and ES256 are accepted).");
    case IdTokenFailure::UnknownKey:
        return QStringLiteral("The ID token is signed with a key the identity provider does not "
                              "publish.");
    case IdTokenFailure::BadSignature:
        return QStringLiteral("The ID token's signature is not valid.");
    case IdTokenFailure::WrongIssuer:
        return QStringLiteral("The ID token comes from a different identity provider.");
    case IdTokenFailure::WrongAudience:
        return QStringLiteral("The ID token was issued to a different application.");
    case IdTokenFailure::Expired:
        return QStringLiteral("The ID token has expired. Sign in again.");
    case IdTokenFailure::IssuedInFuture:
        return QStringLiteral("The ID token is dated in the future; check this computer's clock.");
    case IdTokenFailure::TooOld:
        return QStringLiteral("The ID token is too old. Sign in again.");
    case IdTokenFailure::NonceMismatch:
        return QStringLiteral("The ID token does not belong to this sign-in (nonce mismatch).");
    case IdTokenFailure::NoSubject:
        return QStringLiteral("The ID token names no subject.");
    }
    return {};
}

QString unverifiedNonce(QByteArrayView token) {
    const jwt::Decoded d = jwt::decode(token);
    return d.failure == jwt::Failure::None ? stringOr(d.claims, "nonce") : QString();
}

} // namespace clusterra::oidc
