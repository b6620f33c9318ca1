#pragma once

#include <QByteArray>
#include <QString>
#include <nlohmann/json.hpp>

namespace clusterra::jwt {

enum class Failure { None, Malformed, UnsupportedAlgorithm, BadSignature, Expired, NotYetValid };

struct Decoded {
    Failure failure = Failure::None;
    nlohmann::json header;
    nlohmann::json claims;
    QByteArray signingInput; // "<header>.<payload>" as sent
    QByteArray signature;    // raw bytes
};

// Splits and decodes a compact JWS without checking the signature.
Decoded decode(QByteArrayView token);

QByteArray signHs256(const nlohmann::json &claims, QByteArrayView secret);
// Checks alg=HS256, the signature (constant time), and exp/nbf against `nowSecs` with leeway.
Decoded verifyHs256(QByteArrayView token, QByteArrayView secret, qint64 nowSecs,
                    int leewaySecs = 30);

QString describe(Failure failure);

} // namespace clusterra::jwt
