#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <memory>

struct evp_md_ctx_st;

// Thin OpenSSL wrappers: Qt 6.4's QCryptographicHash is several times slower (design/STACK.md).
namespace clusterra::crypto {

QByteArray sha256(QByteArrayView data);
QByteArray hmacSha256(QByteArrayView key, QByteArrayView data);
QByteArray randomBytes(int count);
// Random bytes as unpadded base64url: safe in URLs, headers and file names.
QByteArray randomToken(int byteCount = 32);
QByteArray base64UrlEncode(QByteArrayView data);
// Strict decoding; std::nullopt-like empty result with ok=false on any invalid character.
QByteArray base64UrlDecode(QByteArrayView text, bool *ok);
// Compares in time that depends only on the lengths, never on where the bytes differ.
bool constantTimeEquals(QByteArrayView a, QByteArrayView b);

// MD5 fed in pieces, as the bytes arrive (a single-part S3 object's ETag is the MD5 of its
// bytes), so a download is checked without reading the finished file again.
class Md5 {
public:
    Md5();
    void reset();
    void add(QByteArrayView data);
    // The digest of everything added so far, in lower-case hex; adding may go on after.
    QByteArray hex() const;

private:
    std::unique_ptr<evp_md_ctx_st, void (*)(evp_md_ctx_st *)> m_ctx;
};

} // namespace clusterra::crypto
