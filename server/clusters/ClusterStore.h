#pragma once

#include "server/clusters/ClusterRecord.h"

#include <QList>
#include <QStringList>
#include <optional>

namespace clusterra::server {

class Database;

// The clusters table. No policy: ClusterService decides who may read or change a row.
class ClusterStore {
public:
    explicit ClusterStore(Database &db)
        : m_db(db) {}

    void insert(const ClusterRecord &cluster);
    // Writes what changes after creation: state, reason, connection, spec, updated_at.
    void save(const ClusterRecord &cluster);
    // Inside the caller's transaction.
    void remove(const QString &id);

    std::optional<ClusterRecord> byId(const QString &id) const;
    QList<ClusterRecord> inOrg(const QString &org) const; // oldest first
    QList<ClusterRecord> withProvider(const QString &provider) const;
    QStringList idsInState(const QString &state) const;
    int countInOrg(const QString &org) const;
    // Names are unique per organisation, whatever their case.
    bool nameTaken(const QString &org, const QString &name) const;

private:
    QList<ClusterRecord> select(const QString &where, std::initializer_list<QVariant> binds) const;

    Database &m_db;
};

} // namespace clusterra::server
