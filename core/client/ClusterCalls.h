#pragma once

#include "core/api/Types.h"
#include "core/base/ApiError.h"

#include <QObject>
#include <functional>
#include <nlohmann/json.hpp>

namespace clusterra {

class ApiClient;

// /v1/clusters: the organisation's clusters, their nodes and their event history.
class ClusterCalls {
public:
    explicit ClusterCalls(ApiClient &api)
        : m_api(api) {}

    void list(QObject *ctx, std::function<void(const QList<ClusterInfo> &, const ApiError &)> done);
    void create(const nlohmann::json &body, QObject *ctx,
                std::function<void(const ClusterInfo &, const ApiError &)> done);
    // Only the fields in `patch` change: description, deletion_protection, tags, partitions'
    // min/max (by name).
    void update(const QString &id, const nlohmann::json &patch, QObject *ctx,
                std::function<void(const ClusterInfo &, const ApiError &)> done);
    void remove(const QString &id, QObject *ctx, std::function<void(const ApiError &)> done);
    // Deploys a failed cluster again.
    void retry(const QString &id, QObject *ctx,
               std::function<void(const ClusterInfo &, const ApiError &)> done);
    // The server's own version ("0.1.0"), for About.
    void serverVersion(QObject *ctx, std::function<void(const QString &, const ApiError &)> done);
    void providers(QObject *ctx,
                   std::function<void(const QList<ProviderInfo> &, const ApiError &)> done);
    void nodes(const QString &clusterId, QObject *ctx,
               std::function<void(const QList<NodeInfo> &, const ApiError &)> done);
    void events(const QString &clusterId, qint64 after, QObject *ctx,
                std::function<void(const QList<EventInfo> &, const ApiError &)> done);

private:
    ApiClient &m_api;
};

} // namespace clusterra
