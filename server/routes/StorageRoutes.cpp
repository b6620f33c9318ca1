#include "clusters/ClusterService.h"
#include "objects/StorageService.h"
#include "routes/Routes.h"

namespace clusterra::server {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

namespace {
// Runs `fn(cluster, body, reply)` for the caller's cluster with the JSON body (or null for
// GET/DELETE). The answer goes out at once when `fn` replies at once (the built-in store),
// otherwise when a real store has answered; the connection waits without blocking the server.
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
    struct State {
        bool returned = false;
        std::optional<Response> immediate;
        std::shared_ptr<http::PendingResponse> pending = std::make_shared<http::PendingResponse>();
    };
    auto state = std::make_shared<State>();
    fn(*cluster, body, [state, okStatus](const nlohmann::json &out, const ApiError &e) {
        Response r = e.isError() ? Response::error(e) : Response::json(out, okStatus);
        if (state->returned)
            state->pending->resolve(std::move(r));
        else
            state->immediate = std::move(r);
    });
    state->returned = true;
    return state->immediate ? std::move(*state->immediate) : Response::later(state->pending);
}
} // namespace

void registerStorageRoutes(http::Router &r, RouteContext &ctx) {
    StorageService &s = ctx.storage;
    const QString base = QStringLiteral("/v1/clusters/{id}/storage");
    r.add(Method::Get, base + QStringLiteral("/files"), Access::User, [&ctx, &s](Request &req) {
        return storageCall(
            ctx, req, false, 200,
            [&](const ClusterRecord &c, const nlohmann::json &, StorageService::Reply reply) {
                s.list(req.principal, c, req, reply);
            });
    });
    r.add(Method::Delete, base + QStringLiteral("/files"), Access::User, [&ctx, &s](Request &req) {
        return storageCall(
            ctx, req, false, 200,
            [&](const ClusterRecord &c, const nlohmann::json &, StorageService::Reply reply) {
                s.remove(req.principal, c, req.query.value(QStringLiteral("key")), reply);
            });
    });
    r.add(Method::Post, base + QStringLiteral("/presigned-url"), Access::User,
          [&ctx, &s](Request &req) {
              return storageCall(
                  ctx, req, true, 200,
                  [&](const ClusterRecord &c, const nlohmann::json &b,
                      StorageService::Reply reply) { s.presign(req.principal, c, b, reply); });
          });
    r.add(Method::Post, base + QStringLiteral("/multipart"), Access::User,
          [&ctx, &s](Request &req) {
              return storageCall(
                  ctx, req, true, 201,
                  [&](const ClusterRecord &c, const nlohmann::json &b,
                      StorageService::Reply reply) { s.createUpload(req.principal, c, b, reply); });
          });
    r.add(Method::Get, base + QStringLiteral("/multipart/{upload_id}"), Access::User,
          [&ctx, &s](Request &req) {
              return storageCall(
                  ctx, req, false, 200,
                  [&](const ClusterRecord &c, const nlohmann::json &, StorageService::Reply reply) {
                      s.listParts(req.principal, c, req.param(QStringLiteral("upload_id")), reply);
                  });
          });
    r.add(Method::Post, base + QStringLiteral("/multipart/{upload_id}/parts"), Access::User,
          [&ctx, &s](Request &req) {
              return storageCall(ctx, req, true, 200,
                                 [&](const ClusterRecord &c, const nlohmann::json &b,
                                     StorageService::Reply reply) {
                                     s.presignParts(req.principal, c,
                                                    req.param(QStringLiteral("upload_id")), b,
                                                    reply);
                                 });
          });
    r.add(
        Method::Post, base + QStringLiteral("/multipart/{upload_id}/complete"), Access::User,
        [&ctx, &s](Request &req) {
            return storageCall(
                ctx, req, true, 200,
                [&](const ClusterRecord &c, const nlohmann::json &b, StorageService::Reply reply) {
                    s.complete(req.principal, c, req.param(QStringLiteral("upload_id")), b, reply);
                });
        },
        4 * 1024 * 1024);
    r.add(Method::Delete, base + QStringLiteral("/multipart/{upload_id}"), Access::User,
          [&ctx, &s](Request &req) {
              return storageCall(
                  ctx, req, false, 200,
                  [&](const ClusterRecord &c, const nlohmann::json &, StorageService::Reply reply) {
                      s.abort(req.principal, c, req.param(QStringLiteral("upload_id")), reply);
                  });
          });
}

} // namespace clusterra::server
