#pragma once

#include "core/crypto/Jwk.h"

#include <QString>
#include <nlohmann/json.hpp>

namespace clusterra::oidc {

// What an ID token must say to be accepted (OpenID Connect Core 1.0, section 3.1.3.7).
struct IdTokenExpectations {
    QString issuer;   // exactly the configured issuer
    QString clientId; // must be in aud; azp must name it when aud has several entries
    QString nonce;    // the nonce the client put in the authorization request
    qint64 nowSecs = 0;
    int skewSecs = 60;          // tolerated clock difference for exp and iat
    int maxAgeSecs = 24 * 3600; // an iat older than this is refused even if exp is later
};

enum class IdTokenFailure {
    None,
    Malformed,
    UnsupportedAlgorithm,
    UnknownKey, // no key with this kid: the issuer may have rotated; refetch the JWKS once
    BadSignature,
    WrongIssuer,
    WrongAudience,
    Expired,
    IssuedInFuture,
    TooOld,
    NonceMismatch,
    NoSubject,
};

struct IdTokenResult {
    IdTokenFailure failure = IdTokenFailure::None;
    nlohmann::json claims; // only meaningful when failure is None
    QString kid;
    bool ok() const { return failure == IdTokenFailure::None; }
};

IdTokenResult verifyIdToken(QByteArrayView token, const crypto::JwkSet &keys,
                            const IdTokenExpectations &expected);

// A sentence for the person signing in; never includes the token.
QString describe(IdTokenFailure failure);

// The token's nonce, read without any check: the console compares it with the one it sent
// before handing the token to the server (which checks everything again).
QString unverifiedNonce(QByteArrayView token);

} // namespace clusterra::oidc
