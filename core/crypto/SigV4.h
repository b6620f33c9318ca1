#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QUrl>
#include <functional>
#include <optional>

// AWS Signature Version 4 (HMAC-SHA256), once for everyone: the server presigns URLs for its
// object store and verifies them; the real-S3 backend signs its own calls with headers.
namespace clusterra::sigv4 {

using Pairs = QList<QPair<QByteArray, QByteArray>>;

struct Credentials {
    QByteArray accessKeyId;
    QByteArray secretKey;
};

struct Scope {
    QByteArray date; // YYYYMMDD
    QByteArray region;
    QByteArray service; // "s3"
    QByteArray toString() const { return date + '/' + region + '/' + service + "/aws4_request"; }
};

// A request in the parts SigV4 looks at. `path` and `query` hold decoded text; encoding is
// this module's job, so signer and verifier cannot disagree about it.
struct Request {
    QByteArray method;
    QByteArray path = "/";
    Pairs query;
    Pairs headers; // any case; "host" must be among them
    QByteArray payloadHash = "UNSIGNED-PAYLOAD";
};

inline constexpr char kUnsignedPayload[] = "UNSIGNED-PAYLOAD";
inline constexpr int kMaxPresignSeconds = 7 * 24 * 3600; // S3's own limit

// RFC 3986 unreserved characters stay; everything else becomes %XX (upper case).
QByteArray uriEncode(QByteArrayView text, bool encodeSlash);
QByteArray canonicalRequest(const Request &request, QByteArray *signedHeaders);
QByteArray stringToSign(const QByteArray &amzDate, const Scope &scope, const QByteArray &canonical);
QByteArray signingKey(const QByteArray &secretKey, const Scope &scope);
// Hex signature of `request` as it stands (its X-Amz-Signature query item, if any, excluded).
QByteArray signature(const Request &request, const QByteArray &amzDate, const Scope &scope,
                     const QByteArray &secretKey);

// Header authentication: adds x-amz-date and x-amz-content-sha256, returns the Authorization
// header value.
QByteArray authorizationHeader(Request &request, const Credentials &creds,
                               const QByteArray &amzDate, const Scope &scope);

struct Presigned {
    QUrl url;
    Pairs headers; // the signed headers besides host, which the client must send as they are
    qint64 expiresAtSecs = 0;
};

// Query-string authentication (a presigned URL) for `method` on `base` (scheme, host, port,
// path). `signedHeaders` are sent by the client too (e.g. content-type). `nowSecs` is UTC.
Presigned presign(const QByteArray &method, const QUrl &base, const Pairs &extraQuery,
                  const Pairs &signedHeaders, const Credentials &creds, const QByteArray &region,
                  const QByteArray &service, qint64 nowSecs, int expiresSecs);

enum class Verdict {
    Ok,
    NotSigned,
    Malformed,
    UnknownKey,
    WrongScope,
    NotYetValid,
    Expired,
    BadSignature
};
QByteArray verdictText(Verdict verdict);

struct Received {
    QByteArray method;
    QByteArray path; // decoded
    Pairs query;     // decoded, as received
    Pairs headers;   // as received
};

// Checks a presigned request: algorithm, credential scope, date and expiry (against `nowSecs`),
// signed headers present, and the signature in constant time.
Verdict verifyPresigned(
    const Received &request, const QByteArray &region, const QByteArray &service,
    const std::function<std::optional<QByteArray>(const QByteArray &accessKey)> &secretFor,
    qint64 nowSecs, QByteArray *accessKey = nullptr);

QByteArray amzDate(qint64 secs);                            // 20130524T000000Z
std::optional<qint64> parseAmzDate(const QByteArray &text); // its inverse; nullopt if malformed
QByteArray shortDate(qint64 secs);                          // 20130524

} // namespace clusterra::sigv4
