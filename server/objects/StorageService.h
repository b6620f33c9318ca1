#pragma once

#include "clusters/ClusterProvider.h"
#include "http/HttpTypes.h"
#include "objects/ObjectStore.h"
#include "objects/S3Endpoint.h"

#include <functional>

namespace clusterra::server {

// The /v1 storage routes' logic: a bucket per cluster, listings that show only what the caller
// may see, presigned URLs minted only for keys the caller may use that way, and multipart
// uploads (create, presign parts, list parts to resume, complete, abort). Bytes never pass
// through here: they go to the /s3 endpoint on presigned URLs.
class StorageService {
public:
    StorageService(ObjectStore &store, S3Endpoint &endpoint, std::function<QUrl()> publicUrl);

    QString bucketFor(const ClusterRecord &cluster);
    nlohmann::json list(const http::Principal &who, const ClusterRecord &cluster,
                        const http::Request &req, ApiError *error);
    nlohmann::json presign(const http::Principal &who, const ClusterRecord &cluster,
                           const nlohmann::json &body, ApiError *error);
    nlohmann::json remove(const http::Principal &who, const ClusterRecord &cluster,
                          const QString &key, ApiError *error);
    nlohmann::json createUpload(const http::Principal &who, const ClusterRecord &cluster,
                                const nlohmann::json &body, ApiError *error);
    nlohmann::json listParts(const http::Principal &who, const ClusterRecord &cluster,
                             const QString &uploadId, ApiError *error);
    nlohmann::json presignParts(const http::Principal &who, const ClusterRecord &cluster,
                                const QString &uploadId, const nlohmann::json &body,
                                ApiError *error);
    nlohmann::json complete(const http::Principal &who, const ClusterRecord &cluster,
                            const QString &uploadId, const nlohmann::json &body, ApiError *error);
    nlohmann::json abort(const http::Principal &who, const ClusterRecord &cluster,
                         const QString &uploadId, ApiError *error);

    // Server-side writes (published job output) and the bucket's end with its cluster.
    bool importFile(const ClusterRecord &cluster, const QString &key, const QString &path,
                    const QString &contentType);
    void dropBucket(const QString &clusterId);

private:
    std::optional<UploadInfo> ownUpload(const http::Principal &who, const ClusterRecord &cluster,
                                        const QString &uploadId, ApiError *error);
    int expiresIn(const nlohmann::json &body, ApiError *error) const;

    ObjectStore &m_store;
    S3Endpoint &m_endpoint;
    std::function<QUrl()> m_publicUrl;
};

} // namespace clusterra::server
