#include "server/jobs/LocalExecutor.h"

#include "core/base/Guard.h"
#include "core/slurm/OutputPattern.h"
#include "core/util/Json.h"
#include "core/util/Time.h"
#include "server/clusters/ClusterService.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSaveFile>
#include <cerrno>
#include <csignal>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace clusterra::server {

namespace {
bool processAlive(qint64 pid) {
    return pid > 0 && (::kill(pid_t(pid), 0) == 0 || errno == EPERM);
}

const QList<JobState> kActive{JobState::Pending, JobState::Running, JobState::Completing};
} // namespace

LocalExecutor::LocalExecutor(JobStore &jobs, ClusterService &clusters, ExecutorSettings settings,
                             QObject *parent)
    : Scheduler(parent)
    , m_jobs(jobs)
    , m_clusters(clusters)
    , m_settings(std::move(settings)) {
    m_timer.setInterval(m_settings.pollMs);
    connect(&m_timer, &QTimer::timeout, this,
            [this] { runGuarded("local executor tick", [this] { tick(); }); });
}

QString LocalExecutor::jobDir(qint64 jobId) const {
    return QDir(m_settings.dataDir).filePath(QStringLiteral("jobs/%1").arg(jobId));
}

std::optional<ApiError> LocalExecutor::admit(const ClusterRecord &cluster,
                                             const QList<NodeRecord> &nodes,
                                             const JobRequest &request) {
    const QString partition =
        request.partition.isEmpty() ? cluster.defaultPartition() : request.partition;
    if (!cluster.partition(partition)) {
        QStringList names;
        for (const auto &p : cluster.spec.value("partitions", nlohmann::json::array()))
            names << toQ(p.value("name", std::string()));
        return ApiError::validation(
            QStringLiteral("job.partition"),
            QStringLiteral("Cluster %1 has no partition \"%2\"; it has: %3.")
                .arg(cluster.name, partition, names.join(QStringLiteral(", "))));
    }
    const int nodeCount = int(nodes.size());
    if (request.nodesMin > nodeCount)
        return ApiError::validation(QStringLiteral("job.nodes"),
                                    QStringLiteral("asks for %1 nodes; cluster %2 has %3.")
                                        .arg(request.nodesMin)
                                        .arg(cluster.name)
                                        .arg(nodeCount));
    for (const auto &n : nodes) {
        const qint64 memory = request.memoryPerNodeNeededMb(n.memoryMb);
        if (request.totalCpus() <= n.cpus && memory <= n.memoryMb &&
            qMax(request.gpusPerNode, request.gpusPerJob) <= n.gpus)
            return std::nullopt;
    }
    const NodeRecord biggest = nodes.isEmpty() ? NodeRecord{} : nodes.first();
    if (request.gpusPerNode > biggest.gpus || request.gpusPerJob > biggest.gpus)
        return ApiError::validation(
            request.gpusPerNode ? QStringLiteral("job.tres_per_node")
                                : QStringLiteral("job.tres_per_job"),
            QStringLiteral("asks for GPUs; the nodes of cluster %1 have %2.")
                .arg(cluster.name)
                .arg(biggest.gpus));
    if (request.totalCpus() > biggest.cpus)
        return ApiError::validation(
            QStringLiteral("job.cpus_per_task"),
            QStringLiteral("the job needs %1 CPUs (tasks × cpus_per_task) on one "
                           "node; the largest node has %2.")
                .arg(request.totalCpus())
                .arg(biggest.cpus));
    return ApiError::validation(
        request.memoryPerNodeMb ? QStringLiteral("job.memory_per_node")
                                : QStringLiteral("job.memory_per_cpu"),
        QStringLiteral("the job needs %1 MB of memory on one node; the largest "
                       "node has %2 MB.")
            .arg(request.memoryPerNodeNeededMb(biggest.memoryMb))
            .arg(biggest.memoryMb));
}

JobAreas LocalExecutor::areasFor(qint64 uid) const {
    const QString home = m_settings.perUserAccounts
                             ? QDir(m_settings.homesDir).filePath(QString::number(uid))
                             : QDir(m_settings.dataDir).filePath(QStringLiteral("efs"));
    return JobAreas(home, m_settings.scratchDirs, m_settings.dataDir);
}

std::optional<qint64> LocalExecutor::outputOwner(const JobRecord &job) const {
    return m_settings.perUserAccounts ? job.uid : qint64(::geteuid());
}

namespace {
// Relative paths live in the job's working directory, as in Slurm; when that directory does
// not exist here the job runs in its home instead (see JobRunner).
QString baseFor(const JobRecord &job, const JobAreas &areas) {
    return QFileInfo(job.workDir).isDir() ? job.workDir : areas.home();
}

QString expanded(const QString &pattern, const JobRecord &job) {
    return expandOutputPattern(
        pattern, {job.jobId, job.name, job.userEmail, job.arrayJobId, job.arrayTaskId, QString()});
}
} // namespace

QString LocalExecutor::resolvedPath(const QString &pattern, const JobRecord &job) const {
    const JobAreas areas = areasFor(job.uid);
    QString why;
    return areas.resolve(expanded(pattern, job), baseFor(job, areas), &why).value_or(QString());
}

QString LocalExecutor::outputPathFor(const JobRecord &job, const JobRequest &request) const {
    if (request.standardOutput.isEmpty())
        return QDir(areasFor(job.uid).home()).filePath(QStringLiteral("job_%1.out").arg(job.jobId));
    return resolvedPath(request.standardOutput, job);
}

std::optional<ApiError> LocalExecutor::checkPaths(const JobRequest &request,
                                                  const JobRecord &base) const {
    if (m_settings.perUserAccounts && ::geteuid() != 0)
        return ApiError::make(
            ErrorType::ServiceUnavailable,
            QStringLiteral("This server signs people in through OpenID and runs each job as its "
                           "owner's own account, which needs root; it runs as uid %1, so it "
                           "cannot run jobs on this machine. Start it as root, or register a "
                           "Slurm cluster.")
                .arg(::geteuid()));
    const JobAreas areas = areasFor(base.uid);
    // Array tasks differ only in numbers (%j, %A, %a), which cannot add folders: one check of
    // the pattern with this job's name and user holds for every task.
    JobRecord sample = base;
    sample.jobId = 1;
    for (const auto &[field, pattern] : {std::pair{"job.standard_output", request.standardOutput},
                                         std::pair{"job.standard_error", request.standardError}}) {
        QString why;
        if (!pattern.isEmpty() &&
            !areas.resolve(expanded(pattern, sample), baseFor(base, areas), &why))
            return ApiError::validation(QString::fromLatin1(field), why);
    }
    return std::nullopt;
}

bool LocalExecutor::prepareHome(const JobRecord &job) const {
    const QString home = areasFor(job.uid).home();
    if (!m_settings.perUserAccounts)
        return QDir().mkpath(home);
    QDir().mkpath(m_settings.homesDir);
    // Others may pass through the homes folder but not list it.
    ::chmod(QFile::encodeName(m_settings.homesDir).constData(), 0711);
    const QByteArray path = QFile::encodeName(home);
    if (::mkdir(path.constData(), 0700) != 0 && errno != EEXIST)
        return false;
    struct stat st {};
    if (::lstat(path.constData(), &st) != 0 || !S_ISDIR(st.st_mode))
        return false;
    return ::chown(path.constData(), uid_t(job.uid), gid_t(job.uid)) == 0;
}

void LocalExecutor::submit(const ClusterRecord &, const JobRequest &request, const JobRecord &base,
                           SubmitDone done) {
    // An array becomes one row per task; the first task's id is the array's id (as in Slurm).
    const QList<int> tasks = request.arrayTaskIds.isEmpty() ? QList<int>{-1} : request.arrayTaskIds;
    SubmitOutcome outcome;
    if (const auto refused = checkPaths(request, base)) {
        outcome.error = *refused;
        done(outcome);
        return;
    }
    // Behind a queue head that cannot start, a job of no higher priority cannot start either,
    // and nothing else changed: it waits with reason Priority and the queue is not read.
    const auto blocker = m_blocked.constFind(base.clusterId);
    const bool behind = blocker != m_blocked.cend() && base.priority <= blocker->priority;
    std::optional<qint64> arrayId;
    auto tx = m_jobs.transaction();
    for (int task : tasks) {
        JobRecord job = base;
        if (behind)
            job.reason = QStringLiteral("Priority");
        m_jobs.insert(job);
        if (task >= 0) {
            arrayId = arrayId.value_or(job.jobId);
            job.arrayJobId = arrayId;
            job.arrayTaskId = task;
        }
        job.outputPath = outputPathFor(job, request);
        job.outputOrigin =
            markOutput(identifyPath(job.outputPath), request.appendOutput, job.submitTime);
        m_jobs.saveSubmitDetails(job);
        outcome.jobIds.append(job.jobId);
    }
    tx.commit();
    if (!behind) {
        m_scheduleNeeded = true;
        QTimer::singleShot(0, this,
                           [this] { runGuarded("local executor tick", [this] { tick(); }); });
    }
    done(outcome);
}

int LocalExecutor::activeJobs(const QString &clusterId) {
    return m_jobs.countInStates(clusterId, kActive);
}

void LocalExecutor::resume() {
    needSchedule();
    tick();
    m_timer.start();
}

void LocalExecutor::cancel(const JobRecord &job, const QString &actor, CancelDone done) {
    cancelNow(job.jobId, actor);
    if (done)
        done(ApiError());
}

void LocalExecutor::cancelNow(qint64 jobId, const QString &actor) {
    auto job = m_jobs.get(jobId);
    if (!job || isFinished(job->state))
        return;
    const JobState from = job->state;
    if (job->state == JobState::Pending) {
        job->state = JobState::Cancelled;
        job->reason = QStringLiteral("Cancelled by %1").arg(actor);
        job->endTime = nowMs();
        m_jobs.transition(*job, from, actor);
        needSchedule();
        m_clusters.finishDeletions();
        return;
    }
    if (job->cancelRequestedAt)
        return;
    job->cancelRequestedAt = nowMs();
    job->killDeadline = nowMs() + m_settings.killGraceMs;
    job->reason = QStringLiteral("Cancelled by %1").arg(actor);
    m_jobs.save(*job);
    signalJob(*job, SIGTERM);
}

void LocalExecutor::signalJob(const JobRecord &job, int signal) {
    if (job.jobPid && *job.jobPid > 1)
        ::kill(-pid_t(*job.jobPid), signal); // the job's whole process group
}

void LocalExecutor::needSchedule() {
    m_scheduleNeeded = true;
    m_blocked.clear();
}

bool LocalExecutor::runs(const ClusterRecord &cluster) {
    return cluster.provider == QLatin1String("local");
}

bool LocalExecutor::runsCluster(const QString &clusterId) {
    const auto cluster = m_clusters.byId(clusterId);
    return cluster && runs(*cluster);
}

void LocalExecutor::tick() {
    QHash<QString, bool> ours;
    for (JobRecord &job : m_jobs.withStates({JobState::Running, JobState::Completing})) {
        auto known = ours.constFind(job.clusterId);
        if (known == ours.cend())
            known = ours.insert(job.clusterId, runsCluster(job.clusterId));
        if (*known)
            watch(job);
    }
    // A change this executor does not see (a cluster scaled, a priority edited) is taken up
    // within a few seconds; a pass over a blocked queue reads only its head.
    if (!m_sinceSchedule.isValid() || m_sinceSchedule.elapsed() > 3000)
        needSchedule();
    if (m_scheduleNeeded)
        schedule();
}

void LocalExecutor::watch(JobRecord &job) {
    const QString dir = jobDir(job.jobId);
    if (!job.jobPid) {
        QFile pidFile(dir + QStringLiteral("/pid"));
        if (pidFile.open(QIODevice::ReadOnly)) {
            job.jobPid = pidFile.readAll().trimmed().toLongLong();
            m_jobs.save(job);
            if (job.cancelRequestedAt)
                signalJob(job, SIGTERM);
        }
    }
    QFile status(dir + QStringLiteral("/status.json"));
    if (status.open(QIODevice::ReadOnly)) {
        const auto s = parseJson(status.readAll());
        finish(job, s.value("wait_status", 0));
        return;
    }
    if (job.runnerPid && !processAlive(*job.runnerPid) && !QFile::exists(status.fileName())) {
        // The runner vanished without a status (the machine rebooted, or it was killed).
        const JobState from = job.state;
        job.state = JobState::NodeFail;
        job.reason = QStringLiteral("The job's runner ended without reporting an exit status");
        job.endTime = nowMs();
        m_jobs.transition(job, from);
        needSchedule();
        return;
    }
    const qint64 now = nowMs();
    if (job.killDeadline) {
        if (now >= *job.killDeadline) {
            signalJob(job, SIGKILL);
            job.killDeadline = now + m_settings.killGraceMs; // keep trying until it is gone
            m_jobs.save(job);
        }
        return;
    }
    if (job.timeLimitMin && job.startTime && now > *job.startTime + *job.timeLimitMin * 60000) {
        job.reason = QStringLiteral("TimeLimit");
        job.killDeadline = now + m_settings.killGraceMs;
        m_jobs.save(job);
        signalJob(job, SIGTERM);
    }
}

void LocalExecutor::finish(JobRecord &job, int waitStatus) {
    const JobState from = job.state;
    job.endTime = nowMs();
    job.exitCode =
        WIFEXITED(waitStatus) ? std::optional<int>(WEXITSTATUS(waitStatus)) : std::nullopt;
    job.exitSignal =
        WIFSIGNALED(waitStatus) ? std::optional<int>(WTERMSIG(waitStatus)) : std::nullopt;
    if (job.cancelRequestedAt) {
        job.state = JobState::Cancelled;
    } else if (job.reason == QLatin1String("TimeLimit")) {
        job.state = JobState::Timeout;
    } else if (job.exitCode == 0) {
        job.state = JobState::Completed;
        job.reason = QStringLiteral("None");
    } else {
        job.state = JobState::Failed;
        job.reason = job.exitSignal ? QStringLiteral("RaisedSignal:%1").arg(*job.exitSignal)
                                    : QStringLiteral("NonZeroExitCode");
    }
    job.killDeadline.reset();
    m_jobs.transition(job, from);
    needSchedule();
    m_clusters.finishDeletions();
}

void LocalExecutor::schedule() {
    m_scheduleNeeded = false;
    m_sinceSchedule.start();
    for (const QString &id : m_jobs.clustersWithState(JobState::Pending)) {
        const auto cluster = m_clusters.byId(id);
        if (cluster && runs(*cluster) && cluster->state == QLatin1String("ready"))
            scheduleCluster(*cluster);
    }
}

void LocalExecutor::scheduleCluster(const ClusterRecord &cluster) {
    const QList<NodeRecord> nodes = m_clusters.nodes(cluster.id);
    QHash<QString, int> freeCpus;
    QHash<QString, qint64> freeMemory;
    for (const auto &n : nodes) {
        freeCpus[n.name] = n.cpus;
        freeMemory[n.name] = n.memoryMb;
    }
    QHash<qint64, int> runningPerArray;
    for (const auto &j : m_jobs.withStates({JobState::Running, JobState::Completing}, cluster.id)) {
        freeCpus[j.nodeList] -= j.cpus();
        freeMemory[j.nodeList] -= j.memoryMb;
        if (j.arrayJobId)
            ++runningPerArray[*j.arrayJobId];
    }
    // Decide while reading the queue, act once it is closed: launching changes the rows the
    // read walks.
    QList<std::pair<qint64, const NodeRecord *>> starts;
    QList<std::pair<qint64, QString>> reasons;
    std::optional<QueuedJob> head;
    m_jobs.forEachQueued(cluster.id, [&](const QueuedJob &job) {
        if (job.arrayJobId && job.arrayMaxConcurrent > 0 &&
            runningPerArray.value(*job.arrayJobId) >= job.arrayMaxConcurrent) {
            if (job.reason != QLatin1String("JobArrayTaskLimit"))
                reasons.append({job.jobId, QStringLiteral("JobArrayTaskLimit")});
            return true;
        }
        for (const auto &n : nodes) {
            if (job.cpus <= freeCpus[n.name] && job.memoryMb <= freeMemory[n.name]) {
                starts.append({job.jobId, &n});
                freeCpus[n.name] -= job.cpus;
                freeMemory[n.name] -= job.memoryMb;
                if (job.arrayJobId)
                    ++runningPerArray[*job.arrayJobId];
                return true;
            }
        }
        if (job.reason != QLatin1String("Resources"))
            reasons.append({job.jobId, QStringLiteral("Resources")});
        head = job;
        return false; // strict priority: nothing behind it may start
    });
    for (const auto &[id, node] : std::as_const(starts)) {
        auto job = m_jobs.get(id);
        // A launch that failed (the job is FAILED) left its CPUs unused: weigh again.
        if (job && job->state == JobState::Pending && !launch(*job, cluster, *node))
            m_scheduleNeeded = true;
    }
    for (const auto &[id, reason] : std::as_const(reasons))
        m_jobs.setReason(id, reason);
    if (!head) {
        m_blocked.remove(cluster.id);
        return;
    }
    m_blocked.insert(cluster.id, {head->priority, head->jobId});
    // Behind the head, a former head and a job not weighed yet now wait for it.
    for (qint64 id : m_jobs.pendingWithReason(
             cluster.id, {QStringLiteral("Resources"), QStringLiteral("None")}))
        if (id != head->jobId)
            m_jobs.setReason(id, QStringLiteral("Priority"));
}

QStringList LocalExecutor::environmentFor(const JobRecord &job, const ClusterRecord &cluster,
                                          const NodeRecord &node) const {
    QStringList slurm{
        QStringLiteral("SLURM_JOB_ID=%1").arg(job.jobId),
        QStringLiteral("SLURM_JOBID=%1").arg(job.jobId),
        QStringLiteral("SLURM_JOB_NAME=") + job.name,
        QStringLiteral("SLURM_JOB_PARTITION=") + job.partition,
        QStringLiteral("SLURM_JOB_NODELIST=") + node.name,
        QStringLiteral("SLURM_NODELIST=") + node.name,
        QStringLiteral("SLURMD_NODENAME=") + node.name,
        QStringLiteral("SLURM_JOB_NUM_NODES=1"),
        QStringLiteral("SLURM_NNODES=1"),
        QStringLiteral("SLURM_NTASKS=%1").arg(job.tasks),
        QStringLiteral("SLURM_NPROCS=%1").arg(job.tasks),
        QStringLiteral("SLURM_CPUS_PER_TASK=%1").arg(job.cpusPerTask),
        QStringLiteral("SLURM_CPUS_ON_NODE=%1").arg(job.cpus()),
        QStringLiteral("SLURM_SUBMIT_DIR=") + job.workDir,
        QStringLiteral("SLURM_JOB_USER=") + job.userEmail,
        QStringLiteral("SLURM_JOB_UID=%1").arg(job.uid),
        QStringLiteral("SLURM_CLUSTER_NAME=") + cluster.name,
    };
    if (job.memoryMb > 0)
        slurm << QStringLiteral("SLURM_MEM_PER_NODE=%1").arg(job.memoryMb);
    if (job.timeLimitMin)
        slurm << QStringLiteral("SLURM_JOB_TIME_LIMIT=%1").arg(*job.timeLimitMin);
    if (job.arrayJobId) {
        slurm << QStringLiteral("SLURM_ARRAY_JOB_ID=%1").arg(*job.arrayJobId)
              << QStringLiteral("SLURM_ARRAY_TASK_ID=%1").arg(job.arrayTaskId.value_or(0));
    }
    slurm << QStringLiteral("HOME=") + areasFor(job.uid).home();
    QStringList env;
    for (const auto &e : stringList(arrayMember(job.request, "environment"))) {
        const QString key = e.section(QLatin1Char('='), 0, 0) + QLatin1Char('=');
        const bool overridden = std::any_of(slurm.begin(), slurm.end(),
                                            [&](const QString &s) { return s.startsWith(key); });
        if (!overridden)
            env << e;
    }
    return env + slurm;
}

bool LocalExecutor::launch(JobRecord &job, const ClusterRecord &cluster, const NodeRecord &node) {
    const QString dir = jobDir(job.jobId);
    QDir().mkpath(dir);
    const JobAreas areas = areasFor(job.uid);
    const QString errorPattern = stringOr(job.request, "standard_error");
    const QString errorPath = errorPattern.isEmpty() ? QString() : resolvedPath(errorPattern, job);
    nlohmann::json spec{{"job_id", job.jobId},
                        {"script_text", job.request.value("script", std::string())},
                        {"output", toStd(job.outputPath)},
                        {"error", toStd(errorPath)},
                        {"append", appendsOutput(job.request)},
                        {"input", toStd(stringOr(job.request, "standard_input"))},
                        {"work_dir", toStd(job.workDir)},
                        {"home", toStd(areas.home())},
                        {"environment", toJsonArray(environmentFor(job, cluster, node))},
                        {"status_path", toStd(dir + QStringLiteral("/status.json"))},
                        {"pid_path", toStd(dir + QStringLiteral("/pid"))}};
    if (m_settings.perUserAccounts) {
        spec["uid"] = job.uid;
        spec["gid"] = job.uid;
    }
    QSaveFile specFile(dir + QStringLiteral("/spec.json"));
    specFile.open(QIODevice::WriteOnly);
    specFile.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    specFile.write(dumpJson(spec));
    // The runner starts with an empty environment: the server's (S3 keys, tokens) stays here.
    QProcess runner;
    runner.setProgram(m_settings.runnerProgram);
    runner.setArguments({QStringLiteral("--run-job"), dir + QStringLiteral("/spec.json")});
    runner.setWorkingDirectory(dir);
    runner.setProcessEnvironment(QProcessEnvironment());
    runner.setStandardInputFile(QProcess::nullDevice());
    runner.setStandardOutputFile(QProcess::nullDevice());
    runner.setStandardErrorFile(QProcess::nullDevice());
    qint64 pid = 0;
    const JobState from = job.state;
    if (job.outputPath.isEmpty() || (!errorPattern.isEmpty() && errorPath.isEmpty()) ||
        !prepareHome(job) || !specFile.commit() || !runner.startDetached(&pid)) {
        job.state = JobState::Failed;
        job.reason = QStringLiteral("LaunchFailed");
        job.endTime = nowMs();
        m_jobs.transition(job, from);
        return false;
    }
    job.state = JobState::Running;
    job.reason = QStringLiteral("None");
    job.runnerPid = pid;
    job.startTime = nowMs();
    job.nodeList = node.name;
    m_jobs.transition(job, from);
    return true;
}

} // namespace clusterra::server
