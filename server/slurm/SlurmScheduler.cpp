#include "server/slurm/SlurmScheduler.h"

#include <pwd.h>

#include "core/base/Guard.h"
#include "core/util/Json.h"
#include "core/util/Time.h"
#include "server/clusters/ClusterService.h"
#include "server/slurm/SlurmJobRows.h"

#include <QElapsedTimer>
#include <QRegularExpression>

namespace clusterra::server {

namespace {
const QList<JobState> kActive{JobState::Pending, JobState::Running, JobState::Completing,
                              JobState::Suspended};

// Which field of the request a Slurm refusal is about, so the console can point at it.
QString fieldOfRefusal(const QString &message) {
    static const QRegularExpression unknownKey(QStringLiteral("Unknown key \"([^\"]+)\""));
    if (const auto m = unknownKey.match(message); m.hasMatch())
        return QStringLiteral("job.") + m.captured(1);
    const QString text = message.toLower();
    const std::pair<const char *, const char *> fields[] = {
        {"partition", "job.partition"},
        {"time limit", "job.time_limit"},
        {"account", "job.account"},
        {"qos", "job.qos"},
        {"memory", "job.memory_per_node"},
        {"environment", "job.environment"},
        {"working directory", "job.current_working_directory"},
        {"node", "job.nodes"},
    };
    for (const auto &[word, field] : fields) {
        if (text.contains(QLatin1String(word)))
            return QString::fromLatin1(field);
    }
    return QStringLiteral("job");
}

ApiError unreachable(const QString &cluster, const QString &problem, const QString &what) {
    return ApiError::make(
        ErrorType::ServiceUnavailable,
        QStringLiteral("Slurm of cluster %1 did not answer (%2); %3").arg(cluster, problem, what));
}

nlohmann::json partitionJson(const SlurmPartitionInfo &p) {
    return {{"name", toStd(p.name)},
            {"node_type", "slurm"},
            {"min_node_count", 0},
            {"max_node_count", p.totalNodes},
            {"is_default", p.isDefault},
            {"state", toStd(p.state)},
            {"total_nodes", p.totalNodes},
            {"total_cpus", p.totalCpus},
            {"max_time", p.maxTimeMinutes ? nlohmann::json(*p.maxTimeMinutes) : nlohmann::json()},
            {"default_time",
             p.defaultTimeMinutes ? nlohmann::json(*p.defaultTimeMinutes) : nlohmann::json()}};
}

// A queue listing may take one part in this many of the time between two.
constexpr qint64 kListingShare = 6;

// The scheduler's own timing runs on a clock that never steps back: a wall clock set back
// an hour must not stop the polls for an hour.
qint64 steadyMs() {
    static const QElapsedTimer clock = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return clock.elapsed();
}
} // namespace

struct SlurmScheduler::Connection {
    QString clusterId;
    QString clusterName;
    QString userName;
    bool perUser = true;
    QStringList versions; // to probe; one when the cluster names its version
    std::unique_ptr<SlurmRestClient> client;
    std::unique_ptr<SlurmDialect> dialect;
    QTimer timer;
    bool busy = false;
    // Slurm ids this server has a row for (loaded on the first poll); while a submit is in
    // flight its new id may already be in a listing, so nothing is adopted then.
    std::optional<QSet<qint64>> known;
    qint64 lastJobsPollMs = -1; // steadyMs(); -1: never
    bool pollSoon = false;      // a cancel was answered: list at the next tick
    // A listing of the whole queue costs slurmctld, slurmrestd and us in proportion to the
    // queue: a Slurm holding thousands of other users' jobs is listed less often, so that
    // listing takes at most a sixth of the time (the poll interval is the floor).
    qint64 jobsPollGapMs = 0;
    qint64 lastInventoryMs = -1; // steadyMs(); -1: never
    // A job started or ended: the nodes' allocation changed, read it again soon (not at once
    // for every change of a busy queue: at most every other poll).
    bool inventorySoon = false;
};

SlurmScheduler::SlurmScheduler(JobStore &jobs, ClusterService &clusters, SlurmSettings settings,
                               QObject *parent)
    : Scheduler(parent)
    , m_jobs(jobs)
    , m_clusters(clusters)
    , m_settings(settings) {
    connect(&m_clusters, &ClusterService::clusterRemoved, this,
            [this](const QString &id) { m_connections.erase(id); });
}

SlurmScheduler::~SlurmScheduler() = default;

QString SlurmScheduler::userFor(const Connection &c, const JobRecord &job) const {
    return c.perUser ? job.linuxUser : c.userName;
}

QString SlurmScheduler::slurmUserOf(const Connection &c, const JobRecord &job) const {
    return job.submittedOutside ? job.linuxUser : userFor(c, job);
}

// With per_user the token may act for anyone, so the name sent is the whole of who a request
// acts as: none would act as the token's own user, and a system account is nobody's identity.
ApiError SlurmScheduler::checkActingUser(const Connection &c, const JobRecord &job,
                                         const QString &user, const QString &outcome) const {
    if (!c.perUser)
        return ApiError();
    if (user.isEmpty())
        return ApiError::make(ErrorType::Forbidden,
                              QStringLiteral("No Linux account is set for %1, and jobs on %2 run "
                                             "as each user's own; %3. An administrator sets it.")
                                  .arg(job.userEmail, c.clusterName, outcome));
    const passwd *pw = ::getpwnam(user.toLocal8Bit().constData());
    if (user == QLatin1String("root") || (pw && qint64(pw->pw_uid) < m_settings.minUid))
        return ApiError::make(ErrorType::Forbidden,
                              QStringLiteral("The Linux account %1 of %2 is a system account (uid "
                                             "below %3), which Clusterra never acts as; %4.")
                                  .arg(user, job.userEmail)
                                  .arg(m_settings.minUid)
                                  .arg(outcome));
    return ApiError();
}

SlurmScheduler::Connection *SlurmScheduler::connection(const QString &clusterId) {
    const auto it = m_connections.find(clusterId);
    return it == m_connections.end() ? nullptr : it->second.get();
}

void SlurmScheduler::connectCluster(const ClusterRecord &cluster, Connected done) {
    const nlohmann::json slurm = cluster.spec.value("slurm", nlohmann::json::object());
    auto c = std::make_unique<Connection>();
    c->clusterId = cluster.id;
    c->clusterName = cluster.name;
    c->userName = stringOr(slurm, "user_name");
    c->perUser =
        stringOr(slurm, "user_mapping", QStringLiteral("per_user")) != QLatin1String("shared");
    const QString version = stringOr(slurm, "api_version", QStringLiteral("auto"));
    c->versions =
        version == QLatin1String("auto") ? SlurmDialect::knownVersions() : QStringList{version};
    c->client = std::make_unique<SlurmRestClient>(m_nam, QUrl(stringOr(slurm, "rest_url")),
                                                  cluster.slurmToken);
    Connection *raw = c.get();
    raw->timer.setInterval(m_settings.pollMs);
    connect(&raw->timer, &QTimer::timeout, this,
            [this, raw] { runGuarded("Slurm poll", [&] { tick(raw); }); });
    m_connections[cluster.id] = std::move(c);
    raw->busy = true;
    probe(raw, raw->versions,
          [this, raw, done](const QString &problem, const QList<NodeRecord> &n) {
              raw->busy = false;
              if (problem.isEmpty() || !done) {
                  raw->timer.start(); // a registered cluster keeps trying until Slurm is back
                  if (!problem.isEmpty())
                      lost(raw, problem);
              } else {
                  // A registration that failed is not kept; drop it outside this reply's handler.
                  QTimer::singleShot(0, this, [this, raw] {
                      const auto it = m_connections.find(raw->clusterId);
                      if (it != m_connections.end() && it->second.get() == raw)
                          m_connections.erase(it);
                  });
              }
              if (done)
                  done(problem, n);
          });
}

void SlurmScheduler::probe(Connection *c, QStringList versions, Connected done) {
    if (versions.isEmpty()) {
        done(QStringLiteral("slurmrestd at %1 speaks none of the API versions this server knows "
                            "(%2)")
                 .arg(c->client->base().toString(), SlurmDialect::knownVersions().join(u", ")),
             {});
        return;
    }
    const QString version = versions.takeFirst();
    c->client->get(QStringLiteral("/slurm/%1/ping").arg(version), c->userName,
                   [this, c, version, versions, done](const SlurmReply &reply) {
                       if (reply.status == 404 && versions.size() > 0)
                           return probe(c, versions, done);
                       if (!reply.ok())
                           return done(reply.problem(), {});
                       c->dialect = SlurmDialect::forVersion(version);
                       if (!c->perUser)
                           return refreshInventory(c, done);
                       checkActsForOthers(c, version, done);
                   });
}

// per_user sends each submitter's name with the cluster's token, which slurmrestd allows only
// for root's or SlurmUser's token. Asking once as an account every system has tells a token
// that cannot at registration, instead of an opaque refusal on every later submit.
void SlurmScheduler::checkActsForOthers(Connection *c, const QString &version, Connected done) {
    static const QString probeUser = QStringLiteral("nobody");
    c->client->get(QStringLiteral("/slurm/%1/ping").arg(version), probeUser,
                   [this, c, done](const SlurmReply &reply) {
                       if (!reply.reachable())
                           return done(reply.problem(), {});
                       if (!reply.ok())
                           return done(
                               QStringLiteral("slurm.user_mapping: per_user needs a token that may "
                                              "act for other users (root's or SlurmUser's); "
                                              "slurmrestd refused this one when asked to act for "
                                              "%1 (%2). Use such a token, or user_mapping "
                                              "\"shared\".")
                                   .arg(probeUser, reply.problem()),
                               {});
                       refreshInventory(c, done);
                   });
}

void SlurmScheduler::refreshInventory(Connection *c, Connected done) {
    c->lastInventoryMs = steadyMs();
    c->client->get(c->dialect->path(QStringLiteral("/partitions")), c->userName,
                   [this, c, done](const SlurmReply &partitions) {
                       if (!partitions.ok())
                           return done(partitions.problem(), {});
                       c->client->get(c->dialect->path(QStringLiteral("/nodes")), c->userName,
                                      [this, c, done, partitions](const SlurmReply &nodes) {
                                          if (!nodes.ok())
                                              return done(nodes.problem(), {});
                                          QList<NodeRecord> records;
                                          for (const auto &n : SlurmDialect::nodes(nodes.body)) {
                                              NodeRecord r;
                                              r.name = n.name;
                                              r.cpus = n.cpus;
                                              r.memoryMb = n.memoryMb;
                                              r.gpus = n.gpus;
                                              r.nodeType = QStringLiteral("slurm");
                                              r.state = n.state;
                                              r.allocCpus = n.allocCpus;
                                              r.allocMemoryMb = n.allocMemoryMb;
                                              r.allocGpus = n.allocGpus;
                                              r.partitions = n.partitions;
                                              r.reason = n.reason;
                                              records.append(r);
                                          }
                                          auto parts = nlohmann::json::array();
                                          for (const auto &p :
                                               SlurmDialect::partitions(partitions.body))
                                              parts.push_back(partitionJson(p));
                                          m_clusters.updateInventory(c->clusterId, records, parts);
                                          m_clusters.setConnection(c->clusterId, true, QString());
                                          done(QString(), records);
                                      });
                   });
}

void SlurmScheduler::lost(Connection *c, const QString &problem) {
    c->dialect.reset(); // probe again: slurmrestd may come back as another version
    c->jobsPollGapMs = 0;
    m_clusters.setConnection(c->clusterId, false, problem);
}

void SlurmScheduler::tick(Connection *c) {
    if (c->busy)
        return;
    const qint64 now = steadyMs();
    if (!c->dialect) {
        c->busy = true;
        probe(c, c->versions, [this, c](const QString &problem, const QList<NodeRecord> &) {
            c->busy = false;
            if (!problem.isEmpty())
                lost(c, problem);
        });
        return;
    }
    if (c->lastInventoryMs < 0 || now - c->lastInventoryMs >= m_settings.inventoryMs ||
        (c->inventorySoon && now - c->lastInventoryMs >= 2 * qint64(m_settings.pollMs))) {
        c->inventorySoon = false;
        c->busy = true;
        refreshInventory(c, [this, c](const QString &problem, const QList<NodeRecord> &) {
            c->busy = false;
            if (!problem.isEmpty())
                lost(c, problem);
        });
        return;
    }
    const qint64 since = c->lastJobsPollMs < 0 ? m_settings.inventoryMs : now - c->lastJobsPollMs;
    if (since >= m_settings.inventoryMs || c->pollSoon ||
        (since >= c->jobsPollGapMs && activeJobs(c->clusterId) > 0))
        pollJobs(c);
}

void SlurmScheduler::pollJobs(Connection *c) {
    c->busy = true;
    const qint64 askedAt = nowMs(); // compared with submit times, which are wall clock
    const qint64 started = steadyMs();
    c->lastJobsPollMs = started;
    c->pollSoon = false;
    c->client->get(c->dialect->path(QStringLiteral("/jobs")), c->userName,
                   [this, c, askedAt, started](const SlurmReply &reply) {
                       c->busy = false;
                       if (!reply.ok())
                           return lost(c, reply.problem());
                       m_clusters.setConnection(c->clusterId, true, QString());
                       applyJobs(c, reply, askedAt);
                       // Never longer than the idle poll: a slow listing slows the polls,
                       // it does not stop them.
                       c->jobsPollGapMs = qMin<qint64>(m_settings.inventoryMs,
                                                       kListingShare * (steadyMs() - started));
                   });
}

// Whether a job in Slurm's listing needs a row of its own. A job Slurm requeued keeps its
// ended row, which goes back among the active ones (`activeIds`, `active`).
bool SlurmScheduler::needsRow(Connection *c, const SlurmJobInfo &info, QSet<qint64> &activeIds,
                              QList<JobRecord> &active) {
    if (info.jobId <= 0)
        return false;
    if (!c->known->contains(info.jobId))
        return true;
    if (isFinished(info.state) || activeIds.contains(info.jobId))
        return false;
    // Queued or running in Slurm while every row with its id has ended: Slurm requeued
    // that job (same name, same Slurm user; its row goes on), or handed the id out again
    // after its counter was reset or wrapped (another job, which gets a row of its own).
    auto last = m_jobs.byPublicId(c->clusterId, info.jobId);
    if (!last || last->name != info.name || slurmUserOf(*c, *last) != info.userName)
        return true;
    activeIds.insert(info.jobId);
    active.append(*last);
    return false;
}

void SlurmScheduler::applyJobs(Connection *c, const SlurmReply &reply, qint64 askedAtMs) {
    QHash<qint64, SlurmJobInfo> bySlurmId;
    for (const auto &info : SlurmDialect::jobs(reply.body))
        bySlurmId.insert(info.jobId, info);
    QList<JobRecord> active = m_jobs.withStates(kActive, c->clusterId);
    QSet<qint64> activeIds;
    for (const JobRecord &job : std::as_const(active))
        if (job.schedulerJobId)
            activeIds.insert(*job.schedulerJobId);
    // The whole queue, as squeue shows it: jobs submitted with sbatch appear too, and each
    // task of an array once Slurm starts it under its own id.
    if (!c->known)
        c->known = m_jobs.schedulerIds(c->clusterId);
    const auto isSplitTask = [](const SlurmJobInfo &info) {
        return info.arrayJobId && *info.arrayJobId != info.jobId;
    };
    if (m_submitting.value(c->clusterId) == 0) {
        // One transaction: a big queue seen for the first time is one commit, not thousands.
        auto tx = m_jobs.transaction();
        // Arrays' own records first, so a task finds the row of the array it belongs to.
        for (const bool tasks : {false, true}) {
            for (const SlurmJobInfo &info : std::as_const(bySlurmId)) {
                if (isSplitTask(info) != tasks || !needsRow(c, info, activeIds, active))
                    continue;
                if (!(tasks && addArrayTask(c, info)) && !isFinished(info.state))
                    adopt(c, info);
                // A new row already running (an array task, a job from sbatch) holds CPUs too.
                if (stateFilterOf(info.state) == StateFilter::Running)
                    c->inventorySoon = true;
            }
        }
        tx.commit();
    }
    for (JobRecord &job : active) {
        if (!job.schedulerJobId)
            continue;
        const auto it = bySlurmId.constFind(*job.schedulerJobId);
        if (it != bySlurmId.constEnd() && update(*c, job, *it))
            c->inventorySoon = true;
        else if (job.submitTime < askedAtMs)
            confirmGone(c, job.jobId); // or it was accepted after the listing was taken
    }
}

// A task split off an array this server has a row for becomes a row of the array's owner,
// finished or not (a short task may start and end between two polls).
bool SlurmScheduler::addArrayTask(Connection *c, const SlurmJobInfo &info) {
    if (!info.arrayTaskId || !c->known->contains(*info.arrayJobId))
        return false;
    const auto array = m_jobs.byPublicId(c->clusterId, *info.arrayJobId);
    if (!array)
        return false;
    JobRecord task = arrayTaskRow(*array, info, slurmUserOf(*c, *array));
    m_jobs.insert(task);
    c->known->insert(info.jobId);
    const JobState from = task.state;
    if (applySlurmInfo(task, info))
        m_jobs.transition(task, from);
    return true;
}

void SlurmScheduler::adopt(Connection *c, const SlurmJobInfo &info) {
    c->known->insert(info.jobId);
    JobRecord job = outsideJobRow(c->clusterId, info);
    if (const auto owner = m_accountOwner && !info.userName.isEmpty()
                               ? m_accountOwner(info.userName)
                               : std::nullopt) {
        job.userId = owner->userId;
        job.userEmail = owner->email;
        job.uid = owner->uid;
    }
    m_jobs.insert(job);
}

bool SlurmScheduler::update(const Connection &c, JobRecord &job, const SlurmJobInfo &info) {
    const JobState from = job.state;
    const bool wasArray = job.arrayJobId && !job.arrayTaskId;
    if (!applySlurmInfo(job, info))
        return false;
    if (wasArray && job.arrayTaskId) {
        // The array's own row is its last task now: that task's output is this row's.
        const QString asked = stringOr(job.request, "standard_output");
        placeTaskOutput(job, asked.isEmpty() ? info.standardOutput : asked, slurmUserOf(c, job));
        m_jobs.saveSubmitDetails(job);
    }
    m_jobs.transition(job, from);
    if (isFinished(job.state))
        m_clusters.finishDeletions();
    return job.state != from;
}

void SlurmScheduler::confirmGone(Connection *c, qint64 jobId) {
    const auto job = m_jobs.get(jobId);
    if (!job || !job->schedulerJobId)
        return;
    c->client->get(c->dialect->path(QStringLiteral("/job/%1").arg(*job->schedulerJobId)),
                   c->userName, [this, jobId](const SlurmReply &reply) {
                       if (!reply.reachable() || !SlurmDialect::isUnknownJob(reply.body))
                           return;
                       auto job = m_jobs.get(jobId);
                       if (!job || isFinished(job->state))
                           return;
                       const JobState from = job->state;
                       job->state = JobState::Unknown;
                       job->reason = QStringLiteral(
                           "Slurm forgot the job (MinJobAge) before its end was seen");
                       job->endTime = nowMs();
                       m_jobs.transition(*job, from);
                       m_clusters.finishDeletions();
                   });
}

std::optional<ApiError> SlurmScheduler::admit(const ClusterRecord &, const QList<NodeRecord> &,
                                              const JobRequest &) {
    return std::nullopt; // Slurm itself decides what fits, and says so when asked to submit
}

void SlurmScheduler::submit(const ClusterRecord &cluster, const JobRequest &request,
                            const JobRecord &base, SubmitDone done) {
    Connection *c = connection(cluster.id);
    if (!c || !c->dialect)
        return done({{},
                     unreachable(cluster.name, cluster.stateReason,
                                 QStringLiteral("nothing was submitted; try again."))});
    nlohmann::json job = request.job;
    if (!job.contains("comment")) // who submitted it, for squeue, whatever name it runs under
        job["comment"] = toStd(QStringLiteral("clusterra:") + base.userEmail);
    const SlurmSubmitBody body = c->dialect->submitBody(job);
    if (!body.errors.isEmpty())
        return done({{}, ApiError::validation(body.errors)});
    const QString user = userFor(*c, base);
    if (ApiError refused = checkActingUser(*c, base, user, QStringLiteral("nothing was submitted"));
        refused.isError())
        return done({{}, refused});
    ++m_submitting[cluster.id];
    c->client->post(
        c->dialect->path(QStringLiteral("/job/submit")), user, body.body,
        [this, c, request, base, user, done](const SlurmReply &reply) {
            --m_submitting[base.clusterId];
            if (!reply.reachable())
                return done({{},
                             unreachable(c->clusterName, reply.problem(),
                                         QStringLiteral("nothing was submitted."))});
            const auto slurmId = SlurmDialect::submittedJobId(reply.body);
            if (!slurmId || reply.status != 200) {
                const QString problem = reply.problem();
                return done({{},
                             ApiError::validation(
                                 fieldOfRefusal(problem),
                                 QStringLiteral("Slurm refused the job: %1").arg(problem))});
            }
            JobRecord job = base;
            job.schedulerJobId = slurmId;
            if (!request.arrayTaskIds.isEmpty()) {
                // The array's own row, as Slurm keeps one: the pending tasks (Slurm's own
                // spelling from the first poll on); each task gets a row when it starts.
                job.arrayJobId = slurmId;
                job.arrayPendingTasks = stringOr(request.job, "array");
            } else {
                job.outputPath = slurmOutputPath(request.workingDirectory, request.standardOutput,
                                                 {*slurmId, request.name, user, {}, {}, QString()});
                // What the file holds now is an earlier run's until Slurm truncates it.
                job.outputOrigin =
                    markOutput(identifyPath(job.outputPath), request.appendOutput, job.submitTime);
            }
            m_jobs.insert(job);
            if (c->known)
                c->known->insert(*slurmId);
            done({{job.publicId()}, ApiError()});
            // The row is there already (PENDING, as Slurm has it); what Slurm does next comes
            // with the next regular poll. A listing of the whole queue after every submit
            // cost more than the submits: four times the server's CPU per submit, and
            // slurmrestd's and slurmctld's time to list the queue while taking submits.
        });
}

void SlurmScheduler::cancel(const JobRecord &job, const QString &, CancelDone done) {
    Connection *c = connection(job.clusterId);
    if (!job.schedulerJobId) {
        if (done)
            done(ApiError());
        return;
    }
    if (!c || !c->dialect) {
        if (done)
            done(unreachable(job.clusterId, QStringLiteral("not connected"),
                             QStringLiteral("the job was not cancelled; try again.")));
        return;
    }
    const QString user = userFor(*c, job);
    if (ApiError refused =
            checkActingUser(*c, job, user, QStringLiteral("the job was not cancelled"));
        refused.isError()) {
        if (done)
            done(refused);
        return;
    }
    c->client->remove(
        c->dialect->path(QStringLiteral("/job/%1").arg(*job.schedulerJobId)), user,
        [this, c, done](const SlurmReply &reply) {
            ApiError error;
            if (!reply.reachable())
                error = unreachable(c->clusterName, reply.problem(),
                                    QStringLiteral("the job was not cancelled; try again."));
            else if (!reply.ok() && !SlurmDialect::isUnknownJob(reply.body))
                error = ApiError::make(
                    ErrorType::Conflict,
                    QStringLiteral("Slurm did not cancel the job: %1").arg(reply.problem()));
            if (done)
                done(error);
            // Seen at the next tick: a hundred cancels at once are one listing, not a hundred,
            // and a connection lost meanwhile is probed first.
            c->pollSoon = true;
        });
}

std::optional<qint64> SlurmScheduler::outputOwner(const JobRecord &job) const {
    const auto it = m_connections.find(job.clusterId);
    if (it == m_connections.end())
        return qint64(-1);
    // A job from outside writes as its own Slurm user, whatever the cluster's mapping.
    const QString user = slurmUserOf(*it->second, job);
    const passwd *pw = user.isEmpty() ? nullptr : ::getpwnam(user.toLocal8Bit().constData());
    return pw ? qint64(pw->pw_uid) : qint64(-1);
}

int SlurmScheduler::activeJobs(const QString &clusterId) {
    return m_jobs.countInStates(clusterId, kActive);
}

void SlurmScheduler::resume() {
    for (const ClusterRecord &c : m_clusters.withProvider(QStringLiteral("slurm"))) {
        if (c.state == QLatin1String("ready") || c.state == QLatin1String("deleting"))
            connectCluster(c, {});
    }
}

SlurmProvider::SlurmProvider(SlurmScheduler &scheduler, QObject *parent)
    : ClusterProvider(parent)
    , m_scheduler(scheduler) {}

void SlurmProvider::deploy(const ClusterRecord &cluster) {
    const QString id = cluster.id;
    m_scheduler.connectCluster(cluster,
                               [this, id](const QString &problem, const QList<NodeRecord> &nodes) {
                                   if (problem.isEmpty())
                                       Q_EMIT deployed(id, nodes);
                                   else
                                       Q_EMIT deployFailed(id, problem);
                               });
}

} // namespace clusterra::server
