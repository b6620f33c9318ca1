#include "core/slurm/SlurmDialect.h"

#include "core/util/Json.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <climits>

namespace clusterra {

namespace {
QString tr(const char *text) {
    return QCoreApplication::translate("SlurmDialect", text);
}

using nlohmann::json;

// Slurm's NO_VAL and INFINITE sentinels sit at the top of the 32-bit range.
constexpr qint64 kSentinel = 4294967294LL;

struct Number {
    bool set = false;
    bool infinite = false;
    qint64 value = 0;
};

// A plain number, a digit string or a wrapped {"set", "infinite", "number"}.
Number numberOf(const json &v) {
    Number n;
    if (v.is_number()) {
        const auto value = integerOf(v);
        if (!value)
            return n; // 2.5 or 1e300: not a count of anything
        n.set = true;
        n.value = *value;
    } else if (v.is_string()) {
        bool ok = false;
        n.value = toQ(v.get<std::string>()).toLongLong(&ok);
        n.set = ok;
    } else if (v.is_object()) {
        n.infinite = boolOr(v, "infinite", false);
        const auto value = integerOf(member(v, "number"));
        n.set = boolOr(v, "set", v.contains("number")) && !n.infinite && value.has_value();
        n.value = value.value_or(0);
    }
    // v0.0.38 writes "unlimited" as -1 and sometimes as a sentinel.
    if (v.is_number() && (n.value < 0 || n.value >= kSentinel))
        n = Number{false, true, 0};
    // Every number read here is a count, a size, an id or a time: a negative wrapped or
    // string one is not a value (found by fuzz_slurm_reply as a time limit of -5 minutes).
    if (n.set && n.value < 0)
        n = Number{};
    return n;
}

std::optional<qint64> timeOf(const json &obj, const char *key) {
    const auto it = obj.find(key);
    if (it == obj.end())
        return std::nullopt;
    const Number n = numberOf(*it);
    return n.set && n.value > 0 ? std::optional<qint64>(n.value) : std::nullopt;
}

QStringList stringsOf(const json &v) {
    if (v.is_string())
        return toQ(v.get<std::string>()).split(QLatin1Char(','), Qt::SkipEmptyParts);
    return stringList(v);
}

// "gres/gpu:a100:2" -> "gpu:a100:2"; the count alone ("2") for the gpus_per_* options.
QString gresOf(const json &v) {
    return toQ(v.get<std::string>()).remove(QRegularExpression(QStringLiteral("^gres/")));
}
QString gpuCountOf(const json &v) {
    return gresOf(v).section(QLatin1Char(':'), -1);
}

// v0.0.44 keys that v0.0.38 takes under the same name and in the same form.
constexpr const char *kSameIn38[] = {"account",
                                     "argv",
                                     "array",
                                     "comment",
                                     "constraints",
                                     "cpus_per_task",
                                     "current_working_directory",
                                     "dependency",
                                     "hold",
                                     "mail_user",
                                     "name",
                                     "nice",
                                     "nodes",
                                     "partition",
                                     "qos",
                                     "reservation",
                                     "standard_error",
                                     "standard_input",
                                     "standard_output",
                                     "tasks",
                                     "wckey",
                                     "licenses",
                                     "minimum_nodes"};

class Dialect38 : public SlurmDialect {
public:
    QString version() const override { return QStringLiteral("v0.0.38"); }

    SlurmSubmitBody submitBody(const json &job) const override {
        SlurmSubmitBody out;
        json target = json::object();
        auto refuse = [&](const std::string &key, const QString &why) {
            out.errors.append({QStringLiteral("job.") + toQ(key), why});
        };
        for (auto it = job.begin(); it != job.end(); ++it) {
            const std::string &key = it.key();
            const json &v = it.value();
            if (key == "script") {
                out.body["script"] = v;
            } else if (key == "environment") {
                json env = json::object();
                for (const QString &e : stringList(v))
                    env[toStd(e.section(QLatin1Char('='), 0, 0))] =
                        toStd(e.section(QLatin1Char('='), 1));
                target["environment"] = env;
            } else if (key == "time_limit" || key == "time_minimum") {
                const Number n = numberOf(v);
                if (n.infinite)
                    target[key] = "UNLIMITED";
                else if (n.set)
                    target[key] = n.value;
            } else if (key == "memory_per_node" || key == "memory_per_cpu" || key == "priority" ||
                       key == "begin_time") {
                const Number n = numberOf(v);
                if (n.set)
                    target[key] = n.value;
                else if (v.is_string())
                    target[key] = v; // "4G"
            } else if (key == "requeue") {
                target[v.get<bool>() ? "requeue" : "no_requeue"] = true;
            } else if (key == "required_nodes") {
                target["nodelist"] = toStd(stringsOf(v).join(QLatin1Char(',')));
            } else if (key == "excluded_nodes") {
                target["exclude_nodes"] = toStd(stringsOf(v).join(QLatin1Char(',')));
            } else if (key == "tres_per_node") {
                target["gres"] = toStd(gresOf(v));
            } else if (key == "tres_per_job" || key == "tres_per_task" ||
                       key == "tres_per_socket") {
                if (!gresOf(v).startsWith(QLatin1String("gpu"))) {
                    refuse(key, tr("can only ask for GPUs on Slurm 22.05 (slurmrestd v0.0.38)."));
                    continue;
                }
                const char *name = key == "tres_per_job"    ? "gpus"
                                   : key == "tres_per_task" ? "gpus_per_task"
                                                            : "gpus_per_socket";
                target[name] = toStd(gpuCountOf(v));
            } else if (key == "shared") {
                const QString mode = stringsOf(v).value(0).toLower();
                target["exclusive"] = mode == QLatin1String("none") ? "exclusive" : toStd(mode);
            } else if (key == "mail_type") {
                target["mail_type"] = toStd(stringsOf(v).join(QLatin1Char(',')));
            } else if (key == "open_mode") {
                target["open_mode"] = toStd(stringsOf(v).value(0).toLower());
            } else if (key == "kill_warning_signal") {
                const Number delay = numberOf(member(job, "kill_warning_delay"));
                target["signal"] = toStd(QStringLiteral("%1@%2")
                                             .arg(toQ(v.get<std::string>()))
                                             .arg(delay.set ? delay.value : 60));
            } else if (key == "kill_warning_delay") {
                continue; // folded into "signal" above
            } else if (std::find(std::begin(kSameIn38), std::end(kSameIn38), key) !=
                       std::end(kSameIn38)) {
                target[key] = v;
            } else {
                refuse(key, tr("is not supported by this cluster's Slurm (22.05, slurmrestd "
                               "v0.0.38); remove it or ask for a newer Slurm."));
            }
        }
        out.body["job"] = target;
        return out;
    }
};

class Dialect44 : public SlurmDialect {
public:
    explicit Dialect44(QString version)
        : m_version(std::move(version)) {}
    QString version() const override { return m_version; }
    SlurmSubmitBody submitBody(const json &job) const override { return {{{"job", job}}, {}}; }

private:
    QString m_version;
};

QString nodeStateOf(const json &node) {
    QStringList words;
    const json &state = member(node, "state");
    if (state.is_string())
        words << toQ(state.get<std::string>()).toUpper();
    else
        words << stringList(state);
    words << stringList(arrayMember(node, "state_flags"));
    const auto has = [&](const char *w) {
        return words.contains(QLatin1String(w));
    };
    if (has("DOWN") || has("DRAIN") || has("DRAINED") || has("DRAINING") || has("FAIL") ||
        has("NOT_RESPONDING") || has("FUTURE") || has("POWERED_DOWN"))
        return QStringLiteral("DOWN");
    for (const char *base : {"IDLE", "ALLOCATED", "MIXED"}) {
        if (has(base))
            return QString::fromLatin1(base);
    }
    return QStringLiteral("UNKNOWN");
}

// A job's base state: v0.0.38 sends "RUNNING"; v0.0.40+ sends ["PENDING", "REQUEUED"].
JobState jobStateOf(const json &v) {
    if (v.is_array())
        return v.empty() || !v[0].is_string() ? JobState::Unknown
                                              : jobStateFromName(toQ(v[0].get<std::string>()));
    return v.is_string() ? jobStateFromName(toQ(v.get<std::string>())) : JobState::Unknown;
}

void readExit(const json &v, SlurmJobInfo &job) {
    if (v.is_number()) { // a raw wait(2) status
        const auto raw = integerOf(v);
        if (!raw || *raw < 0 || *raw > 0xffff)
            return;
        const int status = int(*raw);
        if (status & 0x7f)
            job.exitSignal = status & 0x7f;
        else
            job.exitCode = (status >> 8) & 0xff;
        return;
    }
    if (!v.is_object())
        return;
    const Number code = numberOf(member(v, "return_code"));
    const Number signal = numberOf(member(objectMember(v, "signal"), "id"));
    if (signal.set && signal.value > 0)
        job.exitSignal = int(signal.value);
    else if (code.set)
        job.exitCode = int(code.value);
}
} // namespace

std::unique_ptr<SlurmDialect> SlurmDialect::forVersion(const QString &version) {
    if (version == QLatin1String("v0.0.38"))
        return std::make_unique<Dialect38>();
    if (knownVersions().contains(version))
        return std::make_unique<Dialect44>(version);
    return nullptr;
}

QStringList SlurmDialect::knownVersions() {
    return {QStringLiteral("v0.0.44"), QStringLiteral("v0.0.43"), QStringLiteral("v0.0.42"),
            QStringLiteral("v0.0.41"), QStringLiteral("v0.0.40"), QStringLiteral("v0.0.38")};
}

QString SlurmDialect::path(const QString &rest) const {
    return QStringLiteral("/slurm/") + version() + rest;
}

QList<SlurmJobInfo> SlurmDialect::jobs(const json &reply) {
    QList<SlurmJobInfo> out;
    for (const auto &j : arrayMember(reply, "jobs")) {
        if (!j.is_object())
            continue;
        SlurmJobInfo info;
        info.jobId = numberOf(member(j, "job_id")).value;
        info.name = stringOr(j, "name");
        info.userName = stringOr(j, "user_name");
        info.partition = stringOr(j, "partition");
        info.nodes = stringOr(j, "nodes");
        info.state = jobStateOf(member(j, "job_state"));
        info.reason = stringOr(j, "state_reason");
        info.comment = stringOr(j, "comment");
        const Number limit = numberOf(member(j, "time_limit"));
        info.timeLimitMinutes = limit.set ? std::optional<qint64>(limit.value) : std::nullopt;
        info.startTime = timeOf(j, "start_time");
        info.endTime = timeOf(j, "end_time");
        info.submitTime = timeOf(j, "submit_time");
        info.standardOutput = stringOr(j, "standard_output");
        info.workDir = stringOr(j, "current_working_directory");
        if (info.workDir.isEmpty())
            info.workDir = stringOr(j, "current_directory"); // v0.0.38's name
        info.cpus = int(numberOf(member(j, "cpus")).value);
        info.nodeCount = int(numberOf(member(j, "node_count")).value);
        // "0 if N/A"; NO_VAL (0xfffffffe) and beyond are not task ids either.
        constexpr qint64 kNoVal = 0xfffffffe;
        if (const Number a = numberOf(member(j, "array_job_id"));
            a.set && a.value > 0 && a.value < kNoVal) {
            info.arrayJobId = a.value;
            if (const Number t = numberOf(member(j, "array_task_id"));
                t.set && t.value >= 0 && t.value < kNoVal && t.value <= INT_MAX)
                info.arrayTaskId = int(t.value);
            info.arrayTaskString = stringOr(j, "array_task_string");
        }
        if (isFinished(info.state))
            readExit(member(j, "exit_code"), info);
        out.append(info);
    }
    return out;
}

QList<SlurmNodeInfo> SlurmDialect::nodes(const json &reply) {
    QList<SlurmNodeInfo> out;
    for (const auto &n : arrayMember(reply, "nodes")) {
        if (!n.is_object())
            continue;
        SlurmNodeInfo info;
        info.name = stringOr(n, "name");
        info.state = nodeStateOf(n);
        info.reason = stringOr(n, "reason");
        info.cpus = int(numberOf(member(n, "cpus")).value);
        info.allocCpus = int(numberOf(member(n, "alloc_cpus")).value);
        info.memoryMb = numberOf(member(n, "real_memory")).value;
        info.allocMemoryMb = numberOf(member(n, "alloc_memory")).value;
        info.gpus = gpusInGres(stringOr(n, "gres"));
        info.allocGpus = qMin(info.gpus, gpusInGres(stringOr(n, "gres_used")));
        info.partitions = stringList(arrayMember(n, "partitions"));
        out.append(info);
    }
    return out;
}

QList<SlurmPartitionInfo> SlurmDialect::partitions(const json &reply) {
    QList<SlurmPartitionInfo> out;
    for (const auto &p : arrayMember(reply, "partitions")) {
        if (!p.is_object())
            continue;
        SlurmPartitionInfo info;
        info.name = stringOr(p, "name");
        if (member(p, "nodes").is_object()) { // v0.0.40+
            info.totalNodes = int(numberOf(member(p["nodes"], "total")).value);
            info.totalCpus = int(numberOf(member(objectMember(p, "cpus"), "total")).value);
            const Number max = numberOf(member(objectMember(p, "maximums"), "time"));
            info.maxTimeMinutes = max.set ? std::optional<qint64>(max.value) : std::nullopt;
            const Number def = numberOf(member(objectMember(p, "defaults"), "time"));
            info.defaultTimeMinutes = def.set ? std::optional<qint64>(def.value) : std::nullopt;
            info.state = stringList(member(objectMember(p, "partition"), "state"))
                             .value(0, QStringLiteral("UP"));
        } else {
            info.totalNodes = int(numberOf(member(p, "total_nodes")).value);
            info.totalCpus = int(numberOf(member(p, "total_cpus")).value);
            const Number max = numberOf(member(p, "max_time_limit"));
            info.maxTimeMinutes = max.set ? std::optional<qint64>(max.value) : std::nullopt;
            const Number def = numberOf(member(p, "default_time_limit"));
            info.defaultTimeMinutes = def.set ? std::optional<qint64>(def.value) : std::nullopt;
            info.state = stringOr(p, "state", QStringLiteral("UP"));
        }
        const QStringList flags = stringList(arrayMember(p, "flags"));
        info.isDefault = flags.contains(QLatin1String("default"), Qt::CaseInsensitive) ||
                         flags.contains(QLatin1String("DEFAULT"));
        out.append(info);
    }
    if (!out.isEmpty() &&
        std::none_of(out.begin(), out.end(), [](const auto &p) { return p.isDefault; }))
        out.first().isDefault = true;
    return out;
}

std::optional<qint64> SlurmDialect::submittedJobId(const json &reply) {
    const Number id = numberOf(member(reply, "job_id"));
    return id.set && id.value > 0 ? std::optional<qint64>(id.value) : std::nullopt;
}

QStringList SlurmDialect::errors(const json &reply) {
    QStringList out;
    for (const auto &e : arrayMember(reply, "errors")) {
        if (!e.is_object())
            continue;
        // {error, error_number, description, source} or v0.0.38's {error, error_code}.
        QString text = stringOr(e, "description");
        if (text.isEmpty())
            text = stringOr(e, "error");
        if (!text.isEmpty() && !out.contains(text))
            out << text;
    }
    return out;
}

bool SlurmDialect::isUnknownJob(const json &reply) {
    for (const auto &e : arrayMember(reply, "errors")) {
        if (e.is_object() &&
            (intMember(e, "error_number") == 2017 || intMember(e, "error_code") == 2017))
            return true;
    }
    return false;
}

int gpusInGres(const QString &gres) {
    // Counts come from the reply: saturate rather than overflow on absurd ones.
    constexpr qint64 kMostGpus = 1 << 20;
    qint64 total = 0;
    for (const QString &entry : gres.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString spec = entry.section(QLatin1Char('('), 0, 0);
        if (!spec.startsWith(QLatin1String("gpu")))
            continue;
        bool ok = false;
        const int n = spec.section(QLatin1Char(':'), -1).toInt(&ok);
        total = qMin(kMostGpus, total + (ok ? qMax(0, n) : 1));
    }
    return int(total);
}

} // namespace clusterra
