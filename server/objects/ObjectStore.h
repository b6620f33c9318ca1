#pragma once

#include "server/http/HttpTypes.h"
#include "server/store/Database.h"

#include <QList>
#include <QString>
#include <atomic>
#include <memory>
#include <optional>

namespace clusterra::server {

struct ObjectInfo {
    QString bucket;
    QString key;
    qint64 size = 0;
    QByteArray etag; // quoted, as S3 sends it
    QString contentType;
    qint64 modifiedMs = 0;
    QString file;
};

struct UploadInfo {
    QString id;
    QString bucket;
    QString key;
    QString contentType;
    qint64 ownerId = 0;
};

struct PartInfo {
    int number = 0;
    qint64 size = 0;
    QByteArray etag;
};

struct ObjectLimits {
    qint64 maxPutBytes = 5LL << 30;  // S3: 5 GiB in one PUT
    qint64 minPartBytes = 5LL << 20; // S3: 5 MiB, except the last part
    qint64 maxPartBytes = 5LL << 30; // S3: 5 GiB
    int maxParts = 10000;            // S3
};

// The built-in object store: bytes on disk under DATA/objects, metadata in SQLite. Objects are
// files named by the hash of their key (so "a" and "a/b" can both exist); writes go to a
// temporary file renamed into place, so a half-written upload never shows.
class ObjectStore {
public:
    ObjectStore(Database &db, QString root, ObjectLimits limits = {});

    const ObjectLimits &limits() const { return m_limits; }
    void ensureBucket(const QString &bucket, const QString &clusterId);
    bool bucketExists(const QString &bucket);
    void dropBucket(const QString &bucket);

    std::optional<ObjectInfo> stat(const QString &bucket, const QString &key);
    // Objects under `prefix`, in key order, after `startAfter`, at most `limit`.
    QList<ObjectInfo> list(const QString &bucket, const QString &prefix, const QString &startAfter,
                           int limit);
    bool remove(const QString &bucket, const QString &key);

    // A sink that stores a PUT body as the object (or as one part of an upload).
    std::unique_ptr<http::BodySink> putObject(const QString &bucket, const QString &key,
                                              const QString &contentType);
    std::unique_ptr<http::BodySink> putPart(const UploadInfo &upload, int partNumber);

    UploadInfo createUpload(const QString &bucket, const QString &key, const QString &contentType,
                            qint64 ownerId);
    std::optional<UploadInfo> upload(const QString &id);
    // Who started an upload (its id may come from another store): kept until complete/abort.
    void recordUpload(const UploadInfo &upload);
    QList<PartInfo> parts(const QString &uploadId);
    // Joins the listed parts into the object; the error names the problem in S3's terms.
    std::optional<ObjectInfo> complete(const UploadInfo &upload, const QList<PartInfo> &wanted,
                                       QString *errorCode, QString *errorText);
    void abort(const QString &uploadId);

    // Copies a local file in, from byte `from` on, as an object (job output published for
    // download), in two halves so the copy can run off the event loop: `copyForImport` on
    // any thread (it touches no state), then `finishImport` on the store's.
    struct ImportedCopy {
        qint64 size = 0;
        QByteArray etag; // quoted MD5, as S3 gives a single-part object
    };
    // Copies at most `length` bytes; stops, removing `temp`, once `stop` is set or a write
    // fails.
    static std::optional<ImportedCopy> copyForImport(const QString &path, qint64 from,
                                                     qint64 length, const QString &temp,
                                                     const std::atomic_bool &stop);
    std::optional<ObjectInfo> finishImport(const QString &bucket, const QString &key,
                                           const QString &temp, const ImportedCopy &copy,
                                           const QString &contentType);

    QString objectFile(const QString &bucket, const QString &key) const;
    QString partFile(const QString &uploadId, int number) const;
    QString tempFile() const;
    void recordObject(const ObjectInfo &info);
    void recordPart(const QString &uploadId, const PartInfo &part);

private:
    Database &m_db;
    QString m_root;
    ObjectLimits m_limits;
};

} // namespace clusterra::server
