#include "server/routes/Routes.h"

#include "core/util/Json.h"
#include "server/auth/AuthService.h"
#include "server/clusters/ClusterService.h"
#include "server/events/EventStream.h"
#include "server/jobs/TemplateCatalog.h"

#include <QFile>

namespace clusterra::server {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

std::optional<ClusterRecord> findCluster(RouteContext &ctx, Request &req, ApiError *error) {
    return ctx.clusters.find(req.principal, req.param(QStringLiteral("id")), error);
}

std::optional<qint64> nonNegative(const QString &text) {
    bool ok = false;
    const qint64 v = text.toLongLong(&ok);
    return ok && v >= 0 ? std::optional<qint64>(v) : std::nullopt;
}

namespace {
Response jsonOr(const nlohmann::json &value, const ApiError &error, int status = 200) {
    return error.isError() ? Response::error(error) : Response::json(value, status);
}

Response sessionResponse(const TokenGrant &grant) {
    return Response::json(grant.toJson())
        .withHeader("Set-Cookie", "clusterra_session=" + grant.accessToken +
                                      "; HttpOnly; SameSite=Strict; Path=/; Max-Age=" +
                                      QByteArray::number(grant.expiresIn));
}

} // namespace

void registerRoutes(http::Router &r, RouteContext &ctx) {
    r.add(Method::Get, QStringLiteral("/healthz"), Access::Public, [](Request &) {
        return Response::json({{"status", "ok"}});
    });
    r.add(Method::Get, QStringLiteral("/v1/version"), Access::Public, [](Request &) {
        return Response::json(
            {{"version", CLUSTERRA_VERSION}, {"api", "v1"}, {"server", "clusterra-server"}});
    });
    r.add(Method::Get, QStringLiteral("/v1/openapi.json"), Access::Public, [](Request &) {
        QFile f(QStringLiteral(":/api/openapi.json"));
        f.open(QIODevice::ReadOnly);
        return Response::text(f.readAll(), "application/json");
    });

    // Auth
    r.add(Method::Get, QStringLiteral("/v1/auth/config"), Access::Public,
          [&ctx](Request &) { return Response::json(ctx.auth.configJson()); });
    r.add(Method::Post, QStringLiteral("/v1/auth/callback"), Access::Public, [&ctx](Request &req) {
        ApiError error;
        const auto body = req.jsonBody(&error);
        if (error.isError())
            return Response::error(error);
        if (!body.is_object() || (!body.contains("local_token") && !body.contains("id_token")))
            return Response::error(ApiError::validation(
                ctx.auth.isOidc() ? QStringLiteral("id_token") : QStringLiteral("local_token"),
                QStringLiteral("is required: it is how this server (mode \"%1\") signs you in.")
                    .arg(ctx.auth.mode())));
        if (body.contains("local_token")) {
            const auto grant = ctx.auth.exchangeLocalToken(
                QByteArray::fromStdString(stringOr(body, "local_token").toStdString()), &error);
            return grant ? sessionResponse(*grant) : Response::error(error);
        }
        auto pending = std::make_shared<http::PendingResponse>();
        ctx.auth.exchangeIdToken(
            stringOr(body, "id_token").toUtf8(), stringOr(body, "nonce"),
            stringOr(body, "access_token").toUtf8(),
            [pending](const std::optional<TokenGrant> &grant, const ApiError &e) {
                pending->resolve(grant ? sessionResponse(*grant) : Response::error(e));
            });
        return pending->isResolved() ? pending->take() : Response::later(pending);
    });
    r.add(Method::Post, QStringLiteral("/v1/auth/refresh"), Access::Public, [&ctx](Request &req) {
        ApiError error;
        const auto body = req.jsonBody(&error);
        if (error.isError())
            return Response::error(error);
        const auto grant = ctx.auth.refresh(stringOr(body, "refresh_token").toUtf8(), &error);
        return grant ? Response::json(grant->toJson()) : Response::error(error);
    });
    r.add(Method::Post, QStringLiteral("/v1/auth/logout"), Access::User, [&ctx](Request &req) {
        ApiError error;
        const auto body = req.body.isEmpty() ? nlohmann::json::object() : req.jsonBody(&error);
        if (!error.isError() && !body.is_object())
            error = ApiError::validation(QString(), QStringLiteral("The body must be an object."));
        if (error.isError())
            return Response::error(error);
        ctx.auth.logout(stringOr(body, "refresh_token").toUtf8(), req.principal, bearerToken(req));
        return Response::json({{"logged_out", true}})
            .withHeader("Set-Cookie",
                        "clusterra_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
    });
    r.add(Method::Get, QStringLiteral("/v1/users/me"), Access::User,
          [&ctx](Request &req) { return Response::json(ctx.auth.users().toJson(req.principal)); });
    r.add(Method::Get, QStringLiteral("/v1/users"), Access::Admin, [&ctx](Request &req) {
        ApiError error;
        const auto users = ctx.auth.users().list(req.principal, &error);
        return jsonOr(users, error);
    });
    r.add(Method::Put, QStringLiteral("/v1/users/{id}/role"), Access::Admin, [&ctx](Request &req) {
        ApiError error;
        const auto body = req.jsonBody(&error);
        if (error.isError())
            return Response::error(error);
        bool ok = false;
        const qint64 id = req.param(QStringLiteral("id")).toLongLong(&ok);
        const auto user =
            ctx.auth.users().setRole(req.principal, ok ? id : -1, stringOr(body, "role"), &error);
        return user ? Response::json(ctx.auth.users().toJson(*user)) : Response::error(error);
    });

    r.add(Method::Put, QStringLiteral("/v1/users/{id}/linux-user"), Access::Admin,
          [&ctx](Request &req) {
              ApiError error;
              const auto body = req.jsonBody(&error);
              if (error.isError())
                  return Response::error(error);
              if (!body.is_object() || !body.contains("linux_user") ||
                  !(body["linux_user"].is_string() || body["linux_user"].is_null()))
                  return Response::error(ApiError::validation(
                      QStringLiteral("linux_user"),
                      QStringLiteral("is required: a Linux user name, or null to clear it.")));
              bool ok = false;
              const qint64 id = req.param(QStringLiteral("id")).toLongLong(&ok);
              const auto user = ctx.auth.users().setLinuxUser(req.principal, ok ? id : -1,
                                                              stringOr(body, "linux_user"), &error);
              return user ? Response::json(ctx.auth.users().toJson(*user)) : Response::error(error);
          });

    // Events
    r.add(Method::Get, QStringLiteral("/v1/clusters/{id}/events"), Access::User,
          [&ctx](Request &req) {
              return withCluster(ctx, req, [&](const ClusterRecord &c) {
                  const qint64 after =
                      nonNegative(req.query.value(QStringLiteral("after"))).value_or(0);
                  const int limit = int(
                      qBound(qint64(1),
                             nonNegative(req.query.value(QStringLiteral("limit"))).value_or(100),
                             qint64(1000)));
                  auto items = nlohmann::json::array();
                  for (const auto &e : ctx.events.list(c.id, after, limit))
                      items.push_back(e.toJson());
                  return Response::json({{"events", std::move(items)}});
              });
          });
    r.add(Method::Get, QStringLiteral("/v1/clusters/{id}/events/stream"), Access::User,
          [&ctx](Request &req) {
              return withCluster(ctx, req, [&](const ClusterRecord &c) {
                  qint64 after = nonNegative(req.query.value(QStringLiteral("after"))).value_or(0);
                  if (const auto resume =
                          nonNegative(QString::fromLatin1(req.header("last-event-id"))))
                      after = *resume;
                  auto body = std::make_shared<http::StreamBody>();
                  new EventStream(body, ctx.events, c.id, after, ctx.keepAliveMs, &ctx.events);
                  return Response::eventStream(body);
              });
          });

    // Templates
    r.add(Method::Get, QStringLiteral("/v1/templates"), Access::User,
          [&ctx](Request &) { return Response::json(ctx.templates.listJson()); });
    r.add(Method::Get, QStringLiteral("/v1/templates/{id}"), Access::User, [&ctx](Request &req) {
        const JobTemplate *t = ctx.templates.find(req.param(QStringLiteral("id")));
        return t ? Response::json(t->schemaJson())
                 : Response::error(ApiError::make(
                       ErrorType::NotFound,
                       QStringLiteral("No template %1.").arg(req.param(QStringLiteral("id")))));
    });
}

} // namespace clusterra::server
