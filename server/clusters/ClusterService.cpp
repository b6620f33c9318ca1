#include "server/clusters/ClusterService.h"

#include "core/base/Guard.h"
#include "core/crypto/Crypto.h"
#include "core/rules/ClusterRules.h"
#include "core/util/Json.h"
#include "core/util/Time.h"
#include "server/jobs/Scheduler.h"

#include <algorithm>

namespace clusterra::server {

namespace {
ApiError notFound(const QString &id) {
    return ApiError::make(ErrorType::NotFound, QStringLiteral("No cluster with id %1.").arg(id));
}

int countOf(const QHash<JobState, int> &counts, StateFilter filter) {
    int n = 0;
    for (JobState s : statesOf(filter))
        n += counts.value(s);
    return n;
}

bool inPartition(const NodeRecord &node, const std::string &partition) {
    return node.partitions.isEmpty() || node.partitions.contains(QString::fromStdString(partition));
}

// A scheduler that reports its partitions (Slurm) has filled most of these in already; the
// others get them from the cluster's state and nodes. Available: nodes in the partition that
// can take work now (idle or partly used), as sinfo's A/I/O/T counts them.
nlohmann::json filledPartitions(const ClusterRecord &cluster, const QList<NodeView> &nodes) {
    auto out = nlohmann::json::array();
    for (auto p : cluster.spec.value("partitions", nlohmann::json::array())) {
        const std::string name = p.value("name", "");
        int total = 0, available = 0, cpus = 0;
        for (const auto &v : nodes) {
            if (!inPartition(v.node, name))
                continue;
            ++total;
            cpus += v.node.cpus;
            available +=
                v.node.state == QLatin1String("IDLE") || v.node.state == QLatin1String("MIXED");
        }
        if (!p.contains("state"))
            p["state"] = cluster.state == QLatin1String("ready") ? "UP" : "DOWN";
        if (!p.contains("total_nodes"))
            p["total_nodes"] = total;
        if (!p.contains("total_cpus"))
            p["total_cpus"] = cpus;
        p["avail_nodes"] = available;
        if (!p.contains("max_time"))
            p["max_time"] = nullptr; // unlimited
        if (!p.contains("default_time"))
            p["default_time"] = nullptr; // the maximum
        out.push_back(p);
    }
    return out;
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
    , m_store(db)
    , m_nodes(db)
    , m_events(events)
    , m_jobs(jobs)
    , m_settings(settings) {}

void ClusterService::addProvider(const QString &name, ClusterProvider *provider) {
    m_providers.insert(name, provider);
    connect(provider, &ClusterProvider::deployed, this,
            [this](const QString &id, const QList<NodeRecord> &nodes) {
                runGuarded("cluster deployment", [&] { onDeployed(id, nodes); });
            });
    connect(provider, &ClusterProvider::deployFailed, this,
            [this](const QString &id, const QString &reason) {
                runGuarded("cluster deployment", [&] { onDeployFailed(id, reason); });
            });
}

std::optional<CreatedCluster> ClusterService::create(const Principal &who,
                                                     const nlohmann::json &body, ApiError *error) {
    if (const auto refused = refuseUnlessAdmin(who)) {
        *error = *refused;
        return std::nullopt;
    }
    const auto check = rules::checkClusterCreate(body);
    if (!check.ok()) {
        *error = ApiError::validation(check.errors);
        return std::nullopt;
    }
    const QString provider = stringOr(check.normalized, "provider");
    ClusterProvider *deployer = m_providers.value(provider);
    if (!deployer) {
        *error = ApiError::validation(
            QStringLiteral("provider"),
            QStringLiteral("The provider \"%1\" is not available on this server.").arg(provider));
        return std::nullopt;
    }
    const QString name = stringOr(check.normalized, "name");
    if (m_store.countInOrg(who.org) >= m_settings.maxClustersPerOrg) {
        *error =
            ApiError::make(ErrorType::SubscriptionLimitReached,
                           QStringLiteral("Your subscription allows %1 clusters; delete one or "
                                          "upgrade to create more.")
                               .arg(m_settings.maxClustersPerOrg));
        return std::nullopt;
    }
    if (m_store.nameTaken(who.org, name)) {
        *error = ApiError::make(
            ErrorType::ClusterNameInUse,
            QStringLiteral("A cluster named \"%1\" already exists in your organisation.").arg(name),
            QStringLiteral("name"));
        return std::nullopt;
    }
    ClusterRecord c;
    c.id = QStringLiteral("clus") + QString::fromLatin1(crypto::randomBytes(4).toHex());
    c.org = who.org;
    c.name = name;
    c.provider = provider;
    c.state = QStringLiteral("preparing");
    c.connectionState = QStringLiteral("connecting");
    c.spec = check.normalized;
    // An existing Slurm has no agent to hand a secret to: it gets one only when given one.
    if (c.spec.contains("secret"))
        c.accessSecret = stringOr(c.spec, "secret");
    else if (provider != QLatin1String("slurm"))
        c.accessSecret = QString::fromLatin1(crypto::randomToken(24).left(32));
    c.spec.erase("secret");
    if (auto slurm = c.spec.find("slurm"); slurm != c.spec.end()) {
        // The slurmrestd token is a secret too: kept apart from the spec that GET returns.
        c.slurmToken = stringOr(*slurm, "token");
        slurm->erase("token");
    }
    c.createdBy = who.email;
    c.createdAt = c.updatedAt = nowMs();
    m_store.insert(c);
    m_events.append(c.id, QStringLiteral("cluster.created"), QStringLiteral("info"),
                    QStringLiteral("Cluster %1 created; deploying with the %2 provider.")
                        .arg(c.name, c.provider),
                    who.email, {{"state", "preparing"}});
    deployer->deploy(c);
    CreatedCluster out{viewOf(c), c.accessSecret, check.warnings};
    return out;
}

std::optional<ClusterRecord> ClusterService::findToChange(const Principal &who, const QString &id,
                                                          ApiError *error) {
    auto c = find(who, id, error);
    if (!c)
        return std::nullopt;
    // Looked up first: someone outside the organisation learns nothing, not even "forbidden".
    if (const auto refused = refuseUnlessAdmin(who)) {
        *error = *refused;
        return std::nullopt;
    }
    return c;
}

std::optional<ClusterRecord> ClusterService::find(const Principal &who, const QString &id,
                                                  ApiError *error) {
    auto c = m_store.byId(id);
    // Another organisation's cluster does not exist for this caller.
    if (!c || c->org != who.org) {
        *error = notFound(id);
        return std::nullopt;
    }
    return c;
}

QList<ClusterView> ClusterService::list(const Principal &who) {
    const QList<ClusterRecord> clusters = m_store.inOrg(who.org);
    QStringList ids;
    for (const auto &c : clusters)
        ids << c.id;
    // Three queries however many clusters the organisation has, and one more per cluster whose
    // scheduler does not report its nodes' use (the local ones).
    const auto nodes = m_nodes.forClusters(ids);
    const auto counts = m_jobs.stateCounts(ids);
    QList<ClusterView> out;
    for (const auto &c : clusters)
        out.append(viewOf(c, nodes.value(c.id), counts.value(c.id)));
    return out;
}

std::optional<ClusterView> ClusterService::view(const Principal &who, const QString &id,
                                                ApiError *error) {
    const auto c = find(who, id, error);
    return c ? std::optional<ClusterView>(viewOf(*c)) : std::nullopt;
}

std::optional<nlohmann::json> ClusterService::partitions(const Principal &who, const QString &id,
                                                         ApiError *error) {
    const auto c = find(who, id, error);
    if (!c)
        return std::nullopt;
    return filledPartitions(*c, allocated(*c, m_nodes.forCluster(c->id)));
}

ClusterView ClusterService::viewOf(const ClusterRecord &c) {
    return viewOf(c, m_nodes.forCluster(c.id), m_jobs.stateCounts({c.id}).value(c.id));
}

ClusterView ClusterService::viewOf(const ClusterRecord &c, const QList<NodeRecord> &nodes,
                                   const QHash<JobState, int> &jobCounts) const {
    ClusterView v;
    v.cluster = c;
    v.nodes = allocated(c, nodes);
    v.partitions = filledPartitions(c, v.nodes);
    v.jobsRunning = countOf(jobCounts, StateFilter::Running);
    v.jobsPending = countOf(jobCounts, StateFilter::Pending);
    return v;
}

std::optional<QList<NodeView>> ClusterService::nodeViews(const Principal &who, const QString &id,
                                                         ApiError *error) {
    const auto found = find(who, id, error);
    if (!found)
        return std::nullopt;
    return allocated(*found, m_nodes.forCluster(found->id));
}

QList<NodeView> ClusterService::allocated(const ClusterRecord &cluster,
                                          const QList<NodeRecord> &nodes) const {
    QList<NodeView> out;
    // Only nodes whose scheduler does not report their use (the local one) need the jobs.
    const bool counted = std::all_of(nodes.cbegin(), nodes.cend(),
                                     [](const NodeRecord &n) { return n.allocCpus.has_value(); });
    const QList<JobRecord> running =
        counted ? QList<JobRecord>()
                : m_jobs.withStates({JobState::Running, JobState::Completing}, cluster.id);
    const int partitions = int(cluster.spec.value("partitions", nlohmann::json::array()).size());
    for (const auto &n : nodes) {
        NodeView v{n, 0, 0, 0, partitions};
        if (n.allocCpus) {
            v.allocCpus = *n.allocCpus;
            v.allocMemoryMb = n.allocMemoryMb.value_or(0);
            v.allocGpus = n.allocGpus.value_or(0);
        } else {
            for (const auto &j : running) {
                if (j.nodeList == n.name) {
                    v.allocCpus += j.cpus();
                    v.allocMemoryMb += j.memoryMb;
                    v.allocGpus += j.gpus;
                }
            }
            if (n.state == QLatin1String("IDLE") && v.allocCpus > 0)
                v.node.state =
                    v.allocCpus >= n.cpus ? QStringLiteral("ALLOCATED") : QStringLiteral("MIXED");
        }
        out.append(v);
    }
    return out;
}

std::optional<ClusterView> ClusterService::update(const Principal &who, const QString &id,
                                                  const nlohmann::json &body, ApiError *error) {
    auto c = findToChange(who, id, error);
    if (!c)
        return std::nullopt;
    if (c->state == QLatin1String("deleting")) {
        *error =
            ApiError::make(ErrorType::Conflict, QStringLiteral("The cluster is being deleted."));
        return std::nullopt;
    }
    const auto check = rules::checkClusterUpdate(body, c->spec);
    if (!check.ok()) {
        *error = ApiError::validation(check.errors);
        return std::nullopt;
    }
    c->spec = check.normalized;
    c->updatedAt = nowMs();
    m_store.save(*c);
    m_events.append(c->id, QStringLiteral("cluster.updated"), QStringLiteral("info"),
                    QStringLiteral("Cluster %1 updated by %2.").arg(c->name, who.email), who.email,
                    {{"changes", body}});
    return viewOf(*c);
}

std::optional<ClusterView> ClusterService::remove(const Principal &who, const QString &id,
                                                  ApiError *error) {
    auto c = findToChange(who, id, error);
    if (!c)
        return std::nullopt;
    if (c->spec.value("deletion_protection", false)) {
        *error = ApiError::make(
            ErrorType::DeletionProtected,
            QStringLiteral("Cluster %1 has deletion protection; turn it off first.").arg(c->name),
            QStringLiteral("deletion_protection"));
        return std::nullopt;
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
    // The answer describes the cluster as it was when deletion began.
    ClusterView answer = viewOf(*c);
    finishDeletions();
    return answer;
}

std::optional<ClusterView> ClusterService::retry(const Principal &who, const QString &id,
                                                 ApiError *error) {
    auto c = findToChange(who, id, error);
    if (!c)
        return std::nullopt;
    if (c->state != QLatin1String("failed")) {
        *error = ApiError::make(
            ErrorType::Conflict,
            QStringLiteral("Cluster %1 is %2; only a failed cluster is deployed again.")
                .arg(c->name, c->state));
        return std::nullopt;
    }
    ClusterProvider *deployer = m_providers.value(c->provider);
    // Deploying again where the provider can never deploy would only fail the same way.
    const QString unavailable = deployer ? deployer->unavailableReason()
                                         : QStringLiteral("this server has no such provider.");
    if (!unavailable.isEmpty()) {
        *error = ApiError::make(ErrorType::Conflict,
                                QStringLiteral("Cluster %1 cannot be deployed again here: %2")
                                    .arg(c->name, unavailable));
        return std::nullopt;
    }
    setState(*c, QStringLiteral("preparing"), QStringLiteral("connecting"), QString());
    m_events.append(
        c->id, QStringLiteral("cluster.retrying"), QStringLiteral("info"),
        QStringLiteral("Cluster %1 is being deployed again by %2.").arg(c->name, who.email),
        who.email, {{"state", "preparing"}});
    deployer->deploy(*c);
    return viewOf(*c);
}

QList<ProviderAvailability> ClusterService::providers(const Principal &) const {
    QList<ProviderAvailability> out;
    for (auto it = m_providers.cbegin(); it != m_providers.cend(); ++it)
        out.append({it.key(), it.value()->unavailableReason()});
    std::sort(out.begin(), out.end(), [](const auto &a, const auto &b) { return a.name < b.name; });
    return out;
}

void ClusterService::finishDeletions() {
    for (const QString &id : m_store.idsInState(QStringLiteral("deleting"))) {
        if (m_scheduler && m_scheduler->activeJobs(id) > 0)
            continue;
        Database::Transaction tx(m_db);
        m_nodes.removeCluster(id);
        m_store.remove(id);
        m_jobs.removeCluster(id);
        tx.commit();
        m_events.append(id, QStringLiteral("cluster.deleted"), QStringLiteral("info"),
                        QStringLiteral("Cluster %1 deleted.").arg(id));
        Q_EMIT clusterRemoved(id);
    }
}

void ClusterService::onDeployed(const QString &clusterId, const QList<NodeRecord> &nodeList) {
    auto c = m_store.byId(clusterId);
    if (!c || c->state != QLatin1String("preparing"))
        return;
    m_nodes.replace(clusterId, nodeList);
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

void ClusterService::updateInventory(const QString &clusterId, const QList<NodeRecord> &nodeList,
                                     const nlohmann::json &partitions) {
    auto c = m_store.byId(clusterId);
    if (!c)
        return;
    m_nodes.replace(clusterId, nodeList);
    if (c->spec.value("partitions", nlohmann::json()) != partitions) {
        c->spec["partitions"] = partitions;
        c->updatedAt = nowMs();
        m_store.save(*c);
    }
}

void ClusterService::setConnection(const QString &clusterId, bool connected,
                                   const QString &reason) {
    auto c = m_store.byId(clusterId);
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
    auto c = m_store.byId(clusterId);
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
    m_store.save(c);
}

} // namespace clusterra::server
