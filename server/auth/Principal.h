#pragma once

#include "core/base/ApiError.h"

#include <QString>
#include <optional>

namespace clusterra::server {

// Who is calling, as the authenticator established it; what every service decides its policy
// on (the HTTP routes, the agent's tools, anything else that calls a service). Empty: nobody.
struct Principal {
    qint64 userId = 0;
    QString email;
    QString role; // "admin" | "user"
    QString org;
    qint64 uid = 0;    // Linux-style uid recorded on jobs
    QString linuxUser; // the account Slurm runs this user's jobs as; empty: none set
    bool isAdmin() const { return role == QLatin1String("admin"); }
    bool isValid() const { return userId > 0; }
};

// What a service answers a caller who is not an administrator, where only they may act; none
// for one who is. Services check it themselves, whoever calls them.
inline std::optional<ApiError> refuseUnlessAdmin(const Principal &who) {
    if (who.isAdmin())
        return std::nullopt;
    return ApiError::make(ErrorType::Forbidden, QStringLiteral("Only administrators may do this."));
}

} // namespace clusterra::server
