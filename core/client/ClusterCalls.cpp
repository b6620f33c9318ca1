#include "core/client/ClusterCalls.h"

#include "core/client/ApiClient.h"
#include "core/util/Json.h"

namespace clusterra {

void ClusterCalls::list(QObject *ctx,
                        std::function<void(const QList<ClusterInfo> &, const ApiError &)> done) {
    m_api.send("GET", QStringLiteral("/v1/clusters"), nullptr, ctx,
               [done](const nlohmann::json &j, const ApiError &e) {
                   QList<ClusterInfo> out;
                   for (const auto &c : arrayMember(j, "clusters"))
                       out.append(ClusterInfo::fromJson(c));
                   done(out, e);
               });
}

void ClusterCalls::create(const nlohmann::json &body, QObject *ctx,
                          std::function<void(const ClusterInfo &, const ApiError &)> done) {
    m_api.send(
        "POST", QStringLiteral("/v1/clusters"), body, ctx,
        [done](const nlohmann::json &j, const ApiError &e) { done(ClusterInfo::fromJson(j), e); });
}

void ClusterCalls::update(const QString &id, const nlohmann::json &patch, QObject *ctx,
                          std::function<void(const ClusterInfo &, const ApiError &)> done) {
    m_api.send(
        "PATCH", ApiClient::clusterPath(id), patch, ctx,
        [done](const nlohmann::json &j, const ApiError &e) { done(ClusterInfo::fromJson(j), e); });
}

void ClusterCalls::retry(const QString &id, QObject *ctx,
                         std::function<void(const ClusterInfo &, const ApiError &)> done) {
    m_api.send("POST", ApiClient::clusterPath(id) + QStringLiteral("/retry"),
               nlohmann::json::object(), ctx, [done](const nlohmann::json &j, const ApiError &e) {
                   done(ClusterInfo::fromJson(j), e);
               });
}

void ClusterCalls::serverVersion(QObject *ctx,
                                 std::function<void(const QString &, const ApiError &)> done) {
    m_api.send(
        "GET", QStringLiteral("/v1/version"), nullptr, ctx,
        [done](const nlohmann::json &j, const ApiError &e) { done(stringOr(j, "version"), e); });
}

void ClusterCalls::providers(
    QObject *ctx, std::function<void(const QList<ProviderInfo> &, const ApiError &)> done) {
    m_api.send("GET", QStringLiteral("/v1/capabilities"), nullptr, ctx,
               [done](const nlohmann::json &j, const ApiError &e) {
                   QList<ProviderInfo> out;
                   for (const auto &p : arrayMember(j, "providers"))
                       out.append(ProviderInfo::fromJson(p));
                   done(out, e);
               });
}

void ClusterCalls::remove(const QString &id, QObject *ctx,
                          std::function<void(const ApiError &)> done) {
    m_api.send("DELETE", ApiClient::clusterPath(id), nullptr, ctx,
               [done](const nlohmann::json &, const ApiError &e) { done(e); });
}

void ClusterCalls::nodes(const QString &clusterId, QObject *ctx,
                         std::function<void(const QList<NodeInfo> &, const ApiError &)> done) {
    m_api.send("GET", ApiClient::clusterPath(clusterId) + QStringLiteral("/nodes"), nullptr, ctx,
               [done](const nlohmann::json &j, const ApiError &e) {
                   QList<NodeInfo> out;
                   for (const auto &n : arrayMember(j, "nodes"))
                       out.append(NodeInfo::fromJson(n));
                   done(out, e);
               });
}

void ClusterCalls::events(const QString &clusterId, qint64 after, QObject *ctx,
                          std::function<void(const QList<EventInfo> &, const ApiError &)> done) {
    m_api.send("GET",
               ApiClient::clusterPath(clusterId) +
                   QStringLiteral("/events?limit=1000&after=%1").arg(after),
               nullptr, ctx, [done](const nlohmann::json &j, const ApiError &e) {
                   QList<EventInfo> out;
                   for (const auto &ev : arrayMember(j, "events"))
                       out.append(EventInfo::fromJson(ev));
                   done(out, e);
               });
}

} // namespace clusterra
