#pragma once

#include "core/base/ApiError.h"
#include "server/auth/Principal.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <deque>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>

namespace clusterra::http {

enum class Method { Get, Head, Post, Put, Patch, Delete, Options, Other };
Method methodFromName(QByteArrayView name);
QString methodName(Method method);

// How a handler that may wait on another server hands back its answer (or its error).
using Reply = std::function<void(const nlohmann::json &, const ApiError &)>;

struct Request {
    Method method = Method::Other;
    QString path;
    QHash<QString, QString> query;         // decoded; the last value wins
    QHash<QByteArray, QByteArray> headers; // names in lower case
    QHash<QString, QString> params;        // from {placeholders} in the route pattern
    QByteArray body;
    server::Principal principal; // who is calling; empty for public routes

    QByteArray header(const QByteArray &lowerName) const { return headers.value(lowerName); }
    QString param(const QString &name) const { return params.value(name); }
    // The body as a JSON value; an ApiError (ValidationError) when it is not JSON.
    nlohmann::json jsonBody(ApiError *error) const;
};

// A response body produced over time (SSE). Producers write; the server drains it and tells
// when it needs more. Holding a shared_ptr keeps it alive; closed() means the peer went away.
class StreamBody : public QObject {
    Q_OBJECT
public:
    // Kept as written, piece by piece: each piece is freed as soon as it is sent, so a stream
    // holds no more than what waits to be sent.
    void write(QByteArray bytes);
    void finish();
    bool isFinished() const { return m_finished; }
    bool isClosed() const { return m_closed; }
    qsizetype pending() const { return m_pending; }

    // Server side.
    qsizetype read(char *dest, qsizetype max);
    void markClosed();

Q_SIGNALS:
    void dataAvailable();
    void drained(); // the buffer ran empty: a producer that paused may write again
    void closed();

private:
    std::deque<QByteArray> m_pieces;
    qsizetype m_frontRead = 0; // sent of the first piece
    qsizetype m_pending = 0;
    bool m_finished = false;
    bool m_closed = false;
};

struct Response;

// A response that a handler finishes later (it waits on another server, such as S3). The
// connection is parked meanwhile; resolve() sends the answer. Resolving twice is ignored.
class PendingResponse : public QObject {
    Q_OBJECT
public:
    PendingResponse();
    ~PendingResponse() override;
    void resolve(Response response);
    bool isResolved() const { return m_response != nullptr; }
    Response take();

Q_SIGNALS:
    void resolved();

private:
    std::unique_ptr<Response> m_response;
};

struct Response {
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    std::shared_ptr<StreamBody> stream;
    // The send buffer of a stream, allocated for as long as it is open: small for feeds that
    // many clients hold open and that carry little; larger for a job's output, which can
    // come at disk speed (each buffer's worth is one pass of the server's loop).
    int streamBlock = 32 * 1024;
    std::shared_ptr<PendingResponse> pending;
    // A file body sent with sendfile(): [fileOffset, fileOffset + fileLength) of filePath.
    QString filePath;
    qint64 fileOffset = 0;
    qint64 fileLength = -1;

    static Response json(const nlohmann::json &value, int status = 200);
    static Response error(const ApiError &error);
    static Response text(const QByteArray &body, const QByteArray &contentType, int status = 200);
    static Response eventStream(std::shared_ptr<StreamBody> stream);
    static Response later(std::shared_ptr<PendingResponse> pending);
    static Response file(const QString &path, qint64 offset, qint64 length,
                         const QByteArray &contentType, int status = 200);
    Response &withHeader(const QByteArray &name, const QByteArray &value);
};

// Receives a request body as it arrives (uploads), so no body is ever held whole in memory.
class BodySink {
public:
    virtual ~BodySink() = default;
    // False aborts the connection (limit exceeded). A sink that cannot store the body (a
    // read-only store, a full disk) reads it on and answers from finish(): an answer sent while
    // the client is still sending is lost to the connection reset.
    virtual bool write(const char *data, qsizetype size) = 0;
    // The whole body has arrived: the response to send.
    virtual Response finish() = 0;
};

} // namespace clusterra::http
