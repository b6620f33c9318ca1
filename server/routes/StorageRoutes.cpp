#include "clusters/ClusterService.h"
#include "objects/StorageService.h"
#include "routes/Routes.h"

namespace clusterra::server {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

namespace {
// Runs `fn(cluster, body)` for the caller's cluster with the JSON body (or null for GET/DELETE).
template <typename Fn>
Response storageCall(RouteContext &ctx, Request &req, bool wantsBody, int okStatus, Fn fn) {
    ApiError error;
    const auto cluster = ctx.clusters.find(req.principal, req.param(QStringLiteral("id")), &error);
    if (!cluster)
        return Response::error(error);
    nlohmann::json body;
    if (wantsBody) {
        body = req.jsonBody(&error);
        if (error.isError())
            return Response::error(error);
    }
    const nlohmann::json out = fn(*cluster, body, &error);
    return error.isError() ? Response::error(error) : Response::json(out, okStatus);
}
} // namespace

void registerStorageRoutes(http::Router &r, RouteContext &ctx) {
    StorageService &s = ctx.storage;
    const QString base = QStringLiteral("/v1/clusters/{id}/storage");
    r.add(Method::Get, base + QStringLiteral("/files"), Access::User, [&ctx, &s](Request &req) {
        return storageCall(ctx, req, false, 200,
                           [&](const ClusterRecord &c, const nlohmann::json &, ApiError *e) {
                               return s.list(req.principal, c, req, e);
                           });
    });
    r.add(Method::Delete, base + QStringLiteral("/files"), Access::User, [&ctx, &s](Request &req) {
        return storageCall(
            ctx, req, false, 200, [&](const ClusterRecord &c, const nlohmann::json &, ApiError *e) {
                return s.remove(req.principal, c, req.query.value(QStringLiteral("key")), e);
            });
    });
    r.add(Method::Post, base + QStringLiteral("/presigned-url"), Access::User,
          [&ctx, &s](Request &req) {
              return storageCall(ctx, req, true, 200,
                                 [&](const ClusterRecord &c, const nlohmann::json &b, ApiError *e) {
                                     return s.presign(req.principal, c, b, e);
                                 });
          });
    r.add(Method::Post, base + QStringLiteral("/multipart"), Access::User,
          [&ctx, &s](Request &req) {
              return storageCall(ctx, req, true, 201,
                                 [&](const ClusterRecord &c, const nlohmann::json &b, ApiError *e) {
                                     return s.createUpload(req.principal, c, b, e);
                                 });
          });
    r.add(Method::Get, base + QStringLiteral("/multipart/{upload_id}"), Access::User,
          [&ctx, &s](Request &req) {
              return storageCall(ctx, req, false, 200,
                                 [&](const ClusterRecord &c, const nlohmann::json &, ApiError *e) {
                                     return s.listParts(req.principal, c,
                                                        req.param(QStringLiteral("upload_id")), e);
                                 });
          });
    r.add(Method::Post, base + QStringLiteral("/multipart/{upload_id}/parts"), Access::User,
          [&ctx, &s](Request &req) {
              return storageCall(ctx, req, true, 200,
                                 [&](const ClusterRecord &c, const nlohmann::json &b, ApiError *e) {
                                     return s.presignParts(req.principal, c,
                                                           req.param(QStringLiteral("upload_id")),
                                                           b, e);
                                 });
          });
    r.add(
        Method::Post, base + QStringLiteral("/multipart/{upload_id}/complete"), Access::User,
        [&ctx, &s](Request &req) {
            return storageCall(ctx, req, true, 200,
                               [&](const ClusterRecord &c, const nlohmann::json &b, ApiError *e) {
                                   return s.complete(req.principal, c,
                                                     req.param(QStringLiteral("upload_id")), b, e);
                               });
        },
        4 * 1024 * 1024);
    r.add(Method::Delete, base + QStringLiteral("/multipart/{upload_id}"), Access::User,
          [&ctx, &s](Request &req) {
              return storageCall(ctx, req, false, 200,
                                 [&](const ClusterRecord &c, const nlohmann::json &, ApiError *e) {
                                     return s.abort(req.principal, c,
                                                    req.param(QStringLiteral("upload_id")), e);
                                 });
          });
}

} // namespace clusterra::server
