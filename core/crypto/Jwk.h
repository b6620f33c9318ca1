#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

namespace clusterra::crypto {

// A public signature key read from a JSON Web Key (RFC 7517): RSA (n, e; at least 2048 bits)
// or EC P-256 (x, y). Verifies RS256 and ES256 signatures with OpenSSL.
class PublicKey {
public:
    static std::optional<PublicKey> fromJwk(const nlohmann::json &jwk, QString *why);

    QString kid() const { return m_kid; }
    // "RS256" or "ES256": the algorithm this key can check.
    QString algorithm() const { return m_alg; }
    // `signature` as sent in a JWS: PKCS#1 v1.5 bytes for RS256, raw r||s (64 bytes) for ES256.
    bool verify(QByteArrayView signingInput, QByteArrayView signature) const;

private:
    struct Key;
    std::shared_ptr<Key> m_key;
    QString m_kid;
    QString m_alg;
};

// The keys of an issuer's jwks_uri, by kid. Keys of other types or uses are skipped.
class JwkSet {
public:
    static JwkSet fromJson(const nlohmann::json &jwks, QStringList *skipped = nullptr);
    const PublicKey *find(const QString &kid, const QString &alg) const;
    int size() const { return int(m_keys.size()); }

private:
    QList<PublicKey> m_keys;
};

} // namespace clusterra::crypto
