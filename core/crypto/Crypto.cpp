#include "core/crypto/Crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <stdexcept>

namespace clusterra::crypto {

Md5::Md5()
    : m_ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free) {
    reset();
}

void Md5::reset() {
    EVP_DigestInit_ex(m_ctx.get(), EVP_md5(), nullptr);
}

void Md5::add(QByteArrayView data) {
    EVP_DigestUpdate(m_ctx.get(), data.data(), size_t(data.size()));
}

QByteArray Md5::hex() const {
    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX *)> copy(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    EVP_MD_CTX_copy_ex(copy.get(), m_ctx.get());
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(copy.get(), digest, &len);
    return QByteArray(reinterpret_cast<const char *>(digest), int(len)).toHex();
}

QByteArray sha256(QByteArrayView data) {
    QByteArray out(32, Qt::Uninitialized);
    unsigned int len = 0;
    EVP_Digest(data.data(), size_t(data.size()), reinterpret_cast<unsigned char *>(out.data()),
               &len, EVP_sha256(), nullptr);
    return out;
}

QByteArray hmacSha256(QByteArrayView key, QByteArrayView data) {
    QByteArray out(32, Qt::Uninitialized);
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), int(key.size()),
         reinterpret_cast<const unsigned char *>(data.data()), size_t(data.size()),
         reinterpret_cast<unsigned char *>(out.data()), &len);
    return out;
}

QByteArray randomBytes(int count) {
    QByteArray out(count, Qt::Uninitialized);
    if (RAND_bytes(reinterpret_cast<unsigned char *>(out.data()), count) != 1)
        throw std::runtime_error("OpenSSL RAND_bytes failed");
    return out;
}

QByteArray randomToken(int byteCount) {
    return base64UrlEncode(randomBytes(byteCount));
}

QByteArray base64UrlEncode(QByteArrayView data) {
    return data.toByteArray().toBase64(QByteArray::Base64UrlEncoding |
                                       QByteArray::OmitTrailingEquals);
}

QByteArray base64UrlDecode(QByteArrayView text, bool *ok) {
    auto result = QByteArray::fromBase64Encoding(text.toByteArray(),
                                                 QByteArray::Base64UrlEncoding |
                                                     QByteArray::AbortOnBase64DecodingErrors);
    if (ok)
        *ok = bool(result);
    return result ? *result : QByteArray();
}

bool constantTimeEquals(QByteArrayView a, QByteArrayView b) {
    if (a.size() != b.size())
        return false;
    return CRYPTO_memcmp(a.data(), b.data(), size_t(a.size())) == 0;
}

} // namespace clusterra::crypto
