#pragma once

#include <QFile>
#include <memory>

#include "clusters/ClusterProvider.h"
#include "http/HttpTypes.h"
#include "objects/ObjectBackend.h"
#include "objects/ObjectStore.h"

#include <QSet>
#include <functional>

namespace clusterra::server {

// The /v1 storage routes' logic: a bucket per cluster, listings that show only what the caller
// may see, presigned URLs minted only for keys the caller may use that way, and multipart
// uploads (create, presign parts, list parts to resume, complete, abort). Bytes never pass
// through here: they go to the object store on presigned URLs. Answers come through `done`,
// at once for the built-in store and later for a real S3.
class StorageService {
public:
    using Reply = http::Reply;

    // `uploads` keeps who started which multipart upload, whichever store holds the bytes.
    StorageService(ObjectBackend &backend, ObjectStore &uploads);

    void list(const Principal &who, const ClusterRecord &cluster, const http::Request &req,
              Reply done);
    void presign(const Principal &who, const ClusterRecord &cluster, const nlohmann::json &body,
                 Reply done);
    void remove(const Principal &who, const ClusterRecord &cluster, const QString &key, Reply done);
    void createUpload(const Principal &who, const ClusterRecord &cluster,
                      const nlohmann::json &body, Reply done);
    void listParts(const Principal &who, const ClusterRecord &cluster, const QString &uploadId,
                   Reply done);
    void presignParts(const Principal &who, const ClusterRecord &cluster, const QString &uploadId,
                      const nlohmann::json &body, Reply done);
    void complete(const Principal &who, const ClusterRecord &cluster, const QString &uploadId,
                  const nlohmann::json &body, Reply done);
    void abort(const Principal &who, const ClusterRecord &cluster, const QString &uploadId,
               Reply done);

    // Server-side writes (published job output), and the bucket's end with its cluster.
    void importFile(const ClusterRecord &cluster, const QString &key, std::shared_ptr<QFile> source,
                    qint64 from, const QString &contentType);
    void dropBucket(const QString &clusterId);

private:
    // Runs `then(bucket)` once the cluster's bucket exists.
    void withBucket(const ClusterRecord &cluster, const Reply &done,
                    std::function<void(const QString &bucket)> then);
    // Runs `then` with the bucket and the upload when `who` started it (or is an admin).
    void withOwnUpload(const Principal &who, const ClusterRecord &cluster, const QString &uploadId,
                       const Reply &done,
                       std::function<void(const QString &bucket, const UploadInfo &upload)> then);
    void collect(const Principal &who, const QString &bucket, const QString &prefix, bool folders,
                 QString after, int limit, std::shared_ptr<nlohmann::json> files,
                 std::shared_ptr<QStringList> folderList, Reply done);
    int expiresIn(const nlohmann::json &body, ApiError *error) const;

    ObjectBackend &m_backend;
    ObjectStore &m_uploads;
    QSet<QString> m_readyBuckets;
};

} // namespace clusterra::server
