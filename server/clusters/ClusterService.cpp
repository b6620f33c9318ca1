#include "clusters/ClusterService.h"

#include "crypto/Crypto.h"
#include "jobs/Scheduler.h"
#include "rules/ClusterRules.h"
#include "util/Json.h"
#include "util/Time.h"

namespace clusterra::server {

namespace {
const QString kColumns = QStringLiteral(
    "id, org, name, provider, state, state_reason, connection_state, spec, secret, created_by, "
    "created_at, updated_at");

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
    c.secret = q.value(8).toString();
    c.createdBy = q.value(9).toString();
    c.createdAt = q.value(10).toLongLong();
    c.updatedAt = q.value(11).toLongLong();
    return c;
}

QString maskSecret(const QString &secret) {
    return secret.left(3) + QStringLiteral("…") + secret.right(3);
}

ApiError notFound(const QString &id) {
    return ApiError::make(ErrorType::NotFound, QStringLiteral("No cluster with id %1.").arg(id));
}
} // namespace

std::optional<ApiError> refuseOtherOrg(const Principal &who, const ClusterRecord &cluster) {
    if (cluster.org == who.org)
        return std::nullopt;
    return notFound(cluster.id);
}

ClusterService::ClusterService(Database &db, EventLog &events, JobStore &jobs,
                               ClusterSettings settings, QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_events(events)
    , m_jobs(jobs)
    , m_settings(settings) {}

void ClusterService::addProvider(const QString &name, ClusterProvider *provider) {
    m_providers.insert(name, provider);
    connect(provider, &ClusterProvider::deployed, this, &ClusterService::onDeployed);
    connect(provider, &ClusterProvider::deployFailed, this, &ClusterService::onDeployFailed);
}

nlohmann::json ClusterService::create(const Principal &who, const nlohmann::json &body,
                                      ApiError *error) {
    if (const auto refused = refuseUnlessAdmin(who)) {
        *error = *refused;
        return {};
    }
    const auto check = rules::checkClusterCreate(body);
    if (!check.ok()) {
        *error = ApiError::validation(check.errors);
        return {};
    }
    const QString provider = stringOr(check.normalized, "provider");
    ClusterProvider *deployer = m_providers.value(provider);
    if (!deployer) {
        *error = ApiError::validation(
            QStringLiteral("provider"),
            QStringLiteral("The provider \"%1\" is not available on this server.").arg(provider));
        return {};
    }
    const QString name = stringOr(check.normalized, "name");
    QSqlQuery q =
        m_db.exec(QStringLiteral("SELECT COUNT(*) FROM clusters WHERE org = ?"), {who.org});
    q.next();
    if (q.value(0).toInt() >= m_settings.maxClustersPerOrg) {
        *error =
            ApiError::make(ErrorType::SubscriptionLimitReached,
                           QStringLiteral("Your subscription allows %1 clusters; delete one or "
                                          "upgrade to create more.")
                               .arg(m_settings.maxClustersPerOrg));
        return {};
    }
    q = m_db.exec(
        QStringLiteral("SELECT 1 FROM clusters WHERE org = ? AND name = ? COLLATE NOCASE"),
        {who.org, name});
    if (q.next()) {
        *error = ApiError::make(
            ErrorType::ClusterNameInUse,
            QStringLiteral("A cluster named \"%1\" already exists in your organisation.").arg(name),
            QStringLiteral("name"));
        return {};
    }
    ClusterRecord c;
    c.id = QStringLiteral("clus") + QString::fromLatin1(crypto::randomBytes(4).toHex());
    c.org = who.org;
    c.name = name;
    c.provider = provider;
    c.state = QStringLiteral("preparing");
    c.connectionState = QStringLiteral("connecting");
    c.spec = check.normalized;
    const bool generated = !c.spec.contains("secret");
    c.secret = generated ? QString::fromLatin1(crypto::randomToken(24).left(32))
                         : stringOr(c.spec, "secret");
    c.spec.erase("secret");
    if (auto slurm = c.spec.find("slurm"); slurm != c.spec.end()) {
        // The slurmrestd token is a secret too: kept apart from the spec that GET returns.
        c.secret = stringOr(*slurm, "token");
        slurm->erase("token");
    }
    c.createdBy = who.email;
    c.createdAt = c.updatedAt = nowMs();
    m_db.exec(
        QStringLiteral("INSERT INTO clusters (%1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .arg(kColumns),
        {c.id, c.org, c.name, c.provider, c.state, c.stateReason, c.connectionState,
         QString::fromUtf8(dumpJson(c.spec)), c.secret, c.createdBy, c.createdAt, c.updatedAt});
    m_events.append(c.id, QStringLiteral("cluster.created"), QStringLiteral("info"),
                    QStringLiteral("Cluster %1 created; deploying with the %2 provider.")
                        .arg(c.name, c.provider),
                    who.email, {{"state", "preparing"}});
    deployer->deploy(c);
    nlohmann::json out = describe(c);
    if (c.provider != QLatin1String("slurm"))
        out["secret"] = toStd(c.secret); // shown once, never again in full
    if (!check.warnings.isEmpty())
        out["warnings"] = toJsonArray(check.warnings);
    return out;
}

std::optional<ClusterRecord> ClusterService::byId(const QString &id) {
    QSqlQuery q =
        m_db.exec(QStringLiteral("SELECT %1 FROM clusters WHERE id = ?").arg(kColumns), {id});
    if (!q.next())
        return std::nullopt;
    return fromQuery(q);
}

QList<ClusterRecord> ClusterService::withProvider(const QString &provider) {
    QSqlQuery q = m_db.exec(
        QStringLiteral("SELECT %1 FROM clusters WHERE provider = ?").arg(kColumns), {provider});
    QList<ClusterRecord> out;
    while (q.next())
        out.append(fromQuery(q));
    return out;
}

std::optional<ClusterRecord> ClusterService::find(const Principal &who, const QString &id,
                                                  ApiError *error) {
    auto c = byId(id);
    // Another organisation's cluster does not exist for this caller.
    if (!c || c->org != who.org) {
        *error = notFound(id);
        return std::nullopt;
    }
    return c;
}

nlohmann::json ClusterService::list(const Principal &who) {
    QSqlQuery q = m_db.exec(
        QStringLiteral("SELECT %1 FROM clusters WHERE org = ? ORDER BY created_at").arg(kColumns),
        {who.org});
    auto clusters = nlohmann::json::array();
    while (q.next())
        clusters.push_back(describe(fromQuery(q)));
    const size_t total = clusters.size();
    return {{"clusters", std::move(clusters)}, {"total", total}};
}

QList<NodeRecord> ClusterService::nodes(const QString &clusterId) {
    QSqlQuery q = m_db.exec(
        QStringLiteral("SELECT name, cpus, memory_mb, gpus, node_type, state, alloc_cpus, "
                       "alloc_memory_mb, reason FROM nodes WHERE cluster_id = ? ORDER BY name"),
        {clusterId});
    QList<NodeRecord> out;
    while (q.next()) {
        NodeRecord n;
        n.name = q.value(0).toString();
        n.cpus = q.value(1).toInt();
        n.memoryMb = q.value(2).toLongLong();
        n.gpus = q.value(3).toInt();
        n.nodeType = q.value(4).toString();
        n.state = q.value(5).toString();
        if (!q.value(6).isNull())
            n.allocCpus = q.value(6).toInt();
        if (!q.value(7).isNull())
            n.allocMemoryMb = q.value(7).toLongLong();
        n.reason = q.value(8).toString();
        out.append(n);
    }
    return out;
}

nlohmann::json ClusterService::describe(const ClusterRecord &c) {
    const QList<NodeRecord> nodeList = nodes(c.id);
    int cpus = 0, gpus = 0;
    qint64 memory = 0;
    for (const auto &n : nodeList) {
        cpus += n.cpus;
        gpus += n.gpus;
        memory += n.memoryMb;
    }
    nlohmann::json out = c.spec;
    out["id"] = toStd(c.id);
    out["state"] = toStd(c.state);
    out["state_reason"] = toStd(c.stateReason);
    out["connection_state"] = toStd(c.connectionState);
    out["secret_hint"] = toStd(maskSecret(c.secret));
    out["created_by"] = toStd(c.createdBy);
    out["created_at"] = toStd(toRfc3339(c.createdAt));
    out["updated_at"] = toStd(toRfc3339(c.updatedAt));
    out["default_partition"] = toStd(c.defaultPartition());
    out["partitions"] = partitionsJson(c)["partitions"];
    out["counts"] = {{"nodes", nodeList.size()},
                     {"cpus", cpus},
                     {"memory_mb", memory},
                     {"gpus", gpus},
                     {"jobs_running", m_jobs.countInStates(c.id, statesOf(StateFilter::Running))},
                     {"jobs_pending", m_jobs.countInStates(c.id, statesOf(StateFilter::Pending))}};
    return out;
}

nlohmann::json ClusterService::nodesJson(const ClusterRecord &cluster) {
    auto out = nlohmann::json::array();
    const auto running = m_jobs.withStates({JobState::Running, JobState::Completing}, cluster.id);
    for (const auto &n : nodes(cluster.id)) {
        int allocCpus = 0;
        qint64 allocMem = 0;
        for (const auto &j : running) {
            if (j.nodeList == n.name) {
                allocCpus += j.cpus();
                allocMem += j.memoryMb;
            }
        }
        QString state = n.state;
        if (n.allocCpus) {
            allocCpus = *n.allocCpus;
            allocMem = n.allocMemoryMb.value_or(0);
        } else if (n.state == QLatin1String("IDLE") && allocCpus > 0)
            state = allocCpus >= n.cpus ? QStringLiteral("ALLOCATED") : QStringLiteral("MIXED");
        out.push_back(
            {{"name", toStd(n.name)},
             {"state", toStd(state)},
             {"cpus", n.cpus},
             {"alloc_cpus", allocCpus},
             {"memory_mb", n.memoryMb},
             {"alloc_memory_mb", allocMem},
             {"gpus", n.gpus},
             {"node_type", toStd(n.nodeType)},
             {"reason", toStd(n.reason)},
             {"partitions", cluster.spec.value("partitions", nlohmann::json::array()).size()}});
    }
    return {{"nodes", std::move(out)}};
}

nlohmann::json ClusterService::partitionsJson(const ClusterRecord &cluster) {
    const auto nodeList = nodes(cluster.id);
    int cpus = 0;
    for (const auto &n : nodeList)
        cpus += n.cpus;
    auto out = nlohmann::json::array();
    for (auto p : cluster.spec.value("partitions", nlohmann::json::array())) {
        // A scheduler that reports its partitions (Slurm) has filled these in already.
        if (!p.contains("state"))
            p["state"] = cluster.state == QLatin1String("ready") ? "UP" : "DOWN";
        if (!p.contains("total_nodes"))
            p["total_nodes"] = nodeList.size();
        if (!p.contains("total_cpus"))
            p["total_cpus"] = cpus;
        if (!p.contains("max_time"))
            p["max_time"] = nullptr; // unlimited
        out.push_back(p);
    }
    return {{"partitions", std::move(out)}};
}

nlohmann::json ClusterService::update(const Principal &who, const QString &id,
                                      const nlohmann::json &body, ApiError *error) {
    auto c = find(who, id, error);
    if (!c)
        return {};
    if (const auto refused = refuseUnlessAdmin(who)) {
        *error = *refused;
        return {};
    }
    if (c->state == QLatin1String("deleting")) {
        *error =
            ApiError::make(ErrorType::Conflict, QStringLiteral("The cluster is being deleted."));
        return {};
    }
    const auto check = rules::checkClusterUpdate(body, c->spec);
    if (!check.ok()) {
        *error = ApiError::validation(check.errors);
        return {};
    }
    c->spec = check.normalized;
    c->updatedAt = nowMs();
    save(*c);
    m_events.append(c->id, QStringLiteral("cluster.updated"), QStringLiteral("info"),
                    QStringLiteral("Cluster %1 updated by %2.").arg(c->name, who.email), who.email,
                    {{"changes", body}});
    return describe(*c);
}

nlohmann::json ClusterService::remove(const Principal &who, const QString &id, ApiError *error) {
    auto c = find(who, id, error);
    if (!c)
        return {};
    if (const auto refused = refuseUnlessAdmin(who)) {
        *error = *refused;
        return {};
    }
    if (c->spec.value("deletion_protection", false)) {
        *error = ApiError::make(
            ErrorType::DeletionProtected,
            QStringLiteral("Cluster %1 has deletion protection; turn it off first.").arg(c->name),
            QStringLiteral("deletion_protection"));
        return {};
    }
    if (c->state != QLatin1String("deleting")) {
        setState(*c, QStringLiteral("deleting"), QStringLiteral("disconnected"), QString());
        m_events.append(
            c->id, QStringLiteral("cluster.deleting"), QStringLiteral("info"),
            QStringLiteral("Cluster %1 is being deleted by %2; its jobs are cancelled first.")
                .arg(c->name, who.email),
            who.email);
        if (m_scheduler) {
            for (const auto &j : m_jobs.withStates(
                     statesOf(StateFilter::Pending) + statesOf(StateFilter::Running), c->id))
                m_scheduler->cancel(j, who.email, {});
        }
    }
    finishDeletions();
    return describe(*c);
}

void ClusterService::finishDeletions() {
    QSqlQuery q = m_db.exec(QStringLiteral("SELECT id FROM clusters WHERE state = 'deleting'"));
    QStringList ids;
    while (q.next())
        ids << q.value(0).toString();
    for (const QString &id : ids) {
        if (m_scheduler && m_scheduler->activeJobs(id) > 0)
            continue;
        Database::Transaction tx(m_db);
        m_db.exec(QStringLiteral("DELETE FROM nodes WHERE cluster_id = ?"), {id});
        m_db.exec(QStringLiteral("DELETE FROM clusters WHERE id = ?"), {id});
        m_jobs.removeCluster(id);
        tx.commit();
        m_events.append(id, QStringLiteral("cluster.deleted"), QStringLiteral("info"),
                        QStringLiteral("Cluster %1 deleted.").arg(id));
        Q_EMIT clusterRemoved(id);
    }
}

void ClusterService::onDeployed(const QString &clusterId, const QList<NodeRecord> &nodeList) {
    auto c = byId(clusterId);
    if (!c || c->state != QLatin1String("preparing"))
        return;
    writeNodes(clusterId, nodeList);
    int cpus = 0;
    for (const auto &n : nodeList)
        cpus += n.cpus;
    setState(*c, QStringLiteral("ready"), QStringLiteral("connected"), QString());
    m_events.append(clusterId, QStringLiteral("cluster.state_changed"), QStringLiteral("info"),
                    QStringLiteral("Cluster %1 is ready: %2 node(s), %3 CPUs.")
                        .arg(c->name)
                        .arg(nodeList.size())
                        .arg(cpus),
                    QString(), {{"state", "ready"}});
}

void ClusterService::writeNodes(const QString &clusterId, const QList<NodeRecord> &nodeList) {
    Database::Transaction tx(m_db);
    m_db.exec(QStringLiteral("DELETE FROM nodes WHERE cluster_id = ?"), {clusterId});
    for (const auto &n : nodeList) {
        m_db.exec(QStringLiteral("INSERT INTO nodes (cluster_id, name, cpus, memory_mb, gpus, "
                                 "node_type, state, alloc_cpus, alloc_memory_mb, reason) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                  {clusterId, n.name, n.cpus, n.memoryMb, n.gpus, n.nodeType, n.state,
                   n.allocCpus ? QVariant(*n.allocCpus) : QVariant(),
                   n.allocMemoryMb ? QVariant(*n.allocMemoryMb) : QVariant(), n.reason});
    }
    tx.commit();
}

void ClusterService::updateInventory(const QString &clusterId, const QList<NodeRecord> &nodeList,
                                     const nlohmann::json &partitions) {
    auto c = byId(clusterId);
    if (!c)
        return;
    writeNodes(clusterId, nodeList);
    if (c->spec.value("partitions", nlohmann::json()) != partitions) {
        c->spec["partitions"] = partitions;
        c->updatedAt = nowMs();
        save(*c);
    }
}

void ClusterService::setConnection(const QString &clusterId, bool connected,
                                   const QString &reason) {
    auto c = byId(clusterId);
    if (!c || c->state != QLatin1String("ready"))
        return;
    const QString state = connected ? QStringLiteral("connected") : QStringLiteral("disconnected");
    if (c->connectionState == state && c->stateReason == reason)
        return;
    const bool changed = c->connectionState != state;
    setState(*c, c->state, state, reason);
    if (!changed)
        return;
    m_events.append(clusterId, QStringLiteral("cluster.connection_changed"),
                    connected ? QStringLiteral("info") : QStringLiteral("warning"),
                    connected
                        ? QStringLiteral("Cluster %1 is reachable again.").arg(c->name)
                        : QStringLiteral("Cluster %1 is unreachable: %2").arg(c->name, reason),
                    QString(), {{"connection_state", toStd(state)}});
}

void ClusterService::onDeployFailed(const QString &clusterId, const QString &reason) {
    auto c = byId(clusterId);
    if (!c || c->state != QLatin1String("preparing"))
        return;
    setState(*c, QStringLiteral("failed"), QStringLiteral("disconnected"), reason);
    m_events.append(clusterId, QStringLiteral("cluster.deploy_failed"), QStringLiteral("error"),
                    QStringLiteral("Cluster %1 could not be deployed: %2").arg(c->name, reason),
                    QString(),
                    {{"error_type", "ClusterCouldNotBeDeployed"},
                     {"reason", toStd(reason)},
                     {"state", "failed"}});
}

void ClusterService::setState(ClusterRecord &c, const QString &state, const QString &connection,
                              const QString &reason) {
    c.state = state;
    c.connectionState = connection;
    c.stateReason = reason;
    c.updatedAt = nowMs();
    save(c);
}

void ClusterService::save(const ClusterRecord &c) {
    m_db.exec(
        QStringLiteral("UPDATE clusters SET state = ?, state_reason = ?, connection_state = ?, "
                       "spec = ?, updated_at = ? WHERE id = ?"),
        {c.state, c.stateReason, c.connectionState, QString::fromUtf8(dumpJson(c.spec)),
         c.updatedAt, c.id});
}

} // namespace clusterra::server
