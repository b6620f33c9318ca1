#include "server/http/HttpTypes.h"

#include "core/util/Json.h"

#include <cstring>

namespace clusterra::http {

Method methodFromName(QByteArrayView name) {
    if (name == "GET")
        return Method::Get;
    if (name == "HEAD")
        return Method::Head;
    if (name == "POST")
        return Method::Post;
    if (name == "PUT")
        return Method::Put;
    if (name == "PATCH")
        return Method::Patch;
    if (name == "DELETE")
        return Method::Delete;
    if (name == "OPTIONS")
        return Method::Options;
    return Method::Other;
}

QString methodName(Method method) {
    switch (method) {
    case Method::Get:
        return QStringLiteral("GET");
    case Method::Head:
        return QStringLiteral("HEAD");
    case Method::Post:
        return QStringLiteral("POST");
    case Method::Put:
        return QStringLiteral("PUT");
    case Method::Patch:
        return QStringLiteral("PATCH");
    case Method::Delete:
        return QStringLiteral("DELETE");
    case Method::Options:
        return QStringLiteral("OPTIONS");
    case Method::Other:
        break;
    }
    return QStringLiteral("OTHER");
}

nlohmann::json Request::jsonBody(ApiError *error) const {
    if (body.trimmed().isEmpty()) {
        *error = ApiError::validation(QString(), QStringLiteral("The request needs a JSON body."));
        return {};
    }
    nlohmann::json value = parseJson(body);
    if (value.is_discarded()) {
        *error =
            ApiError::validation(QString(), QStringLiteral("The request body is not valid JSON."));
        return {};
    }
    return value;
}

void StreamBody::write(QByteArray bytes) {
    if (m_finished || m_closed || bytes.isEmpty())
        return;
    m_pending += bytes.size();
    m_pieces.push_back(std::move(bytes));
    Q_EMIT dataAvailable();
}

void StreamBody::finish() {
    if (m_finished)
        return;
    m_finished = true;
    Q_EMIT dataAvailable();
}

qsizetype StreamBody::read(char *dest, qsizetype max) {
    qsizetype n = 0;
    while (n < max && !m_pieces.empty()) {
        const QByteArray &front = m_pieces.front();
        const qsizetype take = qMin(max - n, front.size() - m_frontRead);
        std::memcpy(dest + n, front.constData() + m_frontRead, size_t(take));
        n += take;
        m_frontRead += take;
        if (m_frontRead == front.size()) {
            m_pieces.pop_front();
            m_frontRead = 0;
        }
    }
    m_pending -= n;
    if (m_pending == 0 && n > 0 && !m_finished)
        Q_EMIT drained();
    return n;
}

void StreamBody::markClosed() {
    if (m_closed)
        return;
    m_closed = true;
    m_pieces.clear();
    m_frontRead = 0;
    m_pending = 0;
    Q_EMIT closed();
}

Response Response::json(const nlohmann::json &value, int status) {
    return text(dumpJson(value), "application/json", status);
}

Response Response::error(const ApiError &error) {
    Response r =
        json(error.toJson(), error.httpStatus ? error.httpStatus : httpStatusFor(error.type));
    if (error.type == ErrorType::Unauthorized)
        r.withHeader("WWW-Authenticate", "Bearer");
    return r;
}

Response Response::text(const QByteArray &body, const QByteArray &contentType, int status) {
    Response r;
    r.status = status;
    r.body = body;
    r.withHeader("Content-Type", contentType);
    return r;
}

Response Response::eventStream(std::shared_ptr<StreamBody> stream) {
    Response r;
    r.stream = std::move(stream);
    r.withHeader("Content-Type", "text/event-stream; charset=utf-8");
    r.withHeader("Cache-Control", "no-cache");
    r.withHeader("X-Accel-Buffering", "no");
    return r;
}

Response Response::file(const QString &path, qint64 offset, qint64 length,
                        const QByteArray &contentType, int status) {
    Response r;
    r.status = status;
    r.filePath = path;
    r.fileOffset = offset;
    r.fileLength = length;
    r.withHeader("Content-Type", contentType);
    return r;
}

Response &Response::withHeader(const QByteArray &name, const QByteArray &value) {
    headers.append(qMakePair(name, value));
    return *this;
}

PendingResponse::PendingResponse() = default;
PendingResponse::~PendingResponse() = default;

void PendingResponse::resolve(Response response) {
    if (m_response)
        return;
    m_response = std::make_unique<Response>(std::move(response));
    Q_EMIT resolved();
}

Response PendingResponse::take() {
    Response r = m_response ? std::move(*m_response) : Response::text("", "text/plain", 500);
    return r;
}

Response Response::later(std::shared_ptr<PendingResponse> pending) {
    Response r;
    r.pending = std::move(pending);
    return r;
}

} // namespace clusterra::http
