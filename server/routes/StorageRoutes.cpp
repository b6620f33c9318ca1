#include "clusters/ClusterService.h"
#include "objects/StorageService.h"
#include "routes/Routes.h"

namespace clusterra::server {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

void registerStorageRoutes(http::Router &r, RouteContext &ctx) {
    StorageService &s = ctx.storage;
    const QString base = QStringLiteral("/v1/clusters/{id}/storage");
    r.add(Method::Get, base + QStringLiteral("/files"), Access::User, [&ctx, &s](Request &req) {
        return clusterCall(ctx, req, false, 200,
                           [&](const ClusterRecord &c, const nlohmann::json &, http::Reply reply) {
                               s.list(req.principal, c, req, reply);
                           });
    });
    r.add(Method::Delete, base + QStringLiteral("/files"), Access::User, [&ctx, &s](Request &req) {
        return clusterCall(ctx, req, false, 200,
                           [&](const ClusterRecord &c, const nlohmann::json &, http::Reply reply) {
                               s.remove(req.principal, c, req.query.value(QStringLiteral("key")),
                                        reply);
                           });
    });
    r.add(Method::Post, base + QStringLiteral("/presigned-url"), Access::User,
          [&ctx, &s](Request &req) {
              return clusterCall(ctx, req, true, 200,
                                 [&](const ClusterRecord &c, const nlohmann::json &b,
                                     http::Reply reply) { s.presign(req.principal, c, b, reply); });
          });
    r.add(Method::Post, base + QStringLiteral("/multipart"), Access::User,
          [&ctx, &s](Request &req) {
              return clusterCall(
                  ctx, req, true, 201,
                  [&](const ClusterRecord &c, const nlohmann::json &b, http::Reply reply) {
                      s.createUpload(req.principal, c, b, reply);
                  });
          });
    r.add(Method::Get, base + QStringLiteral("/multipart/{upload_id}"), Access::User,
          [&ctx, &s](Request &req) {
              return clusterCall(
                  ctx, req, false, 200,
                  [&](const ClusterRecord &c, const nlohmann::json &, http::Reply reply) {
                      s.listParts(req.principal, c, req.param(QStringLiteral("upload_id")), reply);
                  });
          });
    r.add(Method::Post, base + QStringLiteral("/multipart/{upload_id}/parts"), Access::User,
          [&ctx, &s](Request &req) {
              return clusterCall(
                  ctx, req, true, 200,
                  [&](const ClusterRecord &c, const nlohmann::json &b, http::Reply reply) {
                      s.presignParts(req.principal, c, req.param(QStringLiteral("upload_id")), b,
                                     reply);
                  });
          });
    r.add(
        Method::Post, base + QStringLiteral("/multipart/{upload_id}/complete"), Access::User,
        [&ctx, &s](Request &req) {
            return clusterCall(
                ctx, req, true, 200,
                [&](const ClusterRecord &c, const nlohmann::json &b, http::Reply reply) {
                    s.complete(req.principal, c, req.param(QStringLiteral("upload_id")), b, reply);
                });
        },
        4 * 1024 * 1024);
    r.add(Method::Delete, base + QStringLiteral("/multipart/{upload_id}"), Access::User,
          [&ctx, &s](Request &req) {
              return clusterCall(
                  ctx, req, false, 200,
                  [&](const ClusterRecord &c, const nlohmann::json &, http::Reply reply) {
                      s.abort(req.principal, c, req.param(QStringLiteral("upload_id")), reply);
                  });
          });
}

} // namespace clusterra::server
