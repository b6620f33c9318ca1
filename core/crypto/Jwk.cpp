#include "core/crypto/Jwk.h"

#include "core/crypto/Crypto.h"
#include "core/util/Json.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

namespace clusterra::crypto {

struct PublicKey::Key {
    EVP_PKEY *pkey = nullptr;
    ~Key() { EVP_PKEY_free(pkey); }
};

namespace {
struct BnFree {
    void operator()(BIGNUM *b) const { BN_free(b); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;

QByteArray member(const nlohmann::json &jwk, const char *name, bool *ok) {
    bool decoded = false;
    QByteArray bytes = base64UrlDecode(stringOr(jwk, name).toLatin1(), &decoded);
    *ok = *ok && decoded && !bytes.isEmpty();
    return bytes;
}

Bn bignum(const QByteArray &bytes) {
    return Bn(BN_bin2bn(reinterpret_cast<const unsigned char *>(bytes.constData()),
                        int(bytes.size()), nullptr));
}

EVP_PKEY *fromParams(const char *type, OSSL_PARAM_BLD *bld) {
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr);
    EVP_PKEY *pkey = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
        EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0)
        pkey = nullptr;
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    return pkey;
}

EVP_PKEY *rsaKey(const nlohmann::json &jwk, QString *why) {
    bool ok = true;
    const Bn n = bignum(member(jwk, "n", &ok));
    const Bn e = bignum(member(jwk, "e", &ok));
    if (!ok || !n || !e) {
        *why = QStringLiteral("RSA key without valid n and e");
        return nullptr;
    }
    if (BN_num_bits(n.get()) < 2048) {
        *why = QStringLiteral("RSA key shorter than 2048 bits");
        return nullptr;
    }
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n.get());
    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e.get());
    EVP_PKEY *pkey = fromParams("RSA", bld);
    OSSL_PARAM_BLD_free(bld);
    if (!pkey)
        *why = QStringLiteral("OpenSSL refused the RSA key");
    return pkey;
}

EVP_PKEY *ecKey(const nlohmann::json &jwk, QString *why) {
    if (stringOr(jwk, "crv") != QLatin1String("P-256")) {
        *why = QStringLiteral("EC key on a curve other than P-256");
        return nullptr;
    }
    bool ok = true;
    const QByteArray x = member(jwk, "x", &ok);
    const QByteArray y = member(jwk, "y", &ok);
    if (!ok || x.size() != 32 || y.size() != 32) {
        *why = QStringLiteral("EC key without 32-byte x and y");
        return nullptr;
    }
    const QByteArray point = QByteArray(1, '\x04') + x + y; // uncompressed SEC1 point
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.constData(),
                                     size_t(point.size()));
    EVP_PKEY *pkey = fromParams("EC", bld);
    OSSL_PARAM_BLD_free(bld);
    if (!pkey)
        *why = QStringLiteral("OpenSSL refused the EC key (not a point on P-256)");
    return pkey;
}

// JWS carries ECDSA signatures as raw r||s; OpenSSL wants DER.
QByteArray ecdsaRawToDer(QByteArrayView raw) {
    if (raw.size() != 64)
        return {};
    ECDSA_SIG *sig = ECDSA_SIG_new();
    const auto *bytes = reinterpret_cast<const unsigned char *>(raw.data());
    ECDSA_SIG_set0(sig, BN_bin2bn(bytes, 32, nullptr), BN_bin2bn(bytes + 32, 32, nullptr));
    unsigned char *der = nullptr;
    const int len = i2d_ECDSA_SIG(sig, &der);
    QByteArray out = len > 0 ? QByteArray(reinterpret_cast<const char *>(der), len) : QByteArray();
    OPENSSL_free(der);
    ECDSA_SIG_free(sig);
    return out;
}
} // namespace

std::optional<PublicKey> PublicKey::fromJwk(const nlohmann::json &jwk, QString *why) {
    if (!jwk.is_object()) {
        *why = QStringLiteral("not a JSON object");
        return std::nullopt;
    }
    const QString kty = stringOr(jwk, "kty");
    if (stringOr(jwk, "use", QStringLiteral("sig")) != QLatin1String("sig")) {
        *why = QStringLiteral("key not meant for signatures");
        return std::nullopt;
    }
    PublicKey key;
    key.m_kid = stringOr(jwk, "kid");
    EVP_PKEY *pkey = nullptr;
    if (kty == QLatin1String("RSA")) {
        key.m_alg = QStringLiteral("RS256");
        pkey = rsaKey(jwk, why);
    } else if (kty == QLatin1String("EC")) {
        key.m_alg = QStringLiteral("ES256");
        pkey = ecKey(jwk, why);
    } else {
        *why = QStringLiteral("unsupported key type \"%1\"").arg(kty);
    }
    if (!pkey)
        return std::nullopt;
    if (const QString alg = stringOr(jwk, "alg"); !alg.isEmpty() && alg != key.m_alg) {
        EVP_PKEY_free(pkey);
        *why = QStringLiteral("key algorithm %1 is not supported").arg(alg);
        return std::nullopt;
    }
    key.m_key = std::make_shared<Key>();
    key.m_key->pkey = pkey;
    return key;
}

bool PublicKey::verify(QByteArrayView signingInput, QByteArrayView signature) const {
    if (!m_key)
        return false;
    const QByteArray sig =
        m_alg == QLatin1String("ES256") ? ecdsaRawToDer(signature) : signature.toByteArray();
    if (sig.isEmpty())
        return false;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    const bool ok = EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, m_key->pkey) == 1 &&
                    EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char *>(sig.constData()),
                                     size_t(sig.size()),
                                     reinterpret_cast<const unsigned char *>(signingInput.data()),
                                     size_t(signingInput.size())) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}

JwkSet JwkSet::fromJson(const nlohmann::json &jwks, QStringList *skipped) {
    JwkSet set;
    if (!jwks.is_object() || !jwks.contains("keys") || !jwks["keys"].is_array())
        return set;
    for (const auto &jwk : jwks["keys"]) {
        QString why;
        if (auto key = PublicKey::fromJwk(jwk, &why))
            set.m_keys.append(*key);
        else if (skipped)
            skipped->append(why);
    }
    return set;
}

const PublicKey *JwkSet::find(const QString &kid, const QString &alg) const {
    const PublicKey *onlyOne = nullptr;
    int candidates = 0;
    for (const PublicKey &k : m_keys) {
        if (k.algorithm() != alg)
            continue;
        if (!kid.isEmpty() && k.kid() == kid)
            return &k;
        ++candidates;
        onlyOne = &k;
    }
    // A token without kid may use the issuer's only key of that algorithm.
    return kid.isEmpty() && candidates == 1 ? onlyOne : nullptr;
}

} // namespace clusterra::crypto
