#pragma once

#include <stdexcept>

#include <QList>
#include <QString>
#include <nlohmann/json_fwd.hpp>

namespace clusterra {

// Error types of the /v1 API (design/API.md). The names travel over the wire.
enum class ErrorType {
    None,
    ValidationError,
    Unauthorized,
    Forbidden,
    NotFound,
    ClusterNameInUse,
    SubscriptionLimitReached,
    QuotaExceeded,
    DeletionProtected,
    UnexpectedBehavior,
    ClusterCouldNotBeDeployed,
    Conflict,
    MethodNotAllowed,
    PayloadTooLarge,
    UnsupportedMediaType,
    InternalError,
    ServiceUnavailable,
    NetworkError, // client side only: the server could not be reached
};

QString errorTypeName(ErrorType type);
ErrorType errorTypeFromName(const QString &name);
int httpStatusFor(ErrorType type);

struct FieldError {
    QString field; // JSON path, e.g. "partitions[2].max_node_count"
    QString message;
};
using FieldErrors = QList<FieldError>;

// One value for every failure, on the server and in the client: type, human message,
// the field at fault, the HTTP status and (client side) the network error code.
struct ApiError {
    ErrorType type = ErrorType::None;
    QString message;
    QString field;
    int httpStatus = 0;
    int networkError = 0;
    FieldErrors details;

    bool isError() const { return type != ErrorType::None; }

    static ApiError make(ErrorType type, const QString &message, const QString &field = {});
    static ApiError validation(const QString &field, const QString &message);
    // The first error names the field; all of them travel in "details".
    static ApiError validation(const FieldErrors &errors);

    nlohmann::json toJson() const;
    static ApiError fromJson(const nlohmann::json &body, int httpStatus);
};

// An ApiError thrown from deep inside a service (the database is locked, the disk is full) for
// the HTTP layer to answer as it is.
class ApiException : public std::runtime_error {
public:
    explicit ApiException(ApiError error)
        : std::runtime_error(error.message.toStdString())
        , m_error(std::move(error)) {}
    const ApiError &error() const { return m_error; }

private:
    ApiError m_error;
};

} // namespace clusterra

#include <QMetaType>
Q_DECLARE_METATYPE(clusterra::ApiError)
