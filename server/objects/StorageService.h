#pragma once

#include "core/base/Done.h"
#include "server/auth/Principal.h"
#include "server/clusters/ClusterProvider.h"
#include "server/objects/ObjectBackend.h"
#include "server/objects/ObjectStore.h"

#include <QFile>
#include <QSet>
#include <QUrl>
#include <functional>
#include <memory>

namespace clusterra::server {

// What a listing asks for: keys under `prefix` after `startAfter`, at most `limit`; with
// `folders`, the next level's folders in place of their contents (delimiter "/").
struct ListingQuery {
    QString prefix;
    bool folders = false;
    QString startAfter;
    int limit = 1000; // 1..10000
};

struct Listing {
    QString prefix;
    QList<ObjectInfo> files; // only those the caller may see
    QStringList folders;
    QString nextStartAfter; // empty: nothing more
};

struct PresignRequest {
    QString key;
    QString method = QStringLiteral("GET"); // GET or PUT
    int expiresIn = 3600;                   // seconds
    QString contentType;                    // PUT: signed, so the upload must send it
};

struct PresignedLink {
    QString method;
    sigv4::Presigned link;
};

struct UploadStarted {
    QString uploadId;
    QString key;
    ObjectLimits limits;
};

struct UploadParts {
    QString uploadId;
    QString key;
    QList<PartInfo> parts;
};

struct PartLinks {
    QList<QPair<int, QUrl>> parts; // part number, presigned PUT
    qint64 expiresAtSecs = 0;
};

// The storage logic: a bucket per cluster, listings that show only what the caller may see,
// presigned URLs minted only for keys the caller may use that way, and multipart uploads
// (create, presign parts, list parts to resume, complete, abort). Bytes never pass through
// here: they go to the object store on presigned URLs. Every call checks who may do it, and
// answers through `done`, at once for the built-in store and later for a real S3.
class StorageService {
public:
    // `uploads` keeps who started which multipart upload, whichever store holds the bytes.
    StorageService(ObjectBackend &backend, ObjectStore &uploads);

    void list(const Principal &who, const ClusterRecord &cluster, const ListingQuery &query,
              Done<Listing> done);
    void presign(const Principal &who, const ClusterRecord &cluster, const PresignRequest &request,
                 Done<PresignedLink> done);
    // Answers the deleted key.
    void remove(const Principal &who, const ClusterRecord &cluster, const QString &key,
                Done<QString> done);
    void createUpload(const Principal &who, const ClusterRecord &cluster, const QString &key,
                      const QString &contentType, Done<UploadStarted> done);
    void listParts(const Principal &who, const ClusterRecord &cluster, const QString &uploadId,
                   Done<UploadParts> done);
    // Part numbers 1..limits().maxParts, 1 to 1000 of them; a number outside (0 for one that
    // was not a number) is refused by its position.
    void presignParts(const Principal &who, const ClusterRecord &cluster, const QString &uploadId,
                      const QList<int> &partNumbers, int expiresIn, Done<PartLinks> done);
    void complete(const Principal &who, const ClusterRecord &cluster, const QString &uploadId,
                  const QList<PartInfo> &parts, Done<ObjectInfo> done);
    // Answers the aborted upload's id.
    void abort(const Principal &who, const ClusterRecord &cluster, const QString &uploadId,
               Done<QString> done);

    // Server-side writes (published job output), and the bucket's end with its cluster.
    // `length` bytes of `source` from `from` on.
    void importFile(const ClusterRecord &cluster, const QString &key, std::shared_ptr<QFile> source,
                    qint64 from, qint64 length, const QString &contentType);
    void dropBucket(const QString &clusterId);

private:
    // Runs `then(bucket)` once the cluster's bucket exists.
    void withBucket(const ClusterRecord &cluster, std::function<void(const ApiError &)> fail,
                    std::function<void(const QString &bucket)> then);
    // Runs `then` with the bucket and the upload when `who` started it (or is an admin).
    void withOwnUpload(const Principal &who, const ClusterRecord &cluster, const QString &uploadId,
                       std::function<void(const ApiError &)> fail,
                       std::function<void(const QString &bucket, const UploadInfo &upload)> then);
    void collect(const Principal &who, const QString &bucket, const ListingQuery &query,
                 QString after, std::shared_ptr<Listing> listing, Done<Listing> done);

    ObjectBackend &m_backend;
    ObjectStore &m_uploads;
    QSet<QString> m_readyBuckets;
};

} // namespace clusterra::server
