#include "core/base/ApiError.h"

#include "core/util/Json.h"

#include <array>
#include <nlohmann/json.hpp>

namespace clusterra {

namespace {
struct TypeInfo {
    ErrorType type;
    const char *name;
    int status;
};
constexpr std::array<TypeInfo, 18> kTypes{{
    {ErrorType::None, "", 200},
    {ErrorType::ValidationError, "ValidationError", 400},
    {ErrorType::Unauthorized, "Unauthorized", 401},
    {ErrorType::Forbidden, "Forbidden", 403},
    {ErrorType::NotFound, "NotFound", 404},
    {ErrorType::ClusterNameInUse, "ClusterNameInUse", 409},
    {ErrorType::SubscriptionLimitReached, "SubscriptionLimitReached", 403},
    {ErrorType::QuotaExceeded, "QuotaExceeded", 403},
    {ErrorType::DeletionProtected, "DeletionProtected", 409},
    {ErrorType::UnexpectedBehavior, "UnexpectedBehavior", 502},
    {ErrorType::ClusterCouldNotBeDeployed, "ClusterCouldNotBeDeployed", 500},
    {ErrorType::Conflict, "Conflict", 409},
    {ErrorType::MethodNotAllowed, "MethodNotAllowed", 405},
    {ErrorType::PayloadTooLarge, "PayloadTooLarge", 413},
    {ErrorType::UnsupportedMediaType, "UnsupportedMediaType", 415},
    {ErrorType::InternalError, "InternalError", 500},
    {ErrorType::ServiceUnavailable, "ServiceUnavailable", 503},
    {ErrorType::NetworkError, "NetworkError", 0},
}};

const TypeInfo &infoFor(ErrorType type) {
    for (const auto &info : kTypes) {
        if (info.type == type)
            return info;
    }
    return kTypes[0];
}
} // namespace

QString errorTypeName(ErrorType type) {
    return QString::fromLatin1(infoFor(type).name);
}

ErrorType errorTypeFromName(const QString &name) {
    for (const auto &info : kTypes) {
        if (name == QLatin1String(info.name))
            return info.type;
    }
    return name.isEmpty() ? ErrorType::None : ErrorType::InternalError;
}

int httpStatusFor(ErrorType type) {
    return infoFor(type).status;
}

ApiError ApiError::make(ErrorType type, const QString &message, const QString &field) {
    ApiError e;
    e.type = type;
    e.message = message;
    e.field = field;
    e.httpStatus = httpStatusFor(type);
    return e;
}

ApiError ApiError::validation(const QString &field, const QString &message) {
    return make(ErrorType::ValidationError, message, field);
}

ApiError ApiError::validation(const FieldErrors &errors) {
    if (errors.isEmpty())
        return {};
    ApiError e = validation(errors.first().field, errors.first().message);
    e.details = errors;
    return e;
}

nlohmann::json ApiError::toJson() const {
    nlohmann::json err{{"type", toStd(errorTypeName(type))}, {"message", toStd(message)}};
    if (!field.isEmpty())
        err["field"] = toStd(field);
    if (details.size() > 1) {
        auto list = nlohmann::json::array();
        for (const auto &d : details)
            list.push_back({{"field", toStd(d.field)}, {"message", toStd(d.message)}});
        err["details"] = std::move(list);
    }
    return nlohmann::json{{"error", std::move(err)}};
}

ApiError ApiError::fromJson(const nlohmann::json &body, int httpStatus) {
    ApiError e;
    e.httpStatus = httpStatus;
    const auto it = body.find("error");
    if (it == body.end() || !it->is_object()) {
        e.type = ErrorType::InternalError;
        e.message = QStringLiteral("The server answered HTTP %1 without an error description.")
                        .arg(httpStatus);
        return e;
    }
    const auto &err = *it;
    e.type = errorTypeFromName(stringOr(err, "type"));
    if (e.type == ErrorType::None)
        e.type = ErrorType::InternalError;
    e.message = stringOr(err, "message");
    e.field = stringOr(err, "field");
    if (const auto d = err.find("details"); d != err.end() && d->is_array()) {
        for (const auto &item : *d)
            e.details.append({stringOr(item, "field"), stringOr(item, "message")});
    }
    return e;
}

} // namespace clusterra
