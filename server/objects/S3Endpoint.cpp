#include "server/objects/S3Endpoint.h"

#include "core/crypto/Crypto.h"
#include "core/util/Time.h"

#include <limits>

#include <QDateTime>
#include <QFile>
#include <QRegularExpression>
#include <QSaveFile>

namespace clusterra::server {

using http::Response;

Response s3Error(const QByteArray &code, const QString &message, const QString &resource) {
    static const QHash<QByteArray, int> statuses{
        {"AccessDenied", 403},   {"SignatureDoesNotMatch", 403}, {"InvalidAccessKeyId", 403},
        {"NoSuchKey", 404},      {"NoSuchBucket", 404},          {"NoSuchUpload", 404},
        {"InvalidPart", 400},    {"InvalidPartOrder", 400},      {"EntityTooSmall", 400},
        {"EntityTooLarge", 400}, {"InvalidArgument", 400},       {"InvalidRange", 416},
        {"MalformedXML", 400},   {"InternalError", 500},         {"ServiceUnavailable", 503}};
    const QByteArray body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code +
                            "</Code><Message>" + message.toHtmlEscaped().toUtf8() +
                            "</Message><Resource>" + resource.toHtmlEscaped().toUtf8() +
                            "</Resource><RequestId>" + crypto::randomToken(8) +
                            "</RequestId></Error>";
    return Response::text(body, "application/xml", statuses.value(code, 400));
}

S3Endpoint::S3Endpoint(ObjectStore &store, sigv4::Credentials credentials, QByteArray region)
    : m_store(store)
    , m_credentials(std::move(credentials))
    , m_region(std::move(region)) {}

QByteArray S3Endpoint::loadOrCreateCredentials(const QString &path, sigv4::Credentials *out) {
    QFile f(path);
    if (f.open(QIODevice::ReadOnly)) {
        const QList<QByteArray> parts = f.readAll().trimmed().split(':');
        if (parts.size() == 2) {
            *out = {parts[0], parts[1]};
            return {};
        }
    }
    *out = {"CLUSTERRA" + crypto::randomBytes(6).toHex().toUpper(), crypto::randomToken(30)};
    QSaveFile save(path);
    if (!save.open(QIODevice::WriteOnly))
        return "cannot write " + path.toUtf8();
    save.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    save.write(out->accessKeyId + ':' + out->secretKey + '\n');
    return save.commit() ? QByteArray() : "cannot write " + path.toUtf8();
}

sigv4::Presigned S3Endpoint::presign(const QUrl &baseUrl, const QByteArray &method,
                                     const QString &bucket, const QString &key,
                                     const sigv4::Pairs &extraQuery,
                                     const sigv4::Pairs &signedHeaders, int expiresSecs) const {
    QUrl url = baseUrl;
    url.setPath(m_pathPrefix + QStringLiteral("/s3/") + bucket + QLatin1Char('/') + key);
    return sigv4::presign(method, url, extraQuery, signedHeaders, m_credentials, m_region, "s3",
                          nowMs() / 1000, expiresSecs);
}

std::optional<Response> S3Endpoint::verify(const http::Request &req) const {
    sigv4::Received r;
    r.method = http::methodName(req.method == http::Method::Head ? http::Method::Get : req.method)
                   .toLatin1();
    r.path = (m_pathPrefix + req.path).toUtf8();
    for (auto it = req.query.begin(); it != req.query.end(); ++it)
        r.query.append({it.key().toUtf8(), it.value().toUtf8()});
    for (auto it = req.headers.begin(); it != req.headers.end(); ++it)
        r.headers.append({it.key(), it.value()});
    const auto verdict = sigv4::verifyPresigned(
        r, m_region, "s3",
        [this](const QByteArray &key) -> std::optional<QByteArray> {
            if (crypto::constantTimeEquals(key, m_credentials.accessKeyId))
                return m_credentials.secretKey;
            return std::nullopt;
        },
        nowMs() / 1000);
    switch (verdict) {
    case sigv4::Verdict::Ok:
        return std::nullopt;
    case sigv4::Verdict::BadSignature:
        return s3Error("SignatureDoesNotMatch", QString::fromLatin1(sigv4::verdictText(verdict)),
                       req.path);
    case sigv4::Verdict::UnknownKey:
        return s3Error("InvalidAccessKeyId", QString::fromLatin1(sigv4::verdictText(verdict)),
                       req.path);
    case sigv4::Verdict::Expired:
        return s3Error("AccessDenied", QStringLiteral("Request has expired"), req.path);
    default:
        return s3Error("AccessDenied", QString::fromLatin1(sigv4::verdictText(verdict)), req.path);
    }
}

void S3Endpoint::registerRoutes(http::Router &router) {
    router.addStreaming(
        http::Method::Put, QStringLiteral("/s3/{bucket}/{key...}"), http::Access::Public,
        [this](http::Request &req, Response *refusal) { return put(req, refusal); });
    router.add(http::Method::Get, QStringLiteral("/s3/{bucket}/{key...}"), http::Access::Public,
               [this](http::Request &req) { return get(req); });
}

std::unique_ptr<http::BodySink> S3Endpoint::put(http::Request &req, Response *refusal) {
    if (auto denied = verify(req)) {
        *refusal = *denied;
        return nullptr;
    }
    const QString bucket = req.param(QStringLiteral("bucket"));
    const QString key = req.param(QStringLiteral("key"));
    if (!m_store.bucketExists(bucket)) {
        *refusal = s3Error("NoSuchBucket", QStringLiteral("The bucket does not exist"), req.path);
        return nullptr;
    }
    bool ok = false;
    const qint64 length = req.header("content-length").toLongLong(&ok);
    const QString uploadId = req.query.value(QStringLiteral("uploadId"));
    if (!uploadId.isEmpty()) {
        const int part = req.query.value(QStringLiteral("partNumber")).toInt();
        const auto upload = m_store.upload(uploadId);
        if (!upload || upload->bucket != bucket || upload->key != key) {
            *refusal =
                s3Error("NoSuchUpload", QStringLiteral("The upload does not exist"), req.path);
            return nullptr;
        }
        if (part < 1 || part > m_store.limits().maxParts) {
            *refusal =
                s3Error("InvalidArgument",
                        QStringLiteral("partNumber must be 1 to %1").arg(m_store.limits().maxParts),
                        req.path);
            return nullptr;
        }
        if (ok && length > m_store.limits().maxPartBytes) {
            *refusal = s3Error(
                "EntityTooLarge",
                QStringLiteral("A part may be at most %1 bytes").arg(m_store.limits().maxPartBytes),
                req.path);
            return nullptr;
        }
        return m_store.putPart(*upload, part);
    }
    if (ok && length > m_store.limits().maxPutBytes) {
        *refusal = s3Error("EntityTooLarge",
                           QStringLiteral("Use a multipart upload above %1 bytes")
                               .arg(m_store.limits().maxPutBytes),
                           req.path);
        return nullptr;
    }
    return m_store.putObject(bucket, key, QString::fromUtf8(req.header("content-type")));
}

Response S3Endpoint::get(http::Request &req) {
    if (auto denied = verify(req))
        return *denied;
    const auto object =
        m_store.stat(req.param(QStringLiteral("bucket")), req.param(QStringLiteral("key")));
    if (!object)
        return s3Error("NoSuchKey", QStringLiteral("The specified key does not exist."), req.path);
    qint64 from = 0, to = object->size - 1;
    int status = 200;
    const QByteArray range = req.header("range");
    if (!range.isEmpty()) {
        static const QRegularExpression re(QStringLiteral("\\Abytes=(\\d*)-(\\d*)\\z"));
        const auto m = re.match(QString::fromLatin1(range));
        if (!m.hasMatch() || (m.captured(1).isEmpty() && m.captured(2).isEmpty()))
            return s3Error("InvalidRange", QStringLiteral("The requested range is not satisfiable"),
                           req.path);
        // Digits past what a qint64 holds are simply huge: past the end for a start, the whole
        // object for a suffix or an end (RFC 9110 ranges are clamped, not refused).
        const auto number = [](const QString &digits) {
            bool ok = false;
            const qint64 v = digits.toLongLong(&ok);
            return ok ? v : std::numeric_limits<qint64>::max();
        };
        if (m.captured(1).isEmpty()) { // the last N bytes
            from = qMax<qint64>(0, object->size - qMin(object->size, number(m.captured(2))));
        } else {
            from = number(m.captured(1));
            if (!m.captured(2).isEmpty())
                to = qMin(to, number(m.captured(2)));
        }
        if (from >= object->size || from > to)
            return s3Error("InvalidRange", QStringLiteral("The requested range is not satisfiable"),
                           req.path)
                .withHeader("Content-Range", "bytes */" + QByteArray::number(object->size));
        status = 206;
    }
    Response r = Response::file(object->file, from, object->size == 0 ? 0 : to - from + 1,
                                object->contentType.toUtf8(), status);
    r.withHeader("ETag", object->etag);
    r.withHeader("Accept-Ranges", "bytes");
    r.withHeader("Last-Modified", QDateTime::fromMSecsSinceEpoch(object->modifiedMs, Qt::UTC)
                                      .toString(Qt::RFC2822Date)
                                      .toLatin1());
    if (status == 206)
        r.withHeader("Content-Range", "bytes " + QByteArray::number(from) + '-' +
                                          QByteArray::number(to) + '/' +
                                          QByteArray::number(object->size));
    return r;
}

} // namespace clusterra::server
