#include "server/auth/UserDirectory.h"

#include "core/rules/IdentityRules.h"

#include "core/util/Json.h"
#include "core/util/Time.h"

#include <unistd.h>

namespace clusterra::server {

namespace {
const char kColumns[] = "id, email, role, org, uid, last_sign_in, linux_user";

Principal fromRow(const QSqlQuery &q) {
    Principal p;
    p.userId = q.value(0).toLongLong();
    p.email = q.value(1).toString();
    p.role = q.value(2).toString();
    p.org = q.value(3).toString();
    p.uid = q.value(4).toLongLong();
    p.linuxUser = q.value(6).toString();
    return p;
}
} // namespace

std::optional<Principal> UserDirectory::byId(qint64 id) const {
    QSqlQuery q = m_db.exec(
        QStringLiteral("SELECT %1 FROM users WHERE id = ?").arg(QLatin1String(kColumns)), {id});
    return q.next() ? std::optional(fromRow(q)) : std::nullopt;
}

std::optional<Principal> UserDirectory::byEmail(const QString &email) const {
    QSqlQuery q = m_db.exec(
        QStringLiteral("SELECT %1 FROM users WHERE email = ?").arg(QLatin1String(kColumns)),
        {email});
    return q.next() ? std::optional(fromRow(q)) : std::nullopt;
}

Principal UserDirectory::ensureLocal(const QString &email, const QString &org) {
    const QString linux = freeDefaultLinuxUser(email);
    if (auto existing = byEmail(email)) {
        // A data directory from before Linux accounts were recorded: the one local user gets
        // the default, as a new one would.
        if (existing->linuxUser.isEmpty() && !linux.isEmpty()) {
            recordLinuxUser(existing->userId, linux);
            existing->linuxUser = linux;
        }
        return *existing;
    }
    m_db.exec(
        QStringLiteral("INSERT INTO users (email, uid, role, org, created_at, linux_user) "
                       "VALUES (?, ?, 'admin', ?, ?, ?)"),
        {email, qint64(getuid()), org, nowMs(), linux.isEmpty() ? QVariant() : QVariant(linux)});
    return *byEmail(email);
}

std::optional<Principal> UserDirectory::signedIn(const QString &subject, const QString &email,
                                                 const QString &org, bool listedAdmin,
                                                 ApiError *error) {
    QSqlQuery q = m_db.exec(QStringLiteral("SELECT id FROM users WHERE subject = ?"), {subject});
    std::optional<qint64> id = q.next() ? std::optional(q.value(0).toLongLong()) : std::nullopt;
    const auto holder = byEmail(email);
    if (!id && holder) {
        // Only a user who never signed in through a provider is linked by e-mail; an account
        // that has a subject already is someone's, and a second provider account that claims
        // the same address must not take it over.
        QSqlQuery s =
            m_db.exec(QStringLiteral("SELECT subject FROM users WHERE id = ?"), {holder->userId});
        if (s.next() && !s.value(0).isNull()) {
            *error = emailTaken(email);
            return std::nullopt;
        }
        id = holder->userId;
        m_db.exec(QStringLiteral("UPDATE users SET subject = ? WHERE id = ?"), {subject, *id});
    }
    if (id && holder && holder->userId != *id) {
        *error = emailTaken(email); // the provider moved an address that someone here holds
        return std::nullopt;
    }
    if (!id) {
        QSqlQuery max =
            m_db.exec(QStringLiteral("SELECT MAX(uid) FROM users WHERE subject IS NOT NULL"), {});
        const qint64 uid =
            max.next() && !max.value(0).isNull() ? max.value(0).toLongLong() + 1 : kFirstUid;
        const QString linux = freeDefaultLinuxUser(email);
        m_db.exec(QStringLiteral("INSERT INTO users (email, uid, role, org, created_at, subject, "
                                 "linux_user) VALUES (?, ?, 'user', ?, ?, ?, ?)"),
                  {email, qMax(uid, kFirstUid), org, nowMs(), subject,
                   linux.isEmpty() ? QVariant() : QVariant(linux)});
        q = m_db.exec(QStringLiteral("SELECT id FROM users WHERE subject = ?"), {subject});
        q.next();
        id = q.value(0).toLongLong();
    }
    // The provider is the authority on the e-mail; the org follows it.
    m_db.exec(QStringLiteral("UPDATE users SET email = ?, org = ?, last_sign_in = ? WHERE id = ?"),
              {email, org, nowMs(), *id});
    if (listedAdmin)
        m_db.exec(QStringLiteral("UPDATE users SET role = 'admin' WHERE id = ?"), {*id});
    auto user = byId(*id);
    // Someone who signed up before Linux accounts were recorded gets the default now, as a
    // new user would.
    if (user && user->linuxUser.isEmpty()) {
        if (const QString linux = freeDefaultLinuxUser(email); !linux.isEmpty()) {
            recordLinuxUser(*id, linux);
            user->linuxUser = linux;
        }
    }
    return user;
}

// The e-mail's local part names the Linux account only when it is a valid name as it stands and
// nobody holds it; otherwise none, and an administrator sets one.
QString UserDirectory::freeDefaultLinuxUser(const QString &email) const {
    const QString linux = rules::defaultLinuxUser(email);
    return linux.isEmpty() || byLinuxUser(linux) ? QString() : linux;
}

std::optional<Principal> UserDirectory::byLinuxUser(const QString &name) const {
    QSqlQuery q = m_db.exec(
        QStringLiteral("SELECT %1 FROM users WHERE linux_user = ?").arg(QLatin1String(kColumns)),
        {name});
    return q.next() ? std::optional(fromRow(q)) : std::nullopt;
}

ApiError UserDirectory::emailTaken(const QString &email) {
    return ApiError::make(ErrorType::Conflict,
                          QStringLiteral("%1 already belongs to another account here, signed in "
                                         "through a different identity-provider account; ask an "
                                         "administrator.")
                              .arg(email));
}

nlohmann::json UserDirectory::toJson(const Principal &user) const {
    return {{"id", user.userId},
            {"email", toStd(user.email)},
            {"uid", user.uid},
            {"role", toStd(user.role)},
            {"org", toStd(user.org)},
            {"linux_user",
             user.linuxUser.isEmpty() ? nlohmann::json() : nlohmann::json(toStd(user.linuxUser))}};
}

nlohmann::json UserDirectory::list(const Principal &admin, ApiError *error) const {
    if (const auto refused = refuseUnlessAdmin(admin)) {
        *error = *refused;
        return {};
    }
    QSqlQuery q = m_db.exec(QStringLiteral("SELECT %1 FROM users WHERE org = ? ORDER BY email")
                                .arg(QLatin1String(kColumns)),
                            {admin.org});
    nlohmann::json users = nlohmann::json::array();
    while (q.next()) {
        nlohmann::json u = toJson(fromRow(q));
        const qint64 last = q.value(5).toLongLong();
        u["last_sign_in"] = last > 0 ? nlohmann::json(toStd(toRfc3339(last))) : nullptr;
        users.push_back(std::move(u));
    }
    return {{"users", users}, {"total", users.size()}};
}

std::optional<Principal> UserDirectory::setRole(const Principal &admin, qint64 userId,
                                                const QString &role, ApiError *error) {
    if (const auto refused = refuseUnlessAdmin(admin)) {
        *error = *refused;
        return std::nullopt;
    }
    if (role != QLatin1String("admin") && role != QLatin1String("user")) {
        *error = ApiError::validation(QStringLiteral("role"),
                                      QStringLiteral("must be \"admin\" or \"user\"."));
        return std::nullopt;
    }
    const auto user = byId(userId);
    // Another organisation's user does not exist for this caller.
    if (!user || user->org != admin.org) {
        *error =
            ApiError::make(ErrorType::NotFound, QStringLiteral("No user with id %1.").arg(userId));
        return std::nullopt;
    }
    if (user->isAdmin() && role == QLatin1String("user")) {
        QSqlQuery q =
            m_db.exec(QStringLiteral("SELECT COUNT(*) FROM users WHERE org = ? AND role = 'admin'"),
                      {admin.org});
        if (q.next() && q.value(0).toLongLong() <= 1) {
            *error = ApiError::make(
                ErrorType::Conflict,
                QStringLiteral("%1 is the organisation's last administrator; make someone else "
                               "an administrator first.")
                    .arg(user->email));
            return std::nullopt;
        }
    }
    m_db.exec(QStringLiteral("UPDATE users SET role = ? WHERE id = ?"), {role, userId});
    return byId(userId);
}

std::optional<Principal> UserDirectory::setLinuxUser(const Principal &admin, qint64 userId,
                                                     const QString &name, ApiError *error) {
    if (const auto refused = refuseUnlessAdmin(admin)) {
        *error = *refused;
        return std::nullopt;
    }
    const auto user = byId(userId);
    if (!user || user->org != admin.org) {
        *error =
            ApiError::make(ErrorType::NotFound, QStringLiteral("No user with id %1.").arg(userId));
        return std::nullopt;
    }
    if (!name.isEmpty() && !rules::isValidLinuxUser(name)) {
        *error = ApiError::validation(
            QStringLiteral("linux_user"),
            QStringLiteral("must be a Linux user name other than root: lower-case letters, "
                           "digits, . _ -, starting with a letter or _, at most %1 characters.")
                .arg(rules::kMaxLinuxUserLength));
        return std::nullopt;
    }
    if (const auto holder = name.isEmpty() ? std::nullopt : byLinuxUser(name);
        holder && holder->userId != userId) {
        *error = ApiError::make(ErrorType::Conflict,
                                QStringLiteral("The Linux account %1 is already %2's; one account "
                                               "serves one person.")
                                    .arg(name, holder->email),
                                QStringLiteral("linux_user"));
        return std::nullopt;
    }
    if (name.isEmpty())
        m_db.exec(QStringLiteral("UPDATE users SET linux_user = NULL WHERE id = ?"), {userId});
    else
        recordLinuxUser(userId, name);
    return byId(userId);
}

// Jobs recorded before Linux accounts were (an empty linux_user) are the user's account's once
// it is known, so that cancelling one acts as its owner and never as the token's own user.
// Jobs that have an account keep the one they were submitted under.
void UserDirectory::recordLinuxUser(qint64 userId, const QString &name) {
    m_db.exec(QStringLiteral("UPDATE users SET linux_user = ? WHERE id = ?"), {name, userId});
    m_db.exec(
        QStringLiteral("UPDATE jobs SET linux_user = ? WHERE user_id = ? AND linux_user = ''"),
        {name, userId});
}

} // namespace clusterra::server
