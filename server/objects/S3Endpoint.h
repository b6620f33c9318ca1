#pragma once

#include "core/crypto/SigV4.h"
#include "server/http/Router.h"
#include "server/objects/ObjectStore.h"

namespace clusterra::server {

// The built-in store's S3-compatible door: /s3/{bucket}/{key}. Only presigned requests get
// in: every one is verified (signature, expiry, method, signed headers) before a byte moves.
// PUT stores an object or an upload part (streamed to disk), GET/HEAD read with Range.
class S3Endpoint {
public:
    S3Endpoint(ObjectStore &store, sigv4::Credentials credentials, QByteArray region);

    void registerRoutes(http::Router &router);
    // The path a reverse proxy puts before /s3 (empty: none); URLs are signed with it.
    void setPathPrefix(const QString &prefix) { m_pathPrefix = prefix; }
    // A presigned URL for `method` on bucket/key of the store at `baseUrl`.
    sigv4::Presigned presign(const QUrl &baseUrl, const QByteArray &method, const QString &bucket,
                             const QString &key, const sigv4::Pairs &extraQuery,
                             const sigv4::Pairs &signedHeaders, int expiresSecs) const;
    static QByteArray loadOrCreateCredentials(const QString &path, sigv4::Credentials *out);

private:
    std::optional<http::Response> verify(const http::Request &request) const;
    std::unique_ptr<http::BodySink> put(http::Request &request, http::Response *refusal);
    http::Response get(http::Request &request);

    ObjectStore &m_store;
    sigv4::Credentials m_credentials;
    QByteArray m_region;
    QString m_pathPrefix;
};

// An S3-style XML error body with the HTTP status S3 uses for `code`.
http::Response s3Error(const QByteArray &code, const QString &message, const QString &resource);

} // namespace clusterra::server
