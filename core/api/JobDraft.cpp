#include "core/api/JobDraft.h"

#include "core/util/Json.h"

#include <QRegularExpression>

namespace clusterra {

namespace {
nlohmann::json wrapped(qint64 number) {
    return {{"set", true}, {"infinite", false}, {"number", number}};
}

// A plain integer or a set, finite {"set", "infinite", "number"}; anything else the form cannot
// show exactly.
std::optional<qint64> finiteNumber(const nlohmann::json &v) {
    if (v.is_number_integer())
        return v.get<qint64>();
    if (v.is_object() && v.value("set", false) && !v.value("infinite", false) &&
        v.contains("number") && v["number"].is_number_integer())
        return v["number"].get<qint64>();
    return std::nullopt;
}

std::optional<int> gpusOf(const nlohmann::json &v) {
    static const QRegularExpression re(QStringLiteral("\\Agres/gpu:([0-9]{1,4})\\z"));
    if (!v.is_string())
        return std::nullopt;
    const auto m = re.match(toQ(v.get<std::string>()));
    return m.hasMatch() ? std::optional<int>(m.captured(1).toInt()) : std::nullopt;
}

bool isEndOnly(const nlohmann::json &v) {
    if (v.is_string())
        return v.get<std::string>() == "END";
    return v.is_array() && v.size() == 1 && v[0].is_string() && v[0].get<std::string>() == "END";
}

// Moves `key` out of `job` into `out` when `read` can show it exactly.
template <typename T, typename Read>
void take(nlohmann::json &job, const char *key, T &out, Read read) {
    const auto it = job.find(key);
    if (it == job.end())
        return;
    if (const auto value = read(*it)) {
        out = *value;
        job.erase(it);
    }
}

std::optional<QString> text(const nlohmann::json &v) {
    return v.is_string() ? std::optional<QString>(toQ(v.get<std::string>())) : std::nullopt;
}
} // namespace

nlohmann::json JobDraft::toJson() const {
    nlohmann::json job = extra.is_object() ? extra : nlohmann::json::object();
    if (!name.isEmpty())
        job["name"] = toStd(name);
    if (!workingDirectory.isEmpty())
        job["current_working_directory"] = toStd(workingDirectory);
    if (!environment.isEmpty())
        job["environment"] = toJsonArray(environment);
    if (tasks != 1)
        job["tasks"] = tasks;
    if (cpusPerTask != 1)
        job["cpus_per_task"] = cpusPerTask;
    if (!partition.isEmpty())
        job["partition"] = toStd(partition);
    if (!nodes.isEmpty())
        job["nodes"] = toStd(nodes);
    if (gpus > 0)
        job["tres_per_job"] = toStd(QStringLiteral("gres/gpu:%1").arg(gpus));
    if (memoryMb > 0)
        job["memory_per_node"] = wrapped(memoryMb);
    if (timeLimitMinutes > 0)
        job["time_limit"] = wrapped(timeLimitMinutes);
    if (!standardOutput.isEmpty())
        job["standard_output"] = toStd(standardOutput);
    if (!standardError.isEmpty())
        job["standard_error"] = toStd(standardError);
    if (!array.isEmpty())
        job["array"] = toStd(array);
    if (!dependency.isEmpty())
        job["dependency"] = toStd(dependency);
    if (mailOnEnd)
        job["mail_type"] = nlohmann::json::array({"END"});
    return {{"script", toStd(script)}, {"job", std::move(job)}};
}

QString JobDraft::toText() const {
    return toQ(toJson().dump(2));
}

FieldErrors JobDraft::check(JobKeys keys) const {
    return checkJobSubmit(toJson(), keys).errors;
}

QStringList JobDraft::keysOnlyInJson() const {
    QStringList out;
    if (extra.is_object())
        for (auto it = extra.begin(); it != extra.end(); ++it)
            out << toQ(it.key());
    return out;
}

bool JobDraft::fromJson(const nlohmann::json &body, JobDraft *draft) {
    if (!body.is_object())
        return false;
    const auto jobIt = body.find("job");
    if (jobIt == body.end() || !jobIt->is_object())
        return false;
    nlohmann::json job = *jobIt;
    JobDraft d;
    // A template of this draft's own defaults would leak into a job that did not ask for them.
    d.name.clear();
    d.workingDirectory.clear();
    d.environment.clear();
    d.script.clear();
    if (const auto top = body.find("script"); top != body.end() && top->is_string())
        d.script = toQ(top->get<std::string>());
    else
        take(job, "script", d.script, text);
    job.erase("script"); // the top level wins, as in slurmrestd
    take(job, "name", d.name, text);
    take(job, "partition", d.partition, text);
    take(job, "current_working_directory", d.workingDirectory, text);
    take(job, "environment", d.environment, [](const nlohmann::json &v) {
        std::optional<QStringList> out;
        if (!v.is_array())
            return out;
        QStringList lines;
        for (const auto &e : v) {
            if (!e.is_string())
                return out;
            lines << toQ(e.get<std::string>());
        }
        out = lines;
        return out;
    });
    // Only what the form's fields can hold: anything else stays as written.
    const auto upTo = [](qint64 most) {
        return [most](const nlohmann::json &v) {
            const auto n =
                v.is_number_integer() ? std::optional<qint64>(v.get<qint64>()) : std::nullopt;
            return n && *n >= 1 && *n <= most ? std::optional<int>(int(*n)) : std::nullopt;
        };
    };
    take(job, "tasks", d.tasks, upTo(kFormMaxTasks));
    take(job, "cpus_per_task", d.cpusPerTask, upTo(kFormMaxCpusPerTask));
    take(job, "nodes", d.nodes, text);
    take(job, "tres_per_job", d.gpus, [](const nlohmann::json &v) {
        const auto n = gpusOf(v);
        return n && *n >= 1 && *n <= kFormMaxGpus ? n : std::nullopt;
    });
    const auto wrappedUpTo = [](qint64 most) {
        return [most](const nlohmann::json &v) {
            const auto n = finiteNumber(v);
            return n && *n > 0 && *n <= most ? n : std::nullopt;
        };
    };
    take(job, "memory_per_node", d.memoryMb, wrappedUpTo(kFormMaxMemoryMb));
    take(job, "time_limit", d.timeLimitMinutes, wrappedUpTo(kFormMaxTimeMinutes));
    take(job, "standard_output", d.standardOutput, text);
    take(job, "standard_error", d.standardError, text);
    take(job, "array", d.array, text);
    take(job, "dependency", d.dependency, text);
    take(job, "mail_type", d.mailOnEnd, [](const nlohmann::json &v) {
        return isEndOnly(v) ? std::optional<bool>(true) : std::nullopt;
    });
    d.extra = std::move(job);
    *draft = std::move(d);
    return true;
}

} // namespace clusterra
