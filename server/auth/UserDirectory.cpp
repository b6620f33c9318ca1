#include "auth/UserDirectory.h"

#include "util/Json.h"
#include "util/Time.h"

#include <unistd.h>

namespace clusterra::server {

namespace {
const char kColumns[] = "id, email, role, org, uid, last_sign_in";

http::Principal fromRow(const QSqlQuery &q) {
    http::Principal p;
    p.userId = q.value(0).toLongLong();
    p.email = q.value(1).toString();
    p.role = q.value(2).toString();
    p.org = q.value(3).toString();
    p.uid = q.value(4).toLongLong();
    return p;
}
} // namespace

std::optional<http::Principal> UserDirectory::byId(qint64 id) const {
    QSqlQuery q = m_db.exec(
        QStringLiteral("SELECT %1 FROM users WHERE id = ?").arg(QLatin1String(kColumns)), {id});
    return q.next() ? std::optional(fromRow(q)) : std::nullopt;
}

std::optional<http::Principal> UserDirectory::byEmail(const QString &email) const {
    QSqlQuery q = m_db.exec(
        QStringLiteral("SELECT %1 FROM users WHERE email = ?").arg(QLatin1String(kColumns)),
        {email});
    return q.next() ? std::optional(fromRow(q)) : std::nullopt;
}

http::Principal UserDirectory::ensureLocal(const QString &email, const QString &org) {
    if (auto existing = byEmail(email))
        return *existing;
    m_db.exec(QStringLiteral("INSERT INTO users (email, uid, role, org, created_at) "
                             "VALUES (?, ?, 'admin', ?, ?)"),
              {email, qint64(getuid()), org, nowMs()});
    return *byEmail(email);
}

http::Principal UserDirectory::signedIn(const QString &subject, const QString &email,
                                        const QString &org, bool listedAdmin) {
    QSqlQuery q = m_db.exec(QStringLiteral("SELECT id FROM users WHERE subject = ?"), {subject});
    std::optional<qint64> id = q.next() ? std::optional(q.value(0).toLongLong()) : std::nullopt;
    if (!id) {
        if (auto byMail = byEmail(email)) {
            id = byMail->userId;
            m_db.exec(QStringLiteral("UPDATE users SET subject = ? WHERE id = ?"), {subject, *id});
        }
    }
    if (!id) {
        QSqlQuery max =
            m_db.exec(QStringLiteral("SELECT MAX(uid) FROM users WHERE subject IS NOT NULL"), {});
        const qint64 uid =
            max.next() && !max.value(0).isNull() ? max.value(0).toLongLong() + 1 : kFirstUid;
        m_db.exec(QStringLiteral("INSERT INTO users (email, uid, role, org, created_at, subject) "
                                 "VALUES (?, ?, 'user', ?, ?, ?)"),
                  {email, qMax(uid, kFirstUid), org, nowMs(), subject});
        q = m_db.exec(QStringLiteral("SELECT id FROM users WHERE subject = ?"), {subject});
        q.next();
        id = q.value(0).toLongLong();
    }
    // The provider is the authority on the e-mail; the org follows it.
    m_db.exec(QStringLiteral("UPDATE users SET email = ?, org = ?, last_sign_in = ? WHERE id = ?"),
              {email, org, nowMs(), *id});
    if (listedAdmin)
        m_db.exec(QStringLiteral("UPDATE users SET role = 'admin' WHERE id = ?"), {*id});
    return *byId(*id);
}

nlohmann::json UserDirectory::toJson(const http::Principal &user) const {
    return {{"id", user.userId},
            {"email", toStd(user.email)},
            {"uid", user.uid},
            {"role", toStd(user.role)},
            {"org", toStd(user.org)}};
}

nlohmann::json UserDirectory::list(const http::Principal &admin) const {
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

std::optional<http::Principal> UserDirectory::setRole(const http::Principal &admin, qint64 userId,
                                                      const QString &role, ApiError *error) {
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

} // namespace clusterra::server
