#include "core/slurm/JobSubmit.h"

#include "core/slurm/JobSpecKeys.h"
#include "core/util/Json.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace clusterra {

namespace {
QString tr(const char *text) {
    return QCoreApplication::translate("JobSubmit", text);
}

QString jobPath(const char *key) {
    return QStringLiteral("job.") + QString::fromLatin1(key);
}

// Hints for keys people carry over from sbatch, older API versions or GET /jobs output.
QString hintForUnknownKey(const std::string &key) {
    static const std::map<std::string, const char *> hints{
        {"gres", QT_TRANSLATE_NOOP("JobSubmit", "use \"tres_per_node\": \"gres/gpu:2\" instead.")},
        {"gpus", QT_TRANSLATE_NOOP("JobSubmit", "use \"tres_per_job\": \"gres/gpu:4\" instead.")},
        {"gpus_per_node",
         QT_TRANSLATE_NOOP("JobSubmit", "use \"tres_per_node\": \"gres/gpu:2\" instead.")},
        {"exclusive", QT_TRANSLATE_NOOP("JobSubmit", "use \"shared\": [\"none\"] instead.")},
        {"ntasks", QT_TRANSLATE_NOOP("JobSubmit", "use \"tasks\" instead.")},
        {"time", QT_TRANSLATE_NOOP("JobSubmit", "use \"time_limit\" (minutes) instead.")},
        {"mem", QT_TRANSLATE_NOOP("JobSubmit", "use \"memory_per_node\" (megabytes) instead.")},
        {"memory", QT_TRANSLATE_NOOP("JobSubmit", "use \"memory_per_node\" (megabytes) instead.")},
        {"cpus", QT_TRANSLATE_NOOP("JobSubmit", "use \"cpus_per_task\" instead.")},
        {"output", QT_TRANSLATE_NOOP("JobSubmit", "use \"standard_output\" instead.")},
        {"error", QT_TRANSLATE_NOOP("JobSubmit", "use \"standard_error\" instead.")},
        {"workdir", QT_TRANSLATE_NOOP("JobSubmit", "use \"current_working_directory\" instead.")},
        {"chdir", QT_TRANSLATE_NOOP("JobSubmit", "use \"current_working_directory\" instead.")},
        {"nodelist", QT_TRANSLATE_NOOP("JobSubmit", "use \"required_nodes\" instead.")},
    };
    const auto it = hints.find(key);
    return it == hints.end() ? QString() : QCoreApplication::translate("JobSubmit", it->second);
}

class Checker {
public:
    explicit Checker(JobSubmitCheck &out)
        : m_out(out) {}

    void error(const QString &path, const QString &message) {
        m_out.errors.append({path, message});
    }

    std::optional<QString> string(const nlohmann::json &job, const char *key, int maxLen = 4096) {
        const auto it = job.find(key);
        if (it == job.end() || it->is_null())
            return std::nullopt;
        if (!it->is_string()) {
            error(jobPath(key), tr("must be a string, not %1.").arg(jsonTypeName(*it)));
            return std::nullopt;
        }
        const QString s = toQ(it->get<std::string>());
        if (s.contains(QChar(0)) || s.size() > maxLen) {
            error(jobPath(key), tr("must be at most %1 characters without NUL bytes.").arg(maxLen));
            return std::nullopt;
        }
        return s;
    }

    // Plain int32 fields of v0.0.44 (tasks, cpus_per_task): the wrapped form is refused.
    std::optional<int> plainInt(const nlohmann::json &job, const char *key, int min, int max) {
        const auto it = job.find(key);
        if (it == job.end() || it->is_null())
            return std::nullopt;
        if (it->is_object()) {
            error(jobPath(key),
                  tr("is a plain integer in v0.0.44 submissions; the {\"set\", \"number\"} form "
                     "appears only in GET /jobs output. Send e.g. 4."));
            return std::nullopt;
        }
        if (!it->is_number_integer()) {
            error(jobPath(key), tr("must be an integer, not %1.").arg(jsonTypeName(*it)));
            return std::nullopt;
        }
        const qint64 n = it->get<qint64>();
        if (n < min || n > max) {
            error(jobPath(key), tr("must be between %1 and %2.").arg(min).arg(max));
            return std::nullopt;
        }
        return int(n);
    }

    // A "no_val" number: a plain integer or {"set", "infinite", "number"}. Sets `infinite`.
    std::optional<qint64> wrapped(const nlohmann::json &job, const char *key, bool &infinite,
                                  const QString &unitHint) {
        infinite = false;
        const auto it = job.find(key);
        if (it == job.end() || it->is_null())
            return std::nullopt;
        const QString path = jobPath(key);
        if (it->is_number_unsigned() && it->get<quint64>() > quint64(INT64_MAX)) {
            error(path, tr("is too large."));
            return std::nullopt;
        }
        if (it->is_number_integer()) {
            if (it->get<qint64>() < 0) {
                error(path, tr("must not be negative."));
                return std::nullopt;
            }
            return it->get<qint64>();
        }
        if (it->is_string()) {
            error(path, unitHint.isEmpty()
                            ? tr("must be a number, not a string. Send an integer or "
                                 "{\"set\": true, \"number\": N}.")
                            : tr("must be a number %1, not a string. Send an integer or "
                                 "{\"set\": true, \"number\": N}.")
                                  .arg(unitHint));
            return std::nullopt;
        }
        if (!it->is_object()) {
            error(path, tr("must be an integer or {\"set\": true, \"number\": N}, not %1.")
                            .arg(jsonTypeName(*it)));
            return std::nullopt;
        }
        for (auto m = it->begin(); m != it->end(); ++m) {
            if (m.key() != "set" && m.key() != "infinite" && m.key() != "number") {
                error(path + QLatin1Char('.') + toQ(m.key()),
                      tr("is not part of a wrapped number; use \"set\", \"infinite\" and "
                         "\"number\"."));
                return std::nullopt;
            }
        }
        const auto setIt = it->find("set");
        const auto infIt = it->find("infinite");
        const auto numIt = it->find("number");
        if ((setIt != it->end() && !setIt->is_boolean()) ||
            (infIt != it->end() && !infIt->is_boolean())) {
            error(path, tr("\"set\" and \"infinite\" must be true or false."));
            return std::nullopt;
        }
        if (infIt != it->end() && infIt->get<bool>()) {
            infinite = true;
            return std::nullopt;
        }
        if (setIt != it->end() && !setIt->get<bool>())
            return std::nullopt; // explicitly unset: the server default applies
        if (numIt == it->end()) {
            error(path, tr("sets no \"number\"; slurmrestd would silently use 0. Add "
                           "\"number\" or use {\"infinite\": true}."));
            return std::nullopt;
        }
        if (!numIt->is_number_integer() ||
            (numIt->is_number_unsigned() && numIt->get<quint64>() > quint64(INT64_MAX)) ||
            numIt->get<qint64>() < 0) {
            error(path + QStringLiteral(".number"), tr("must be a non-negative integer."));
            return std::nullopt;
        }
        return numIt->get<qint64>();
    }

private:
    JobSubmitCheck &m_out;
};

bool parseGpuTres(const QString &tres, int &count) {
    static const QRegularExpression re(
        QStringLiteral("\\Agres/gpu(?::[A-Za-z0-9_.-]+)?:([0-9]{1,4})\\z"));
    const auto m = re.match(tres);
    if (!m.hasMatch())
        return false;
    count = m.captured(1).toInt();
    return true;
}

void checkScript(const QString &script, Checker &c, const QString &path) {
    if (script.isEmpty()) {
        c.error(path, tr("is required: put the batch script at the top level (\"script\") or in "
                         "job.script."));
    } else if (!script.startsWith(QLatin1String("#!"))) {
        c.error(path, tr("must start with an interpreter line such as #!/bin/bash (sbatch "
                         "checks this; without it the job fails at launch)."));
    } else if (script.contains(QChar(0))) {
        c.error(path, tr("contains a NUL byte."));
    } else if (script.contains(QLatin1String("\r\n"))) {
        c.error(path, tr("has DOS line breaks (\\r\\n); save it with Unix line ends (\\n)."));
    } else if (script.toUtf8().size() > kMaxScriptBytes) {
        c.error(path, tr("is larger than %1 bytes.").arg(kMaxScriptBytes));
    }
}

void checkEnvironment(const nlohmann::json &job, JobRequest &req, Checker &c) {
    const auto it = job.find("environment");
    const QString path = QStringLiteral("job.environment");
    if (it == job.end() || it->is_null()) {
        c.error(path, tr("is required: slurmctld refuses batch jobs without an environment. "
                         "[\"PATH=/usr/bin:/bin\"] is enough."));
        return;
    }
    if (it->is_object()) {
        c.error(path, tr("must be an array of \"KEY=VALUE\" strings in v0.0.44, e.g. "
                         "[\"PATH=/usr/bin:/bin\"]; the {\"KEY\": \"VALUE\"} object form belongs "
                         "to v0.0.38."));
        return;
    }
    if (!it->is_array() || it->empty()) {
        c.error(path, tr("must be a non-empty array of \"KEY=VALUE\" strings, e.g. "
                         "[\"PATH=/usr/bin:/bin\"]."));
        return;
    }
    // Linux refuses an exec whose environment is too large (E2BIG): say so at submit instead.
    constexpr size_t kMaxEntries = 4096;
    constexpr qsizetype kMaxTotalBytes = 256 * 1024;
    if (it->size() > kMaxEntries) {
        c.error(path,
                tr("has %1 entries; at most %2 are allowed.").arg(it->size()).arg(kMaxEntries));
        return;
    }
    qsizetype total = 0;
    static const QRegularExpression keyRe(QStringLiteral("\\A[A-Za-z_][A-Za-z0-9_]*\\z"));
    for (size_t i = 0; i < it->size(); ++i) {
        const auto &entry = (*it)[i];
        const QString ipath = path + QStringLiteral("[%1]").arg(i);
        if (!entry.is_string()) {
            c.error(ipath, tr("must be a \"KEY=VALUE\" string, not %1.").arg(jsonTypeName(entry)));
            continue;
        }
        const QString s = toQ(entry.get<std::string>());
        const qsizetype eq = s.indexOf(QLatin1Char('='));
        if (eq <= 0 || !keyRe.match(s.left(eq)).hasMatch()) {
            c.error(ipath, tr("\"%1\" is not KEY=VALUE with a variable name such as PATH.").arg(s));
            continue;
        }
        if (s.contains(QChar(0))) {
            c.error(ipath, tr("contains a NUL byte."));
            continue;
        }
        total += s.toUtf8().size() + 1;
        if (total > kMaxTotalBytes) {
            c.error(ipath, tr("takes the environment past %1 KiB, more than a job may carry.")
                               .arg(kMaxTotalBytes / 1024));
            return;
        }
        req.environment.append(s);
    }
}

void checkNodes(const nlohmann::json &job, JobRequest &req, Checker &c) {
    const auto it = job.find("nodes");
    if (it == job.end() || it->is_null())
        return;
    const QString path = QStringLiteral("job.nodes");
    if (!it->is_string()) {
        c.error(path,
                tr("must be a string such as \"1\" or \"1-4\", not %1.").arg(jsonTypeName(*it)));
        return;
    }
    static const QRegularExpression re(QStringLiteral("\\A([0-9]{1,4})(?:-([0-9]{1,4}))?\\z"));
    const auto m = re.match(toQ(it->get<std::string>()));
    if (!m.hasMatch()) {
        c.error(path, tr("must be a node count such as \"1\" or a range such as \"1-4\"."));
        return;
    }
    req.nodesMin = m.captured(1).toInt();
    req.nodesMax = m.captured(2).isEmpty() ? req.nodesMin : m.captured(2).toInt();
    if (req.nodesMin < 1 || req.nodesMax < req.nodesMin)
        c.error(path,
                tr("must ask for at least one node, with the maximum not below the minimum."));
}
} // namespace

qint64 JobRequest::memoryPerNodeNeededMb(qint64 nodeMemoryMb) const {
    if (memoryPerNodeMb)
        return *memoryPerNodeMb == 0 ? nodeMemoryMb : *memoryPerNodeMb;
    if (memoryPerCpuMb)
        return *memoryPerCpuMb * totalCpus() / qMax(1, nodesMin);
    return 0;
}

bool parseArraySpec(const QString &spec, QList<int> &ids, int &maxConcurrent, QString &error) {
    ids.clear();
    maxConcurrent = 0;
    QString body = spec.trimmed();
    if (const qsizetype pct = body.indexOf(QLatin1Char('%')); pct >= 0) {
        bool ok = false;
        maxConcurrent = body.mid(pct + 1).toInt(&ok);
        if (!ok || maxConcurrent < 1) {
            error = tr("the limit after %% must be a positive integer.");
            return false;
        }
        body.truncate(pct);
    }
    static const QRegularExpression part(
        QStringLiteral("\\A([0-9]{1,7})(?:-([0-9]{1,7})(?::([0-9]{1,7}))?)?\\z"));
    const QStringList pieces = body.split(QLatin1Char(','));
    for (const QString &piece : pieces) {
        const auto m = part.match(piece);
        if (!m.hasMatch()) {
            error = tr("\"%1\" is not an index, a range such as 0-15, or a stepped range such as "
                       "0-15:4.")
                        .arg(piece);
            return false;
        }
        const int first = m.captured(1).toInt();
        const int last = m.captured(2).isEmpty() ? first : m.captured(2).toInt();
        const int step = m.captured(3).isEmpty() ? 1 : m.captured(3).toInt();
        if (last < first || step < 1) {
            error = tr("the range \"%1\" is empty.").arg(piece);
            return false;
        }
        if (last >= kMaxArrayTasks) {
            error = tr("indexes must be below %1.").arg(kMaxArrayTasks);
            return false;
        }
        for (int i = first; i <= last; i += step) {
            if (!ids.contains(i))
                ids.append(i);
        }
    }
    std::sort(ids.begin(), ids.end());
    return true;
}

JobSubmitCheck checkJobSubmit(const nlohmann::json &body, JobKeys keys) {
    JobSubmitCheck out;
    Checker c(out);
    JobRequest &req = out.request;
    if (!body.is_object()) {
        c.error(QString(), tr("The submit body must be a JSON object."));
        return out;
    }
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (it.key() != "script" && it.key() != "job" && it.key() != "jobs")
            c.error(toQ(it.key()), tr("is not a top-level field of a submit body; job fields "
                                      "belong inside \"job\"."));
    }
    const bool hasJob = body.contains("job");
    if (body.contains("jobs")) {
        c.error(QStringLiteral("jobs"),
                hasJob ? tr("send either \"job\" or \"jobs\", never both.")
                       : tr("describes one heterogeneous job (HetJob), which this server does "
                            "not run; send a single job in \"job\"."));
        return out;
    }
    if (!hasJob || !body["job"].is_object()) {
        c.error(QStringLiteral("job"), hasJob ? tr("must be an object.")
                                              : tr("is required: describe the job in \"job\"."));
        return out;
    }
    const nlohmann::json &job = body["job"];

    for (auto it = job.begin(); it != job.end(); ++it) {
        const std::string &key = it.key();
        if (!isV0044JobKey(key)) {
            const QString hint = hintForUnknownKey(key);
            c.error(jobPath(key.c_str()),
                    hint.isEmpty()
                        ? tr("is not a field of a slurmrestd v0.0.44 job.")
                        : tr("is not a field of a slurmrestd v0.0.44 job; %1").arg(hint));
        } else if (key == "user_id" || key == "group_id") {
            // Jobs run as the signed-in user; nobody submits as someone else.
            c.error(jobPath(key.c_str()),
                    tr("cannot be set: the server runs the job as the signed-in user."));
        } else if (keys == JobKeys::LocalExecutor && !isSupportedJobKey(key)) {
            c.error(jobPath(key.c_str()),
                    tr("is a slurmrestd field this server does not support."));
        }
    }

    // Script: the top level wins, as in slurmrestd.
    QString scriptPath = QStringLiteral("script");
    bool scriptTyped = true;
    if (const auto top = body.find("script"); top != body.end()) {
        scriptTyped = top->is_string();
        if (!scriptTyped)
            c.error(scriptPath, tr("must be a string, not %1.").arg(jsonTypeName(*top)));
        else
            req.script = toQ(top->get<std::string>());
        if (job.contains("script"))
            out.warnings << tr("Both script and job.script were sent; the top-level script is "
                               "used.");
    } else if (job.contains("script")) {
        scriptPath = QStringLiteral("job.script");
        const auto inner = c.string(job, "script", int(kMaxScriptBytes));
        scriptTyped = inner.has_value();
        req.script = inner.value_or(QString());
    }
    if (scriptTyped)
        checkScript(req.script, c, scriptPath);
    checkEnvironment(job, req, c);

    if (const auto cwd = c.string(job, "current_working_directory")) {
        req.workingDirectory = *cwd;
        if (!cwd->startsWith(QLatin1Char('/')))
            c.error(jobPath("current_working_directory"), tr("must be an absolute path."));
    } else if (!job.contains("current_working_directory")) {
        c.error(jobPath("current_working_directory"),
                tr("is required: slurmctld refuses jobs without a working directory (sbatch "
                   "fills it in, REST does not). \"/tmp\" works."));
    }
    req.name = c.string(job, "name", 200).value_or(QStringLiteral("job"));
    if (const auto p = c.string(job, "partition", 64)) {
        static const QRegularExpression re(QStringLiteral("\\A[A-Za-z][A-Za-z0-9_-]*\\z"));
        if (!re.match(*p).hasMatch())
            c.error(jobPath("partition"), tr("\"%1\" is not a partition name.").arg(*p));
        req.partition = *p;
    }
    req.tasks = c.plainInt(job, "tasks", 1, 100000).value_or(1);
    req.cpusPerTask = c.plainInt(job, "cpus_per_task", 1, 4096).value_or(1);
    checkNodes(job, req, c);

    bool infinite = false;
    req.memoryPerNodeMb = c.wrapped(job, "memory_per_node", infinite, tr("of megabytes"));
    if (infinite)
        c.error(jobPath("memory_per_node"),
                tr("cannot be infinite; 0 asks for all memory of a node."));
    req.memoryPerCpuMb = c.wrapped(job, "memory_per_cpu", infinite, tr("of megabytes"));
    if (infinite)
        c.error(jobPath("memory_per_cpu"), tr("cannot be infinite."));
    // 1 EiB in MB: beyond any machine, and far from overflowing once multiplied by CPUs.
    constexpr qint64 kMaxMemoryMb = qint64(1) << 40;
    if (req.memoryPerNodeMb && *req.memoryPerNodeMb > kMaxMemoryMb)
        c.error(jobPath("memory_per_node"), tr("is larger than any node can have."));
    if (req.memoryPerCpuMb && *req.memoryPerCpuMb > kMaxMemoryMb / qMax(1, req.totalCpus()))
        c.error(jobPath("memory_per_cpu"),
                tr("times the job's CPUs is larger than any node can have."));
    if (req.memoryPerNodeMb && req.memoryPerCpuMb)
        c.error(jobPath("memory_per_cpu"),
                tr("send memory_per_node or memory_per_cpu, not both: they set the same limit."));

    req.timeLimitMinutes = c.wrapped(job, "time_limit", infinite, tr("of minutes"));
    req.timeUnlimited = infinite;
    if (req.timeLimitMinutes && *req.timeLimitMinutes == 0)
        c.error(jobPath("time_limit"), tr("0 minutes is passed through as zero in v0.0.44, not as "
                                          "unlimited; send {\"infinite\": true} for no limit."));
    if (req.timeLimitMinutes && *req.timeLimitMinutes >= 4294967294LL) {
        req.timeLimitMinutes.reset();
        req.timeUnlimited = true;
    }
    bool topPriority = false;
    req.priority = c.wrapped(job, "priority", topPriority, QString());
    if (topPriority)
        c.error(jobPath("priority"), tr("cannot be infinite; send a number."));

    req.standardOutput = c.string(job, "standard_output").value_or(QString());
    req.standardError = c.string(job, "standard_error").value_or(QString());
    req.standardInput = c.string(job, "standard_input").value_or(QString());
    if (const auto it = job.find("open_mode"); it != job.end() && !it->is_null()) {
        // v0.0.44 sends a flag array; older clients (and sbatch users) think of one word.
        const nlohmann::json modes = it->is_string() ? nlohmann::json::array({*it}) : *it;
        bool valid = modes.is_array() && modes.size() == 1 && modes[0].is_string();
        const QString mode = valid ? toQ(modes[0].get<std::string>()).toUpper() : QString();
        valid = mode == QLatin1String("APPEND") || mode == QLatin1String("TRUNCATE");
        if (!valid)
            c.error(jobPath("open_mode"), tr("must be [\"APPEND\"] or [\"TRUNCATE\"]."));
        req.appendOutput = mode == QLatin1String("APPEND");
    }
    req.comment = c.string(job, "comment").value_or(QString());
    req.account = c.string(job, "account", 64).value_or(QString());
    req.qos = c.string(job, "qos", 64).value_or(QString());

    if (const auto t = c.string(job, "tres_per_node"); t && !parseGpuTres(*t, req.gpusPerNode))
        c.error(jobPath("tres_per_node"), tr("only GPUs are supported, as \"gres/gpu:N\" or "
                                             "\"gres/gpu:TYPE:N\"."));
    if (const auto t = c.string(job, "tres_per_job"); t && !parseGpuTres(*t, req.gpusPerJob))
        c.error(jobPath("tres_per_job"), tr("only GPUs are supported, as \"gres/gpu:N\"."));

    if (const auto a = c.string(job, "array", 1000)) {
        QString message;
        req.arraySpec = *a;
        if (!parseArraySpec(*a, req.arrayTaskIds, req.arrayMaxConcurrent, message))
            c.error(jobPath("array"), message);
    }

    if (out.ok()) {
        req.job = job;
        req.job["script"] = toStd(req.script);
        req.job["name"] = toStd(req.name);
        if (req.job.contains("open_mode")) // the flag array slurmrestd v0.0.44 takes
            req.job["open_mode"] =
                nlohmann::json::array({req.appendOutput ? "APPEND" : "TRUNCATE"});
    }
    return out;
}

bool appendsOutput(const nlohmann::json &job) {
    const auto it = job.find("open_mode");
    return it != job.end() && it->is_array() && it->size() == 1 && (*it)[0] == "APPEND";
}

JobKeys jobKeysForProvider(const QString &provider) {
    return provider == QLatin1String("slurm") ? JobKeys::AllV0044 : JobKeys::LocalExecutor;
}

} // namespace clusterra
