#include "core/crypto/Jwt.h"

#include "core/crypto/Crypto.h"
#include "core/util/Json.h"

namespace clusterra::jwt {

Decoded decode(QByteArrayView token) {
    Decoded d;
    const auto parts = token.toByteArray().split('.');
    if (parts.size() != 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
        d.failure = Failure::Malformed;
        return d;
    }
    bool ok1 = false, ok2 = false, ok3 = false;
    d.header = parseJson(crypto::base64UrlDecode(parts[0], &ok1));
    d.claims = parseJson(crypto::base64UrlDecode(parts[1], &ok2));
    d.signature = crypto::base64UrlDecode(parts[2], &ok3);
    if (!ok1 || !ok2 || !ok3 || !d.header.is_object() || !d.claims.is_object())
        d.failure = Failure::Malformed;
    d.signingInput = parts[0] + '.' + parts[1];
    return d;
}

QByteArray signHs256(const nlohmann::json &claims, QByteArrayView secret) {
    const nlohmann::json header{{"alg", "HS256"}, {"typ", "JWT"}};
    const QByteArray input =
        crypto::base64UrlEncode(dumpJson(header)) + '.' + crypto::base64UrlEncode(dumpJson(claims));
    return input + '.' + crypto::base64UrlEncode(crypto::hmacSha256(secret, input));
}

Decoded verifyHs256(QByteArrayView token, QByteArrayView secret, qint64 nowSecs, int leewaySecs) {
    Decoded d = decode(token);
    if (d.failure != Failure::None)
        return d;
    if (d.header.value("alg", std::string()) != "HS256") {
        d.failure = Failure::UnsupportedAlgorithm;
        return d;
    }
    if (!crypto::constantTimeEquals(crypto::hmacSha256(secret, d.signingInput), d.signature)) {
        d.failure = Failure::BadSignature;
        return d;
    }
    const auto exp = intMember(d.claims, "exp");
    if (!exp || nowSecs > *exp + leewaySecs) {
        d.failure = Failure::Expired;
        return d;
    }
    if (const auto nbf = intMember(d.claims, "nbf"); nbf && nowSecs + leewaySecs < *nbf)
        d.failure = Failure::NotYetValid;
    return d;
}

QString describe(Failure failure) {
    switch (failure) {
    case Failure::None:
        return {};
    case Failure::Malformed:
        return QStringLiteral("the token is malformed");
    case Failure::UnsupportedAlgorithm:
        return QStringLiteral("the token uses an unsupported algorithm");
    case Failure::BadSignature:
        return QStringLiteral("the token signature is invalid");
    case Failure::Expired:
        return QStringLiteral("the token has expired");
    case Failure::NotYetValid:
        return QStringLiteral("the token is not valid yet");
    }
    return {};
}

} // namespace clusterra::jwt
