#include "core/client/FileCalls.h"

#include "core/client/ApiClient.h"
#include "core/util/Json.h"

namespace clusterra {

void FileCalls::list(const QString &clusterId, const QString &prefix, bool folders,
                     const QString &startAfter, QObject *ctx,
                     std::function<void(const FileListing &, const ApiError &)> done) {
    QString query = ApiClient::queryOf({{"prefix", prefix}, {"limit", QStringLiteral("1000")}});
    if (folders)
        query += QStringLiteral("&delimiter=%2F");
    if (!startAfter.isEmpty())
        query += QLatin1Char('&') + ApiClient::queryOf({{"start_after", startAfter}});
    m_api.send("GET", ApiClient::clusterPath(clusterId) + QStringLiteral("/storage/files?") + query,
               nullptr, ctx, [done](const nlohmann::json &j, const ApiError &e) {
                   done(FileListing::fromJson(j), e);
               });
}

void FileCalls::listAll(const QString &clusterId, const QString &prefix, QObject *ctx,
                        std::function<void(const QList<FileEntry> &, const ApiError &)> done) {
    auto acc = std::make_shared<QList<FileEntry>>();
    auto next = std::make_shared<std::function<void(const QString &)>>();
    // The pending callback owns the chain; the chain only points back weakly (no cycle).
    *next = [=, this, weak = std::weak_ptr(next)](const QString &after) {
        list(clusterId, prefix, false, after, ctx,
             [=, self = weak.lock()](const FileListing &page, const ApiError &e) {
                 if (e.isError())
                     return done({}, e);
                 acc->append(page.files);
                 if (page.nextStartAfter.isEmpty())
                     return done(*acc, {});
                 (*self)(page.nextStartAfter);
             });
    };
    (*next)({});
}

void FileCalls::remove(const QString &clusterId, const QString &key, QObject *ctx,
                       std::function<void(const ApiError &)> done) {
    m_api.send("DELETE",
               ApiClient::clusterPath(clusterId) + QStringLiteral("/storage/files?") +
                   ApiClient::queryOf({{"key", key}}),
               nullptr, ctx, [done](const nlohmann::json &, const ApiError &e) { done(e); });
}

void FileCalls::presign(const QString &clusterId, const QString &key, const QByteArray &method,
                        const QString &contentType, QObject *ctx,
                        std::function<void(const PresignedUrl &, const ApiError &)> done) {
    nlohmann::json body = {{"key", toStd(key)}, {"method", method.toStdString()}};
    if (!contentType.isEmpty())
        body["content_type"] = toStd(contentType);
    m_api.send("POST", ApiClient::clusterPath(clusterId) + QStringLiteral("/storage/presigned-url"),
               body, ctx, [done](const nlohmann::json &j, const ApiError &e) {
                   done(PresignedUrl::fromJson(j), e);
               });
}

} // namespace clusterra
