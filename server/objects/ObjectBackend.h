#pragma once

#include "core/crypto/SigV4.h"
#include "server/objects/ObjectStore.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QThreadPool>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace clusterra::server {

class S3Endpoint;

// Where a cluster's files live: the server's built-in store, or a real S3 service. The storage
// routes ask through this and presign for it; the bytes never come through the server. Calls
// answer through callbacks (a real store is a network away); an empty `error` means success.
class ObjectBackend {
public:
    using Done = std::function<void(const QString &error)>;
    virtual ~ObjectBackend() = default;

    virtual QString bucketFor(const QString &clusterId) const = 0;
    virtual void ensureBucket(const QString &bucket, const QString &clusterId, Done done) = 0;
    virtual void dropBucket(const QString &bucket) = 0;
    // Objects under prefix in key order after startAfter; `more` when the listing was cut.
    virtual void
    list(const QString &bucket, const QString &prefix, const QString &startAfter, int limit,
         std::function<void(const QList<ObjectInfo> &, bool more, const QString &)> done) = 0;
    virtual void
    stat(const QString &bucket, const QString &key,
         std::function<void(const std::optional<ObjectInfo> &, const QString &)> done) = 0;
    virtual void remove(const QString &bucket, const QString &key, Done done) = 0;
    // Multipart: the upload id comes from the store; who owns it is kept by the caller.
    virtual void createUpload(const QString &bucket, const QString &key, const QString &contentType,
                              std::function<void(const QString &id, const QString &)> done) = 0;
    virtual void listParts(const QString &bucket, const QString &key, const QString &uploadId,
                           std::function<void(const QList<PartInfo> &, const QString &)> done) = 0;
    // `errorCode` is S3's (InvalidPart, EntityTooSmall...) when the store refuses the parts.
    virtual void complete(const QString &bucket, const QString &key, const QString &uploadId,
                          const QList<PartInfo> &parts,
                          std::function<void(const std::optional<ObjectInfo> &,
                                             const QString &errorCode, const QString &text)>
                              done) = 0;
    virtual void abort(const QString &bucket, const QString &key, const QString &uploadId,
                       Done done) = 0;
    // Server-side write of `length` bytes of a local file from byte `from` on (published job
    // output).
    virtual void importFile(const QString &bucket, const QString &key, const QString &path,
                            qint64 from, qint64 length, const QString &contentType, Done done) = 0;
    virtual sigv4::Presigned presign(const QByteArray &method, const QString &bucket,
                                     const QString &key, const sigv4::Pairs &query,
                                     const sigv4::Pairs &signedHeaders, int expiresSecs) const = 0;
    virtual ObjectLimits limits() const { return {}; }
};

// The built-in store behind the server's own /s3 endpoint; every call answers at once.
class BuiltInBackend : public ObjectBackend {
public:
    BuiltInBackend(ObjectStore &store, S3Endpoint &endpoint, std::function<QUrl()> publicUrl);

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
    ObjectLimits limits() const override { return m_store.limits(); }
    ~BuiltInBackend() override;

private:
    ObjectStore &m_store;
    S3Endpoint &m_endpoint;
    std::function<QUrl()> m_publicUrl;
    QObject m_context; // where copies finished on the pool are taken up (and dropped with it)
    // Set at shutdown: a copy in flight stops within a buffer's worth and removes its file.
    std::shared_ptr<std::atomic_bool> m_stopping = std::make_shared<std::atomic_bool>(false);
    QThreadPool m_copies; // destroyed first: waits for a copy in flight before m_context goes
};

} // namespace clusterra::server
