#include "server/objects/S3Backend.h"

#include "core/base/Guard.h"
#include "core/crypto/Crypto.h"
#include "core/util/Time.h"

#include <QFile>
#include <QNetworkReply>
#include <QXmlStreamReader>

namespace clusterra::server {

namespace {
// The child elements' text of every <group> element of an S3 XML answer.
QList<QHash<QString, QString>> xmlRecords(const QByteArray &xml, const QString &group) {
    QList<QHash<QString, QString>> out;
    QXmlStreamReader r(xml);
    while (!r.atEnd()) {
        r.readNext();
        if (!r.isStartElement() || r.name() != group)
            continue;
        QHash<QString, QString> record;
        while (r.readNextStartElement()) {
            const QString name = r.name().toString();
            record.insert(name, r.readElementText(QXmlStreamReader::IncludeChildElements));
        }
        out.append(record);
    }
    return out;
}

// The text of the first <name> element anywhere in the answer.
QString xmlValue(const QByteArray &xml, const QString &name) {
    QXmlStreamReader r(xml);
    while (!r.atEnd()) {
        r.readNext();
        if (r.isStartElement() && r.name() == name)
            return r.readElementText(QXmlStreamReader::IncludeChildElements);
    }
    return {};
}

QByteArray quoted(QByteArray etag) {
    etag.replace('"', "");
    return '"' + etag + '"';
}

qint64 httpDateMs(const QByteArray &value) {
    const QDateTime t = QDateTime::fromString(QString::fromLatin1(value), Qt::RFC2822Date);
    return t.isValid() ? t.toMSecsSinceEpoch() : 0;
}
} // namespace

S3Backend::S3Backend(S3Settings settings)
    : m_settings(std::move(settings)) {}

QString S3Backend::bucketFor(const QString &clusterId) const {
    return (m_settings.bucketPrefix + clusterId).toLower();
}

QUrl S3Backend::urlFor(const QString &bucket, const QString &key) const {
    QUrl url = m_settings.endpoint;
    QString path = url.path();
    if (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    // Bucket-level calls go to "/bucket" without a trailing slash (s3rver checks that form).
    path += QLatin1Char('/') + bucket;
    if (!key.isEmpty())
        path += QLatin1Char('/') + key;
    url.setPath(path);
    return url;
}

void S3Backend::call(const QByteArray &method, const QString &bucket, const QString &key,
                     const sigv4::Pairs &query, const QByteArray &body, QIODevice *device,
                     const sigv4::Pairs &headers, std::function<void(const Answer &)> done) {
    const QUrl url = urlFor(bucket, key);
    sigv4::Request req;
    req.method = method;
    req.path = url.path(QUrl::FullyDecoded).toUtf8();
    req.query = query;
    QByteArray host = url.host().toUtf8();
    if (url.port() > 0)
        host += ':' + QByteArray::number(url.port());
    req.headers = headers;
    req.headers.append({"host", host});
    req.payloadHash = device ? QByteArray(sigv4::kUnsignedPayload) : crypto::sha256(body).toHex();
    const qint64 now = nowMs() / 1000;
    const sigv4::Scope scope{sigv4::shortDate(now), m_settings.region, "s3"};
    const QByteArray auth =
        sigv4::authorizationHeader(req, m_settings.credentials, sigv4::amzDate(now), scope);
    // The URL carries exactly the encoding the signature was computed over.
    QUrl target = url;
    target.setPath(QString::fromLatin1(sigv4::uriEncode(req.path, false)), QUrl::StrictMode);
    QByteArray queryText;
    for (const auto &[k, v] : query)
        queryText += (queryText.isEmpty() ? "" : "&") + sigv4::uriEncode(k, true) +
                     (v.isNull() ? QByteArray() : '=' + sigv4::uriEncode(v, true));
    if (!queryText.isEmpty())
        target.setQuery(QString::fromLatin1(queryText), QUrl::StrictMode);
    QNetworkRequest nr(target);
    for (const auto &[k, v] : std::as_const(req.headers))
        if (k.toLower() != "host")
            nr.setRawHeader(k, v);
    nr.setRawHeader("Authorization", auth);
    nr.setTransferTimeout(60000);
    QNetworkReply *reply = device             ? m_nam.sendCustomRequest(nr, method, device)
                           : method == "HEAD" ? m_nam.head(nr)
                                              : m_nam.sendCustomRequest(nr, method, body);
    if (device)
        device->setParent(reply);
    QObject::connect(reply, &QNetworkReply::finished, reply, [reply, done] {
        reply->deleteLater();
        Answer a;
        a.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        a.body = reply->readAll();
        for (const auto &[k, v] : reply->rawHeaderPairs())
            a.headers.insert(k.toLower(), v);
        if (a.status == 0) {
            a.error = reply->errorString();
        } else if (a.status >= 300) {
            a.code = xmlValue(a.body, QStringLiteral("Code"));
            a.error = a.code.isEmpty() ? QStringLiteral("HTTP %1").arg(a.status)
                                       : a.code + QStringLiteral(": ") +
                                             xmlValue(a.body, QStringLiteral("Message"));
        }
        runGuarded("S3 reply", [&] { done(a); });
    });
}

void S3Backend::ensureBucket(const QString &bucket, const QString &, Done done) {
    call("PUT", bucket, {}, {}, {}, nullptr, {}, [done](const Answer &a) {
        const bool mine = a.code == QLatin1String("BucketAlreadyOwnedByYou") ||
                          a.code == QLatin1String("BucketAlreadyExists");
        done(a.error.isEmpty() || mine ? QString() : a.error);
    });
}

void S3Backend::dropBucket(const QString &bucket) {
    deleteAll(bucket, {});
}

void S3Backend::deleteAll(const QString &bucket, const QString &after) {
    // Empties the bucket page by page, then deletes it; a failure leaves it for an operator.
    list(bucket, {}, after, 1000,
         [this, bucket](const QList<ObjectInfo> &objects, bool more, const QString &error) {
             if (!error.isEmpty())
                 return;
             auto left = std::make_shared<int>(int(objects.size()));
             const QString last = objects.isEmpty() ? QString() : objects.last().key;
             auto next = [this, bucket, more, last] {
                 if (more)
                     deleteAll(bucket, last);
                 else
                     call("DELETE", bucket, {}, {}, {}, nullptr, {}, [](const Answer &) {});
             };
             if (objects.isEmpty())
                 return next();
             for (const ObjectInfo &o : objects)
                 remove(bucket, o.key, [left, next](const QString &) {
                     if (--*left == 0)
                         next();
                 });
         });
}

void S3Backend::list(const QString &bucket, const QString &prefix, const QString &startAfter,
                     int limit,
                     std::function<void(const QList<ObjectInfo> &, bool, const QString &)> done) {
    sigv4::Pairs q{{"list-type", "2"}, {"max-keys", QByteArray::number(limit)}};
    if (!prefix.isEmpty())
        q.append({"prefix", prefix.toUtf8()});
    if (!startAfter.isEmpty())
        q.append({"start-after", startAfter.toUtf8()});
    call("GET", bucket, {}, q, {}, nullptr, {}, [bucket, done](const Answer &a) {
        if (!a.error.isEmpty())
            return done({}, false, a.error);
        QList<ObjectInfo> out;
        for (const auto &rec : xmlRecords(a.body, QStringLiteral("Contents"))) {
            ObjectInfo o;
            o.bucket = bucket;
            o.key = rec.value(QStringLiteral("Key"));
            o.size = rec.value(QStringLiteral("Size")).toLongLong();
            o.etag = quoted(rec.value(QStringLiteral("ETag")).toUtf8());
            o.modifiedMs = parseTimestampMs(rec.value(QStringLiteral("LastModified"))).value_or(0);
            out.append(o);
        }
        done(out, xmlValue(a.body, QStringLiteral("IsTruncated")) == QLatin1String("true"), {});
    });
}

void S3Backend::stat(const QString &bucket, const QString &key,
                     std::function<void(const std::optional<ObjectInfo> &, const QString &)> done) {
    call("HEAD", bucket, key, {}, {}, nullptr, {}, [bucket, key, done](const Answer &a) {
        if (a.status == 404)
            return done(std::nullopt, {});
        if (!a.error.isEmpty())
            return done(std::nullopt, a.error);
        ObjectInfo o;
        o.bucket = bucket;
        o.key = key;
        o.size = a.headers.value("content-length").toLongLong();
        o.etag = quoted(a.headers.value("etag"));
        o.contentType = QString::fromUtf8(a.headers.value("content-type"));
        o.modifiedMs = httpDateMs(a.headers.value("last-modified"));
        done(o, {});
    });
}

void S3Backend::remove(const QString &bucket, const QString &key, Done done) {
    call("DELETE", bucket, key, {}, {}, nullptr, {}, [done](const Answer &a) { done(a.error); });
}

void S3Backend::createUpload(const QString &bucket, const QString &key, const QString &contentType,
                             std::function<void(const QString &, const QString &)> done) {
    call("POST", bucket, key, {{"uploads", ""}}, {}, nullptr,
         {{"content-type", contentType.toUtf8()}}, [done](const Answer &a) {
             const QString id = xmlValue(a.body, QStringLiteral("UploadId"));
             if (a.error.isEmpty() && id.isEmpty())
                 return done({}, QStringLiteral("no UploadId in the answer"));
             done(id, a.error);
         });
}

void S3Backend::listParts(const QString &bucket, const QString &key, const QString &uploadId,
                          std::function<void(const QList<PartInfo> &, const QString &)> done) {
    call("GET", bucket, key, {{"uploadId", uploadId.toUtf8()}}, {}, nullptr, {},
         [done](const Answer &a) {
             if (!a.error.isEmpty())
                 return done({}, a.error);
             QList<PartInfo> parts;
             for (const auto &rec : xmlRecords(a.body, QStringLiteral("Part")))
                 parts.append({rec.value(QStringLiteral("PartNumber")).toInt(),
                               rec.value(QStringLiteral("Size")).toLongLong(),
                               quoted(rec.value(QStringLiteral("ETag")).toUtf8())});
             done(parts, {});
         });
}

void S3Backend::complete(
    const QString &bucket, const QString &key, const QString &uploadId,
    const QList<PartInfo> &parts,
    std::function<void(const std::optional<ObjectInfo> &, const QString &, const QString &)> done) {
    QByteArray xml = "<CompleteMultipartUpload>";
    for (const PartInfo &p : parts)
        xml += "<Part><PartNumber>" + QByteArray::number(p.number) + "</PartNumber><ETag>" +
               quoted(p.etag) + "</ETag></Part>";
    xml += "</CompleteMultipartUpload>";
    call("POST", bucket, key, {{"uploadId", uploadId.toUtf8()}}, xml, nullptr,
         {{"content-type", "application/xml"}}, [this, bucket, key, done](const Answer &a) {
             // S3 may answer 200 with an <Error> body, so the body decides.
             const QString code =
                 a.code.isEmpty() ? xmlValue(a.body, QStringLiteral("Code")) : a.code;
             if (!a.error.isEmpty() || !code.isEmpty())
                 return done(std::nullopt, code.isEmpty() ? QStringLiteral("InternalError") : code,
                             a.error.isEmpty() ? xmlValue(a.body, QStringLiteral("Message"))
                                               : a.error);
             // The answer has the ETag (S3's multipart form) but not the size: HEAD for that.
             const QByteArray etag = quoted(xmlValue(a.body, QStringLiteral("ETag")).toUtf8());
             stat(bucket, key,
                  [done, etag](const std::optional<ObjectInfo> &o, const QString &error) {
                      if (!o)
                          return done(std::nullopt, QStringLiteral("InternalError"),
                                      error.isEmpty() ? QStringLiteral("the object is missing")
                                                      : error);
                      ObjectInfo object = *o;
                      if (etag.size() > 2)
                          object.etag = etag;
                      done(object, {}, {});
                  });
         });
}

void S3Backend::abort(const QString &bucket, const QString &key, const QString &uploadId,
                      Done done) {
    call("DELETE", bucket, key, {{"uploadId", uploadId.toUtf8()}}, {}, nullptr, {},
         [done](const Answer &a) {
             done(a.status == 404 ? QString() : a.error); // already gone is fine
         });
}

void S3Backend::importFile(const QString &bucket, const QString &key, const QString &path,
                           qint64 from, qint64 length, const QString &contentType, Done done) {
    auto *file = new QFile(path);
    // Qt's network access sends a file from where it stands to the end it had when the upload
    // began: the publisher's `length`, give or take what a left-behind process appended.
    if (!file->open(QIODevice::ReadOnly) || !file->seek(from) || length < 0) {
        delete file;
        return done(QStringLiteral("cannot read %1").arg(path));
    }
    call("PUT", bucket, key, {}, {}, file, {{"content-type", contentType.toUtf8()}},
         [done](const Answer &a) { done(a.error); });
}

sigv4::Presigned S3Backend::presign(const QByteArray &method, const QString &bucket,
                                    const QString &key, const sigv4::Pairs &query,
                                    const sigv4::Pairs &signedHeaders, int expiresSecs) const {
    return sigv4::presign(method, urlFor(bucket, key), query, signedHeaders, m_settings.credentials,
                          m_settings.region, "s3", nowMs() / 1000, expiresSecs);
}

} // namespace clusterra::server
