#pragma once

#include "server/http/HttpTypes.h"

#include <QStringList>
#include <functional>
#include <optional>

namespace clusterra::http {

enum class Access { Public, User, Admin };

using Handler = std::function<Response(Request &)>;
// For uploads: called once the headers are in. Returns a sink for the body, or a refusal
// (sent at once, before the body) in `refusal`.
using StreamHandler = std::function<std::unique_ptr<BodySink>(Request &, Response *refusal)>;

struct Route {
    Method method;
    QString pattern; // "/v1/clusters/{id}/jobs/{job_id}"
    Access access;
    Handler handler;
    qint64 maxBodyBytes = 1 << 20;
    QStringList segments;        // filled by Router::add
    StreamHandler streamHandler; // set: the body goes to a sink instead of memory
};

// The server's one route table. Matching fills Request::params; authorization runs through
// the authenticator before any handler, so no route can forget it.
class Router {
public:
    using Authenticator = std::function<std::optional<ApiError>(Request &, Access)>;

    void add(Method method, const QString &pattern, Access access, Handler handler,
             qint64 maxBodyBytes = 1 << 20);
    void addStreaming(Method method, const QString &pattern, Access access, StreamHandler handler);
    void setAuthenticator(Authenticator auth) { m_auth = std::move(auth); }

    // The route for a method and path, or nullptr with `error` set (NotFound/MethodNotAllowed).
    const Route *match(Method method, const QString &path, Request *request, ApiError *error) const;
    Response dispatch(const Route &route, Request &request) const;
    // Authorizes and opens the sink of a streaming route; `refusal` is set when there is none.
    std::unique_ptr<BodySink> beginStream(const Route &route, Request &request,
                                          Response *refusal) const;

    const QList<Route> &routes() const { return m_routes; }

private:
    QList<Route> m_routes;
    Authenticator m_auth;
};

} // namespace clusterra::http
