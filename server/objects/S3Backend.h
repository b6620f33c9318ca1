#pragma once

#include "server/objects/ObjectBackend.h"

#include <QNetworkAccessManager>
#include <QUrl>

namespace clusterra::server {

struct S3Settings {
    QUrl endpoint; // path-style: endpoint/bucket/key
    QByteArray region = "us-east-1";
    QString bucketPrefix = QStringLiteral("clusterra-");
    sigv4::Credentials credentials; // the secret is never logged or returned
    bool isSet() const { return endpoint.isValid() && !endpoint.isEmpty(); }
};

// A real S3 service (AWS, MinIO, s3rver...) as the cluster buckets' store. The server signs
// its own calls with SigV4 headers and presigns URLs for the console, which then talks to the
// store directly. Path-style addressing, so any endpoint works without wildcard DNS.
class S3Backend : public ObjectBackend {
public:
    explicit S3Backend(S3Settings settings);

    QString bucketFor(const QString &clusterId) const override;
    void ensureBucket(const QString &bucket, const QString &clusterId, Done done) override;
    void dropBucket(const QString &bucket) override;
    void list(const QString &bucket, const QString &prefix, const QString &startAfter, int limit,
              std::function<void(const QList<ObjectInfo> &, bool, const QString &)> done) override;
    void
    stat(const QString &bucket, const QString &key,
         std::function<void(const std::optional<ObjectInfo> &, const QString &)> done) override;
    void remove(const QString &bucket, const QString &key, Done done) override;
    void createUpload(const QString &bucket, const QString &key, const QString &contentType,
                      std::function<void(const QString &, const QString &)> done) override;
    void listParts(const QString &bucket, const QString &key, const QString &uploadId,
                   std::function<void(const QList<PartInfo> &, const QString &)> done) override;
    void complete(
        const QString &bucket, const QString &key, const QString &uploadId,
        const QList<PartInfo> &parts,
        std::function<void(const std::optional<ObjectInfo> &, const QString &, const QString &)>
            done) override;
    void abort(const QString &bucket, const QString &key, const QString &uploadId,
               Done done) override;
    void importFile(const QString &bucket, const QString &key, const QString &path, qint64 from,
                    qint64 length, const QString &contentType, Done done) override;
    sigv4::Presigned presign(const QByteArray &method, const QString &bucket, const QString &key,
                             const sigv4::Pairs &query, const sigv4::Pairs &signedHeaders,
                             int expiresSecs) const override;

    struct Answer {
        int status = 0;
        QByteArray body;
        QHash<QByteArray, QByteArray> headers; // lower-case names
        QString error;                         // transport failure or S3's <Code>: <Message>
        QString code;                          // S3's error code, if any
    };

private:
    // One header-signed call. `body` may be a device (streamed, UNSIGNED-PAYLOAD) or bytes.
    void call(const QByteArray &method, const QString &bucket, const QString &key,
              const sigv4::Pairs &query, const QByteArray &body, QIODevice *device,
              const sigv4::Pairs &headers, std::function<void(const Answer &)> done);
    QUrl urlFor(const QString &bucket, const QString &key) const;
    void deleteAll(const QString &bucket, const QString &after);

    S3Settings m_settings;
    QNetworkAccessManager m_nam;
};

} // namespace clusterra::server
