#include "server/clusters/ClusterStore.h"

#include "core/util/Json.h"
#include "server/store/Database.h"

namespace clusterra::server {

namespace {
const QString kColumns =
    QStringLiteral("id, org, name, provider, state, state_reason, connection_state, spec, "
                   "secret, slurm_token, created_by, created_at, updated_at");

ClusterRecord fromQuery(const QSqlQuery &q) {
    ClusterRecord c;
    c.id = q.value(0).toString();
    c.org = q.value(1).toString();
    c.name = q.value(2).toString();
    c.provider = q.value(3).toString();
    c.state = q.value(4).toString();
    c.stateReason = q.value(5).toString();
    c.connectionState = q.value(6).toString();
    c.spec = parseJson(q.value(7).toString().toUtf8());
    c.accessSecret = q.value(8).toString();
    c.slurmToken = q.value(9).toString();
    c.createdBy = q.value(10).toString();
    c.createdAt = q.value(11).toLongLong();
    c.updatedAt = q.value(12).toLongLong();
    return c;
}
} // namespace

void ClusterStore::insert(const ClusterRecord &c) {
    m_db.exec(
        QStringLiteral("INSERT INTO clusters (%1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .arg(kColumns),
        {c.id, c.org, c.name, c.provider, c.state, c.stateReason, c.connectionState,
         QString::fromUtf8(dumpJson(c.spec)), c.accessSecret, c.slurmToken, c.createdBy,
         c.createdAt, c.updatedAt});
}

void ClusterStore::save(const ClusterRecord &c) {
    m_db.exec(
        QStringLiteral("UPDATE clusters SET state = ?, state_reason = ?, connection_state = ?, "
                       "spec = ?, updated_at = ? WHERE id = ?"),
        {c.state, c.stateReason, c.connectionState, QString::fromUtf8(dumpJson(c.spec)),
         c.updatedAt, c.id});
}

void ClusterStore::remove(const QString &id) {
    m_db.exec(QStringLiteral("DELETE FROM clusters WHERE id = ?"), {id});
}

QList<ClusterRecord> ClusterStore::select(const QString &where,
                                          std::initializer_list<QVariant> binds) const {
    QSqlQuery q =
        m_db.exec(QStringLiteral("SELECT %1 FROM clusters %2").arg(kColumns, where), binds);
    QList<ClusterRecord> out;
    while (q.next())
        out.append(fromQuery(q));
    return out;
}

std::optional<ClusterRecord> ClusterStore::byId(const QString &id) const {
    const auto rows = select(QStringLiteral("WHERE id = ?"), {id});
    return rows.isEmpty() ? std::nullopt : std::optional<ClusterRecord>(rows.first());
}

QList<ClusterRecord> ClusterStore::inOrg(const QString &org) const {
    return select(QStringLiteral("WHERE org = ? ORDER BY created_at"), {org});
}

QList<ClusterRecord> ClusterStore::withProvider(const QString &provider) const {
    return select(QStringLiteral("WHERE provider = ?"), {provider});
}

QStringList ClusterStore::idsInState(const QString &state) const {
    QSqlQuery q = m_db.exec(QStringLiteral("SELECT id FROM clusters WHERE state = ?"), {state});
    QStringList ids;
    while (q.next())
        ids << q.value(0).toString();
    return ids;
}

int ClusterStore::countInOrg(const QString &org) const {
    QSqlQuery q = m_db.exec(QStringLiteral("SELECT COUNT(*) FROM clusters WHERE org = ?"), {org});
    return q.next() ? q.value(0).toInt() : 0;
}

bool ClusterStore::nameTaken(const QString &org, const QString &name) const {
    QSqlQuery q = m_db.exec(
        QStringLiteral("SELECT 1 FROM clusters WHERE org = ? AND name = ? COLLATE NOCASE"),
        {org, name});
    return q.next();
}

} // namespace clusterra::server
