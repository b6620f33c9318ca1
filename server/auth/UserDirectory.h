#pragma once

#include "core/base/ApiError.h"
#include "server/auth/Principal.h"
#include "server/store/Database.h"

#include <optional>

namespace clusterra::server {

// The users table: who exists, in which organisation, with which role and Linux-style uid.
// Identity-provider users get uids from 20000 up, in sign-up order, never reused.
class UserDirectory {
public:
    explicit UserDirectory(Database &db)
        : m_db(db) {}

    static constexpr qint64 kFirstUid = 20000;

    std::optional<Principal> byId(qint64 id) const;
    std::optional<Principal> byEmail(const QString &email) const;
    // The local-mode admin (this machine's uid).
    Principal ensureLocal(const QString &email, const QString &org);
    std::optional<Principal> byLinuxUser(const QString &name) const;
    // Finds the user by the provider's subject (then by e-mail, linking a user who has no
    // subject yet), or creates one. An e-mail another provider account holds is a Conflict.
    // Listed admins are promoted on every sign-in; nobody is demoted here.
    std::optional<Principal> signedIn(const QString &subject, const QString &email,
                                      const QString &org, bool listedAdmin, ApiError *error);

    nlohmann::json toJson(const Principal &user) const;
    // Everyone in the caller's organisation.
    nlohmann::json list(const Principal &admin, ApiError *error) const;
    // Role change by an admin of the same organisation; the last admin cannot step down.
    std::optional<Principal> setRole(const Principal &admin, qint64 userId, const QString &role,
                                     ApiError *error);
    // The Linux account for Slurm's per_user mapping, set by an admin of the same organisation;
    // empty clears it. Valid names only, and one person per account.
    std::optional<Principal> setLinuxUser(const Principal &admin, qint64 userId,
                                          const QString &name, ApiError *error);

private:
    static ApiError emailTaken(const QString &email);
    QString freeDefaultLinuxUser(const QString &email) const;
    void recordLinuxUser(qint64 userId, const QString &name);
    Database &m_db;
};

} // namespace clusterra::server
