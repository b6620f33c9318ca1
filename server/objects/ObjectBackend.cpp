#include "server/objects/ObjectBackend.h"

#include "core/base/Guard.h"
#include "server/objects/S3Endpoint.h"

namespace clusterra::server {

BuiltInBackend::BuiltInBackend(ObjectStore &store, S3Endpoint &endpoint,
                               std::function<QUrl()> publicUrl)
    : m_store(store)
    , m_endpoint(endpoint)
    , m_publicUrl(std::move(publicUrl)) {
    m_copies.setMaxThreadCount(1); // disk-bound: one at a time leaves the cores to the rest
}

QString BuiltInBackend::bucketFor(const QString &clusterId) const {
    return QStringLiteral("clusterra-") + clusterId;
}

void BuiltInBackend::ensureBucket(const QString &bucket, const QString &clusterId, Done done) {
    m_store.ensureBucket(bucket, clusterId);
    done({});
}

void BuiltInBackend::dropBucket(const QString &bucket) {
    m_store.dropBucket(bucket);
}

void BuiltInBackend::list(
    const QString &bucket, const QString &prefix, const QString &startAfter, int limit,
    std::function<void(const QList<ObjectInfo> &, bool, const QString &)> done) {
    const QList<ObjectInfo> batch = m_store.list(bucket, prefix, startAfter, limit);
    done(batch, batch.size() == limit, {});
}

void BuiltInBackend::stat(
    const QString &bucket, const QString &key,
    std::function<void(const std::optional<ObjectInfo> &, const QString &)> done) {
    done(m_store.stat(bucket, key), {});
}

void BuiltInBackend::remove(const QString &bucket, const QString &key, Done done) {
    m_store.remove(bucket, key);
    done({});
}

void BuiltInBackend::createUpload(const QString &bucket, const QString &key,
                                  const QString &contentType,
                                  std::function<void(const QString &, const QString &)> done) {
    done(m_store.createUpload(bucket, key, contentType, 0).id, {});
}

void BuiltInBackend::listParts(const QString &, const QString &, const QString &uploadId,
                               std::function<void(const QList<PartInfo> &, const QString &)> done) {
    done(m_store.parts(uploadId), {});
}

void BuiltInBackend::complete(
    const QString &, const QString &, const QString &uploadId, const QList<PartInfo> &parts,
    std::function<void(const std::optional<ObjectInfo> &, const QString &, const QString &)> done) {
    const auto upload = m_store.upload(uploadId);
    if (!upload)
        return done(std::nullopt, QStringLiteral("NoSuchUpload"), QStringLiteral("no such upload"));
    QString code, text;
    const auto object = m_store.complete(*upload, parts, &code, &text);
    done(object, code, text);
}

void BuiltInBackend::abort(const QString &, const QString &, const QString &uploadId, Done done) {
    m_store.abort(uploadId);
    done({});
}

BuiltInBackend::~BuiltInBackend() {
    // Copies not begun are dropped and the one in flight stops: a shutdown does not wait for
    // gigabytes to be copied only to be thrown away.
    m_stopping->store(true);
    m_copies.clear();
    m_copies.waitForDone();
}

void BuiltInBackend::importFile(const QString &bucket, const QString &key, const QString &path,
                                qint64 from, qint64 length, const QString &contentType, Done done) {
    // A job's output can be gigabytes: copying and hashing it on the event loop held every
    // request and stream of the server for as long (seconds per GB). The copy runs on the
    // pool; the object appears, on this thread, once it is whole.
    const QString temp = m_store.tempFile();
    // Small outputs first: one big copy does not hold back everyone's short logs.
    const int priority = -int(qMin<qint64>(length >> 20, 1 << 20));
    m_copies.start(
        [=, this, stop = m_stopping, done = std::move(done)]() mutable {
            const auto copy = ObjectStore::copyForImport(path, from, length, temp, *stop);
            QMetaObject::invokeMethod(
                &m_context,
                [this, bucket, key, temp, copy, contentType, path, done = std::move(done)] {
                    const bool ok =
                        copy && m_store.finishImport(bucket, key, temp, *copy, contentType);
                    runGuarded("publishing a file", [&] {
                        done(ok ? QString()
                                : QStringLiteral("cannot copy %1 into the store").arg(path));
                    });
                },
                Qt::QueuedConnection);
        },
        priority);
}

sigv4::Presigned BuiltInBackend::presign(const QByteArray &method, const QString &bucket,
                                         const QString &key, const sigv4::Pairs &query,
                                         const sigv4::Pairs &signedHeaders, int expiresSecs) const {
    return m_endpoint.presign(m_publicUrl(), method, bucket, key, query, signedHeaders,
                              expiresSecs);
}

} // namespace clusterra::server
