#pragma once

#include <QByteArray>
#include <QByteArrayView>

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

} // namespace clusterra::crypto
