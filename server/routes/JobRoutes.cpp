#include "server/routes/Routes.h"

#include "core/util/Json.h"
#include "core/util/Time.h"
#include "server/jobs/JobService.h"
#include "server/jobs/OutputStream.h"

#include <QFile>

namespace clusterra::server {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

namespace {
nlohmann::json submitJson(const SubmitResult &r) {
    nlohmann::json out{{"job_id", r.jobId}, {"warnings", toJsonArray(r.warnings)}};
    if (!r.arrayJobIds.isEmpty()) {
        auto ids = nlohmann::json::array();
        for (qint64 id : r.arrayJobIds)
            ids.push_back(id);
        out["array_job_ids"] = ids;
    }
    return out;
}

nlohmann::json cancelJson(const CancelResult &r) {
    nlohmann::json out{
        {"job_id", r.jobId}, {"state", toStd(jobStateName(r.state))}, {"cancelled", r.cancelled}};
    if (!r.message.isEmpty())
        out["message"] = toStd(r.message);
    return out;
}

nlohmann::json pageJson(const JobPage &page) {
    auto items = nlohmann::json::array();
    for (const auto &j : page.jobs)
        items.push_back(j.toJson(false));
    return {{"jobs", std::move(items)},
            {"total", page.total},
            {"cursor", std::to_string(page.cursor)},
            {"has_more", page.hasMore}};
}

// The jobs listing's query string as a JobQuery; a ValidationError names the parameter.
std::optional<JobQuery> jobQueryOf(const Request &request, ApiError *error) {
    JobQuery query;
    if (const QString state = request.query.value(QStringLiteral("state")); !state.isEmpty()) {
        bool ok = false;
        const StateFilter filter = stateFilterFromName(state, &ok);
        if (ok) {
            query.states = filter == StateFilter::All ? QList<JobState>{} : statesOf(filter);
        } else {
            const JobState exact = jobStateFromName(state);
            if (exact == JobState::Unknown) {
                *error = ApiError::validation(
                    QStringLiteral("state"),
                    QStringLiteral("\"%1\" is not a job state or filter "
                                   "(ALL, RUNNING, PENDING, COMPLETED, FAILED, UNKNOWN).")
                        .arg(state));
                return std::nullopt;
            }
            query.states = {exact};
        }
    }
    query.userEmail = request.query.value(QStringLiteral("user"));
    if (const QString since = request.query.value(QStringLiteral("updated_since"));
        !since.isEmpty()) {
        query.updatedSince = parseTimestampMs(since);
        if (!query.updatedSince) {
            *error = ApiError::validation(
                QStringLiteral("updated_since"),
                QStringLiteral("must be the cursor of a previous answer or an RFC 3339 time."));
            return std::nullopt;
        }
    }
    if (const QString limit = request.query.value(QStringLiteral("limit")); !limit.isEmpty()) {
        bool ok = false;
        query.limit = limit.toInt(&ok);
        if (!ok)
            query.limit = 0; // refused by the service, by its range
    }
    return query;
}

Response readOutput(const JobService &jobs, const JobRecord &job, const Request &req) {
    // Offsets and sizes count the job's own bytes: 0 is its first, wherever that is in the file.
    QFile f;
    OutputWindow window;
    const qint64 base = jobs.openOwnOutput(job, &f, &window) ? window.base : 0;
    const qint64 size = f.isOpen() ? qMax<qint64>(0, f.size() - base) : 0;
    qint64 offset = 0;
    qint64 length = 4 * 1024 * 1024; // a 2 GB log is never sent whole
    if (const QString t = req.query.value(QStringLiteral("tail_lines")); !t.isEmpty()) {
        const auto lines = nonNegative(t);
        if (!lines)
            return Response::error(ApiError::validation(
                QStringLiteral("tail_lines"), QStringLiteral("must be a non-negative integer.")));
        offset = offsetOfLastLines(f, int(qMin<qint64>(*lines, 1000000)), base) - base;
    }
    if (const QString o = req.query.value(QStringLiteral("offset")); !o.isEmpty()) {
        const auto v = nonNegative(o);
        if (!v)
            return Response::error(ApiError::validation(
                QStringLiteral("offset"), QStringLiteral("must be a non-negative integer.")));
        offset = *v;
    }
    if (const QString l = req.query.value(QStringLiteral("length")); !l.isEmpty()) {
        const auto v = nonNegative(l);
        if (!v || *v > 64 * 1024 * 1024)
            return Response::error(ApiError::validation(
                QStringLiteral("length"), QStringLiteral("must be between 0 and 67108864.")));
        length = *v;
    }
    offset = qMin(offset, size);
    QByteArray data;
    if (f.isOpen() && f.seek(base + offset))
        data = f.read(qMin(length, size - offset));
    return Response::text(data, "text/plain; charset=utf-8")
        .withHeader("X-Output-Size", QByteArray::number(size))
        .withHeader("X-Output-Offset", QByteArray::number(offset))
        .withHeader("X-Job-State", jobStateName(job.state).toLatin1());
}
} // namespace

void registerJobRoutes(http::Router &r, RouteContext &ctx) {
    r.add(
        Method::Post, QStringLiteral("/v1/clusters/{id}/jobs/submit"), Access::User,
        [&ctx](Request &req) {
            return clusterCall(
                ctx, req, true, 201,
                [&](const ClusterRecord &c, const nlohmann::json &body, http::Reply reply) {
                    ctx.jobs.submit(req.principal, c, body,
                                    asJson<SubmitResult>(std::move(reply), submitJson));
                });
        },
        8 * 1024 * 1024);
    r.add(Method::Get, QStringLiteral("/v1/clusters/{id}/jobs"), Access::User,
          [&ctx](Request &req) {
              return withCluster(ctx, req, [&](const ClusterRecord &c) {
                  ApiError error;
                  const auto query = jobQueryOf(req, &error);
                  if (!query)
                      return Response::error(error);
                  const JobPage page = ctx.jobs.list(req.principal, c, *query, &error);
                  return error.isError() ? Response::error(error) : Response::json(pageJson(page));
              });
          });
    r.add(Method::Get, QStringLiteral("/v1/clusters/{id}/jobs/{job_id}"), Access::User,
          [&ctx](Request &req) {
              return withCluster(ctx, req, [&](const ClusterRecord &c) {
                  ApiError error;
                  const auto job =
                      ctx.jobs.find(req.principal, c, req.param(QStringLiteral("job_id")), &error);
                  return job ? Response::json(
                                   job->toJson(JobService::mayInspect(req.principal, *job)))
                             : Response::error(error);
              });
          });
    r.add(Method::Delete, QStringLiteral("/v1/clusters/{id}/jobs/{job_id}"), Access::User,
          [&ctx](Request &req) {
              return clusterCall(
                  ctx, req, false, 200,
                  [&](const ClusterRecord &c, const nlohmann::json &, http::Reply reply) {
                      ctx.jobs.cancel(req.principal, c, req.param(QStringLiteral("job_id")),
                                      asJson<CancelResult>(std::move(reply), cancelJson));
                  });
          });
    auto inspectableJob = [&ctx](Request &req, const ClusterRecord &c, ApiError *error) {
        return ctx.jobs.findInspectable(req.principal, c, req.param(QStringLiteral("job_id")),
                                        error);
    };
    r.add(Method::Get, QStringLiteral("/v1/clusters/{id}/jobs/{job_id}/output"), Access::User,
          [&ctx, inspectableJob](Request &req) {
              return withCluster(ctx, req, [&](const ClusterRecord &c) {
                  ApiError error;
                  const auto job = inspectableJob(req, c, &error);
                  return job ? readOutput(ctx.jobs, *job, req) : Response::error(error);
              });
          });
    r.add(Method::Get, QStringLiteral("/v1/clusters/{id}/jobs/{job_id}/output/stream"),
          Access::User, [&ctx, inspectableJob](Request &req) {
              return withCluster(ctx, req, [&](const ClusterRecord &c) {
                  ApiError error;
                  const auto job = inspectableJob(req, c, &error);
                  if (!job)
                      return Response::error(error);
                  qint64 start = 0;
                  if (const QString tail = req.query.value(QStringLiteral("tail_lines"));
                      !tail.isEmpty()) {
                      QFile f;
                      OutputWindow window;
                      if (ctx.jobs.openOwnOutput(*job, &f, &window))
                          start = offsetOfLastLines(f, tail.toInt(), window.base) - window.base;
                  }
                  if (const auto o = nonNegative(req.query.value(QStringLiteral("offset"))))
                      start = *o;
                  if (const auto resume =
                          nonNegative(QString::fromLatin1(req.header("last-event-id"))))
                      start = *resume;
                  auto body = std::make_shared<http::StreamBody>();
                  new OutputStream(body, ctx.jobStore, ctx.jobs, ctx.files, *job, start,
                                   ctx.streamPollMs, ctx.keepAliveMs, &ctx.jobStore);
                  Response stream = Response::eventStream(body);
                  stream.streamBlock = OutputStream::kSendBlock;
                  return stream;
              });
          });
}

} // namespace clusterra::server
