#include "server/routes/Routes.h"

#include "core/util/Json.h"
#include "core/util/Time.h"
#include "server/clusters/ClusterService.h"

namespace clusterra::server {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

namespace {
QString hintOf(const QString &secret) {
    return secret.isEmpty() ? QString() : secret.left(3) + QStringLiteral("…") + secret.right(3);
}

nlohmann::json clusterJson(const ClusterView &v) {
    const ClusterRecord &c = v.cluster;
    int cpus = 0, gpus = 0, allocCpus = 0, allocGpus = 0, idle = 0;
    qint64 memory = 0, allocMemory = 0;
    for (const auto &n : v.nodes) {
        cpus += n.node.cpus;
        gpus += n.node.gpus;
        memory += n.node.memoryMb;
        allocCpus += n.allocCpus;
        allocGpus += n.allocGpus;
        allocMemory += n.allocMemoryMb;
        idle += n.node.state == QLatin1String("IDLE");
    }
    nlohmann::json out = c.spec;
    out["id"] = toStd(c.id);
    out["state"] = toStd(c.state);
    out["state_reason"] = toStd(c.stateReason);
    out["connection_state"] = toStd(c.connectionState);
    if (const QString hint = hintOf(c.accessSecret); !hint.isEmpty())
        out["secret_hint"] = toStd(hint);
    out["created_by"] = toStd(c.createdBy);
    out["created_at"] = toStd(toRfc3339(c.createdAt));
    out["updated_at"] = toStd(toRfc3339(c.updatedAt));
    out["default_partition"] = toStd(c.defaultPartition());
    out["partitions"] = v.partitions;
    out["counts"] = {{"nodes", v.nodes.size()},
                     {"idle_nodes", idle},
                     {"cpus", cpus},
                     {"alloc_cpus", allocCpus},
                     {"memory_mb", memory},
                     {"alloc_memory_mb", allocMemory},
                     {"gpus", gpus},
                     {"alloc_gpus", allocGpus},
                     {"jobs_running", v.jobsRunning},
                     {"jobs_pending", v.jobsPending}};
    return out;
}

nlohmann::json createdJson(const CreatedCluster &created) {
    nlohmann::json out = clusterJson(created.view);
    if (!created.secretOnce.isEmpty())
        out["secret"] = toStd(created.secretOnce); // shown once, never again in full
    if (!created.warnings.isEmpty())
        out["warnings"] = toJsonArray(created.warnings);
    return out;
}

nlohmann::json nodeJson(const NodeView &v) {
    const NodeRecord &n = v.node;
    return {{"name", toStd(n.name)},
            {"state", toStd(n.state)},
            {"cpus", n.cpus},
            {"alloc_cpus", v.allocCpus},
            {"memory_mb", n.memoryMb},
            {"alloc_memory_mb", v.allocMemoryMb},
            {"gpus", n.gpus},
            {"alloc_gpus", v.allocGpus},
            {"node_type", toStd(n.nodeType)},
            {"reason", toStd(n.reason)},
            {"partitions", v.partitions}};
}

template <typename T, typename ToJson>
Response answer(const std::optional<T> &value, const ApiError &error, ToJson toJson,
                int status = 200) {
    return value ? Response::json(toJson(*value), status) : Response::error(error);
}
} // namespace

// Everyone in the organisation sees its clusters; administrators create and change them.
void registerClusterRoutes(http::Router &r, RouteContext &ctx) {
    r.add(Method::Get, QStringLiteral("/v1/clusters"), Access::User, [&ctx](Request &req) {
        auto items = nlohmann::json::array();
        for (const auto &v : ctx.clusters.list(req.principal))
            items.push_back(clusterJson(v));
        const size_t total = items.size();
        return Response::json({{"clusters", std::move(items)}, {"total", total}});
    });
    r.add(Method::Post, QStringLiteral("/v1/clusters"), Access::Admin, [&ctx](Request &req) {
        ApiError error;
        const auto body = req.jsonBody(&error);
        if (error.isError())
            return Response::error(error);
        return answer(ctx.clusters.create(req.principal, body, &error), error, createdJson, 201);
    });
    r.add(Method::Get, QStringLiteral("/v1/clusters/{id}"), Access::User, [&ctx](Request &req) {
        ApiError error;
        return answer(ctx.clusters.view(req.principal, req.param(QStringLiteral("id")), &error),
                      error, clusterJson);
    });
    r.add(Method::Patch, QStringLiteral("/v1/clusters/{id}"), Access::Admin, [&ctx](Request &req) {
        ApiError error;
        const auto body = req.jsonBody(&error);
        if (error.isError())
            return Response::error(error);
        return answer(
            ctx.clusters.update(req.principal, req.param(QStringLiteral("id")), body, &error),
            error, clusterJson);
    });
    r.add(Method::Delete, QStringLiteral("/v1/clusters/{id}"), Access::Admin, [&ctx](Request &req) {
        ApiError error;
        return answer(ctx.clusters.remove(req.principal, req.param(QStringLiteral("id")), &error),
                      error, clusterJson, 202);
    });
    r.add(Method::Post, QStringLiteral("/v1/clusters/{id}/retry"), Access::Admin,
          [&ctx](Request &req) {
              ApiError error;
              return answer(
                  ctx.clusters.retry(req.principal, req.param(QStringLiteral("id")), &error), error,
                  clusterJson, 202);
          });
    // What this server can deploy, so a wizard offers only that and says why not the rest.
    r.add(Method::Get, QStringLiteral("/v1/capabilities"), Access::User, [&ctx](Request &req) {
        auto providers = nlohmann::json::array();
        for (const auto &p : ctx.clusters.providers(req.principal)) {
            nlohmann::json one = {{"name", toStd(p.name)},
                                  {"available", p.unavailableReason.isEmpty()}};
            if (!p.unavailableReason.isEmpty())
                one["reason"] = toStd(p.unavailableReason);
            providers.push_back(std::move(one));
        }
        return Response::json({{"providers", std::move(providers)}});
    });
    r.add(Method::Get, QStringLiteral("/v1/clusters/{id}/partitions"), Access::User,
          [&ctx](Request &req) {
              ApiError error;
              return answer(
                  ctx.clusters.partitions(req.principal, req.param(QStringLiteral("id")), &error),
                  error, [](const nlohmann::json &p) {
                      return nlohmann::json{{"partitions", p}};
                  });
          });
    r.add(Method::Get, QStringLiteral("/v1/clusters/{id}/nodes"), Access::User,
          [&ctx](Request &req) {
              ApiError error;
              return answer(
                  ctx.clusters.nodeViews(req.principal, req.param(QStringLiteral("id")), &error),
                  error, [](const QList<NodeView> &views) {
                      auto items = nlohmann::json::array();
                      for (const auto &v : views)
                          items.push_back(nodeJson(v));
                      return nlohmann::json{{"nodes", std::move(items)}};
                  });
          });
}

} // namespace clusterra::server
