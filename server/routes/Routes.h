#pragma once

#include "core/base/Done.h"
#include "server/clusters/ClusterProvider.h"
#include "server/http/Router.h"

#include <optional>

namespace clusterra::server {

class AuthService;
class ClusterService;
class EventLog;
class FileChangeHub;
class StorageService;
class JobService;
class JobStore;
class TemplateCatalog;

struct RouteContext {
    AuthService &auth;
    ClusterService &clusters;
    JobService &jobs;
    JobStore &jobStore;
    EventLog &events;
    const TemplateCatalog &templates;
    FileChangeHub &files;
    StorageService &storage;
    int streamPollMs = 100;
    int keepAliveMs = 15000;
};

std::optional<ClusterRecord> findCluster(RouteContext &ctx, http::Request &req, ApiError *error);

// Runs `fn` with the caller's cluster, or answers its error.
template <typename Fn> http::Response withCluster(RouteContext &ctx, http::Request &req, Fn fn) {
    ApiError error;
    const auto cluster = findCluster(ctx, req, &error);
    return cluster ? fn(*cluster) : http::Response::error(error);
}

// A query parameter that must be a non-negative integer; nullopt when absent or not one.
std::optional<qint64> nonNegative(const QString &text);

// Runs `fn(cluster, body, reply)` for the caller's cluster with the JSON body (or null for
// GET/DELETE). The answer goes out at once when `fn` replies at once (the local executor, the
// built-in store), otherwise when the other server (Slurm, S3) has answered; the connection
// waits meanwhile without blocking the server.
template <typename Fn>
http::Response clusterCall(RouteContext &ctx, http::Request &req, bool wantsBody, int okStatus,
                           Fn fn) {
    ApiError error;
    const auto cluster = findCluster(ctx, req, &error);
    if (!cluster)
        return http::Response::error(error);
    nlohmann::json body;
    if (wantsBody) {
        body = req.jsonBody(&error);
        if (error.isError())
            return http::Response::error(error);
    }
    struct State {
        bool returned = false;
        std::optional<http::Response> immediate;
        std::shared_ptr<http::PendingResponse> pending = std::make_shared<http::PendingResponse>();
    };
    auto state = std::make_shared<State>();
    fn(*cluster, body, [state, okStatus](const nlohmann::json &out, const ApiError &e) {
        http::Response r =
            e.isError() ? http::Response::error(e) : http::Response::json(out, okStatus);
        if (state->returned)
            state->pending->resolve(std::move(r));
        else
            state->immediate = std::move(r);
    });
    state->returned = true;
    return state->immediate ? std::move(*state->immediate) : http::Response::later(state->pending);
}

// A service's typed answer, sent on as JSON.
template <typename T, typename ToJson> Done<T> asJson(http::Reply reply, ToJson toJson) {
    return [reply = std::move(reply), toJson](const T &value, const ApiError &e) {
        reply(e.isError() ? nlohmann::json() : toJson(value), e);
    };
}

// Declares every /v1 route in one table. docs/api/openapi.json must describe each of them.
void registerRoutes(http::Router &router, RouteContext &ctx);
void registerClusterRoutes(http::Router &router, RouteContext &ctx);
void registerJobRoutes(http::Router &router, RouteContext &ctx);
void registerStorageRoutes(http::Router &router, RouteContext &ctx);

} // namespace clusterra::server
