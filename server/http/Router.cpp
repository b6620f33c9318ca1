#include "server/http/Router.h"

#include "core/base/Log.h"

#include <QDebug>
#include <exception>

namespace clusterra::http {

void Router::add(Method method, const QString &pattern, Access access, Handler handler,
                 qint64 maxBodyBytes) {
    Route r{method, pattern, access, std::move(handler), maxBodyBytes, {}, {}};
    r.segments = pattern.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    m_routes.append(std::move(r));
}

void Router::addStreaming(Method method, const QString &pattern, Access access,
                          StreamHandler handler) {
    add(method, pattern, access, nullptr, 0);
    m_routes.last().streamHandler = std::move(handler);
}

const Route *Router::match(Method method, const QString &path, Request *request,
                           ApiError *error) const {
    const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    bool pathMatched = false;
    for (const Route &route : m_routes) {
        // A last segment "{name...}" takes the rest of the path as it came, slashes and all.
        const bool rest =
            !route.segments.isEmpty() && route.segments.last().endsWith(QLatin1String("...}"));
        if (rest ? parts.size() < route.segments.size() : route.segments.size() != parts.size())
            continue;
        QHash<QString, QString> params;
        bool ok = true;
        qsizetype consumed = 0; // characters of `path` matched so far
        for (qsizetype i = 0; i < route.segments.size() && ok; ++i) {
            const QString &seg = route.segments[i];
            if (rest && i == route.segments.size() - 1) {
                params.insert(seg.mid(1, seg.size() - 5), path.mid(consumed + 1));
                break;
            }
            consumed = path.indexOf(parts[i], consumed + 1) + parts[i].size();
            if (seg.startsWith(QLatin1Char('{')))
                params.insert(seg.mid(1, seg.size() - 2), parts[i]);
            else
                ok = seg == parts[i];
        }
        if (!ok)
            continue;
        pathMatched = true;
        const bool methodOk =
            route.method == method || (method == Method::Head && route.method == Method::Get);
        if (!methodOk)
            continue;
        if (request)
            request->params = std::move(params);
        return &route;
    }
    *error =
        pathMatched
            ? ApiError::make(
                  ErrorType::MethodNotAllowed,
                  QStringLiteral("%1 is not allowed on %2.").arg(methodName(method), path))
            : ApiError::make(ErrorType::NotFound, QStringLiteral("No such endpoint: %1").arg(path));
    return nullptr;
}

std::unique_ptr<BodySink> Router::beginStream(const Route &route, Request &request,
                                              Response *refusal) const {
    if (route.access != Access::Public) {
        const auto failure =
            m_auth ? m_auth(request, route.access)
                   : std::optional<ApiError>(
                         ApiError::make(ErrorType::Unauthorized, QStringLiteral("Sign in first.")));
        if (failure) {
            *refusal = Response::error(*failure);
            return nullptr;
        }
    }
    try {
        return route.streamHandler(request, refusal);
    } catch (const ApiException &e) {
        *refusal = Response::error(e.error());
        return nullptr;
    } catch (const std::exception &e) {
        qCWarning(lcHttp, "stream handler %s failed: %s", qPrintable(route.pattern), e.what());
        *refusal = Response::error(ApiError::make(
            ErrorType::InternalError, QStringLiteral("The server failed to handle the request.")));
        return nullptr;
    }
}

Response Router::dispatch(const Route &route, Request &request) const {
    if (route.access != Access::Public) {
        if (!m_auth)
            return Response::error(
                ApiError::make(ErrorType::Unauthorized, QStringLiteral("Sign in first.")));
        if (const auto failure = m_auth(request, route.access))
            return Response::error(*failure);
    }
    try {
        return route.handler(request);
    } catch (const ApiException &e) {
        return Response::error(e.error());
    } catch (const std::exception &e) {
        // A bug must cost one request, never the server.
        qCWarning(lcHttp, "handler %s %s failed: %s", qPrintable(methodName(route.method)),
                  qPrintable(route.pattern), e.what());
        return Response::error(ApiError::make(
            ErrorType::InternalError, QStringLiteral("The server failed to handle the request.")));
    }
}

} // namespace clusterra::http
