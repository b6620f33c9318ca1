#pragma once

#include "core/api/Types.h"
#include "core/base/ApiError.h"

#include <QObject>
#include <functional>
#include <nlohmann/json.hpp>

namespace clusterra {

class ApiClient;

// A cluster's jobs (list, one, submit, cancel) and the template catalog they are submitted from.
class JobCalls {
public:
    explicit JobCalls(ApiClient &api)
        : m_api(api) {}

    void list(const QString &clusterId, const QString &updatedSince, QObject *ctx,
              std::function<void(const JobPage &, const ApiError &)> done);
    void get(const QString &clusterId, qint64 jobId, QObject *ctx,
             std::function<void(const JobInfo &, const ApiError &)> done);
    void
    submit(const QString &clusterId, const nlohmann::json &body, QObject *ctx,
           std::function<void(qint64 jobId, const QStringList &warnings, const ApiError &)> done);
    void cancel(const QString &clusterId, qint64 jobId, QObject *ctx,
                std::function<void(const ApiError &)> done);
    void templates(QObject *ctx,
                   std::function<void(const QList<TemplateSummary> &, const ApiError &)> done);
    void templateSchema(const QString &id, QObject *ctx,
                        std::function<void(const nlohmann::json &, const ApiError &)> done);

private:
    ApiClient &m_api;
};

} // namespace clusterra
