#include "core/client/JobCalls.h"

#include "core/client/ApiClient.h"
#include "core/util/Json.h"

namespace clusterra {

void JobCalls::list(const QString &clusterId, const QString &updatedSince, QObject *ctx,
                    std::function<void(const JobPage &, const ApiError &)> done) {
    QString path = ApiClient::clusterPath(clusterId) + QStringLiteral("/jobs?limit=20000");
    if (!updatedSince.isEmpty()) // the server's cursor, passed back as it is: encoded
        path += QLatin1Char('&') + ApiClient::queryOf({{"updated_since", updatedSince}});
    m_api.send("GET", path, nullptr, ctx, [done](const nlohmann::json &j, const ApiError &e) {
        JobPage page;
        const auto &items = arrayMember(j, "jobs");
        page.jobs.reserve(qsizetype(items.size()));
        for (const auto &item : items)
            page.jobs.append(JobInfo::fromJson(item));
        page.total = intMember(j, "total").value_or(0);
        page.cursor = stringOr(j, "cursor");
        page.hasMore = boolOr(j, "has_more", false);
        done(page, e);
    });
}

void JobCalls::get(const QString &clusterId, qint64 jobId, QObject *ctx,
                   std::function<void(const JobInfo &, const ApiError &)> done) {
    m_api.send(
        "GET", ApiClient::clusterPath(clusterId) + QStringLiteral("/jobs/%1").arg(jobId), nullptr,
        ctx, [done](const nlohmann::json &j, const ApiError &e) { done(JobInfo::fromJson(j), e); });
}

void JobCalls::submit(const QString &clusterId, const nlohmann::json &body, QObject *ctx,
                      std::function<void(qint64, const QStringList &, const ApiError &)> done) {
    m_api.send("POST", ApiClient::clusterPath(clusterId) + QStringLiteral("/jobs/submit"), body,
               ctx, [done](const nlohmann::json &j, const ApiError &e) {
                   done(intMember(j, "job_id").value_or(0), stringList(arrayMember(j, "warnings")),
                        e);
               });
}

void JobCalls::cancel(const QString &clusterId, qint64 jobId, QObject *ctx,
                      std::function<void(const ApiError &)> done) {
    m_api.send("DELETE", ApiClient::clusterPath(clusterId) + QStringLiteral("/jobs/%1").arg(jobId),
               nullptr, ctx, [done](const nlohmann::json &, const ApiError &e) { done(e); });
}

void JobCalls::templates(
    QObject *ctx, std::function<void(const QList<TemplateSummary> &, const ApiError &)> done) {
    m_api.send("GET", QStringLiteral("/v1/templates"), nullptr, ctx,
               [done](const nlohmann::json &j, const ApiError &e) {
                   QList<TemplateSummary> out;
                   for (const auto &t : arrayMember(j, "templates"))
                       out.append(TemplateSummary::fromJson(t));
                   done(out, e);
               });
}

void JobCalls::templateSchema(const QString &id, QObject *ctx,
                              std::function<void(const nlohmann::json &, const ApiError &)> done) {
    m_api.send("GET", QStringLiteral("/v1/templates/") + id, nullptr, ctx, std::move(done));
}

} // namespace clusterra
