#include "core/templates/JobTemplate.h"

#include "core/rules/StorageRules.h"

#include "core/util/Json.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <cmath>

namespace clusterra {

namespace {
QString tr(const char *text) {
    return QCoreApplication::translate("JobTemplate", text);
}

const std::array<std::pair<ParamType, const char *>, 6> kTypeNames{{
    {ParamType::String, "string"},
    {ParamType::Integer, "integer"},
    {ParamType::Number, "number"},
    {ParamType::Boolean, "boolean"},
    {ParamType::Enum, "enum"},
    {ParamType::FileKey, "file"},
}};

std::optional<ParamType> typeFromName(const QString &name) {
    for (const auto &[type, n] : kTypeNames) {
        if (name == QLatin1String(n))
            return type;
    }
    return std::nullopt;
}

QString valueAsText(const nlohmann::json &v) {
    if (v.is_string())
        return toQ(v.get<std::string>());
    if (v.is_boolean())
        return v.get<bool>() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.is_number_integer())
        return QString::number(v.get<qint64>());
    if (v.is_number())
        return QString::number(v.get<double>(), 'g', 15);
    return {};
}

// Replaces {{name}} placeholders; `quote` decides how each value is written.
QString substitute(const QString &text, const nlohmann::json &resolved, bool quote) {
    static const QRegularExpression re(
        QStringLiteral("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\}\\}"));
    QString out;
    qsizetype last = 0;
    auto it = re.globalMatch(text);
    while (it.hasNext()) {
        const auto m = it.next();
        out += QStringView(text).mid(last, m.capturedStart() - last);
        const auto v = resolved.find(toStd(m.captured(1)));
        const QString value = v == resolved.end() ? QString() : valueAsText(*v);
        out += quote ? shellQuote(value) : value;
        last = m.capturedEnd();
    }
    out += QStringView(text).mid(last);
    return out;
}

nlohmann::json renderJobValue(const nlohmann::json &value, const nlohmann::json &resolved) {
    if (value.is_object() && value.size() == 1 && value.contains("param")) {
        const nlohmann::json &name = value["param"];
        return name.is_string() ? member(resolved, name.get_ref<const std::string &>().c_str())
                                : nlohmann::json();
    }
    if (value.is_string())
        return toStd(substitute(toQ(value.get<std::string>()), resolved, false));
    if (value.is_array()) {
        auto out = nlohmann::json::array();
        for (const auto &item : value)
            out.push_back(renderJobValue(item, resolved));
        return out;
    }
    if (value.is_object()) {
        nlohmann::json out = nlohmann::json::object();
        for (auto it = value.begin(); it != value.end(); ++it)
            out[it.key()] = renderJobValue(it.value(), resolved);
        return out;
    }
    return value;
}
} // namespace

QString paramTypeName(ParamType type) {
    for (const auto &[t, n] : kTypeNames) {
        if (t == type)
            return QString::fromLatin1(n);
    }
    return {};
}

QString shellQuote(const QString &value) {
    QString out = value;
    out.replace(QLatin1Char('\''), QLatin1String("'\\''"));
    return QLatin1Char('\'') + out + QLatin1Char('\'');
}

std::optional<JobTemplate> JobTemplate::fromJson(const nlohmann::json &def, QString *error) {
    auto fail = [error](const QString &why) -> std::optional<JobTemplate> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (!def.is_object())
        return fail(QStringLiteral("template is not an object"));
    JobTemplate t;
    t.id = stringOr(def, "id");
    t.name = stringOr(def, "name", t.id);
    t.description = stringOr(def, "description");
    t.category = stringOr(def, "category");
    t.script = stringOr(def, "script");
    t.job = objectMember(def, "job");
    static const QRegularExpression idRe(QStringLiteral("\\A[a-z0-9][a-z0-9-]*\\z"));
    if (!idRe.match(t.id).hasMatch())
        return fail(QStringLiteral("template id \"%1\" is invalid").arg(t.id));
    if (!t.script.startsWith(QLatin1String("#!")))
        return fail(QStringLiteral("template %1 has no #! script").arg(t.id));
    for (const auto &p : arrayMember(def, "parameters")) {
        TemplateParam param;
        param.name = stringOr(p, "name");
        const auto type = typeFromName(stringOr(p, "type"));
        if (param.name.isEmpty() || !type)
            return fail(
                QStringLiteral("template %1 has a parameter without name or type").arg(t.id));
        param.type = *type;
        param.label = stringOr(p, "label", param.name);
        param.description = stringOr(p, "description");
        param.required = boolOr(p, "required", false);
        param.defaultValue = p.value("default", nlohmann::json());
        if (p.contains("minimum"))
            param.minimum = p["minimum"].get<double>();
        if (p.contains("maximum"))
            param.maximum = p["maximum"].get<double>();
        param.choices = stringList(arrayMember(p, "enum"));
        param.pattern = stringOr(p, "pattern");
        param.maxLength = int(intMember(p, "max_length").value_or(1024));
        t.params.append(param);
    }
    return t;
}

nlohmann::json JobTemplate::summaryJson() const {
    return {{"id", toStd(id)},
            {"name", toStd(name)},
            {"description", toStd(description)},
            {"category", toStd(category)}};
}

nlohmann::json JobTemplate::schemaJson() const {
    nlohmann::json out = summaryJson();
    auto params = nlohmann::json::array();
    for (const auto &p : this->params) {
        nlohmann::json j{{"name", toStd(p.name)},
                         {"type", toStd(paramTypeName(p.type))},
                         {"label", toStd(p.label)},
                         {"description", toStd(p.description)},
                         {"required", p.required}};
        if (!p.defaultValue.is_null())
            j["default"] = p.defaultValue;
        if (p.minimum)
            j["minimum"] = *p.minimum;
        if (p.maximum)
            j["maximum"] = *p.maximum;
        if (!p.choices.isEmpty())
            j["enum"] = toJsonArray(p.choices);
        if (!p.pattern.isEmpty())
            j["pattern"] = toStd(p.pattern);
        if (p.type == ParamType::String || p.type == ParamType::FileKey)
            j["max_length"] = p.maxLength;
        params.push_back(std::move(j));
    }
    out["parameters"] = std::move(params);
    out["script"] = toStd(script);
    out["job"] = job;
    return out;
}

FieldErrors JobTemplate::checkParams(const nlohmann::json &given, nlohmann::json &resolved) const {
    FieldErrors errors;
    resolved = nlohmann::json::object();
    if (!given.is_null() && !given.is_object()) {
        errors.append({QStringLiteral("params"), tr("must be an object of parameter values.")});
        return errors;
    }
    const nlohmann::json params = given.is_null() ? nlohmann::json::object() : given;
    for (auto it = params.begin(); it != params.end(); ++it) {
        const bool known = std::any_of(this->params.begin(), this->params.end(),
                                       [&](const auto &p) { return p.name == toQ(it.key()); });
        if (!known)
            errors.append({QStringLiteral("params.") + toQ(it.key()),
                           tr("is not a parameter of template %1.").arg(id)});
    }
    for (const auto &p : this->params) {
        const QString path = QStringLiteral("params.") + p.name;
        nlohmann::json v = params.value(toStd(p.name), nlohmann::json());
        if (v.is_null())
            v = p.defaultValue;
        if (v.is_null()) {
            if (p.required)
                errors.append({path, tr("is required.")});
            continue;
        }
        switch (p.type) {
        case ParamType::Integer:
        case ParamType::Number: {
            const bool isInt = v.is_number_integer();
            if (p.type == ParamType::Integer ? !isInt : !v.is_number()) {
                errors.append({path, p.type == ParamType::Integer ? tr("must be an integer.")
                                                                  : tr("must be a number.")});
                continue;
            }
            const double d = v.get<double>();
            if (!std::isfinite(d) || (p.minimum && d < *p.minimum) ||
                (p.maximum && d > *p.maximum)) {
                errors.append({path, tr("must be between %1 and %2.")
                                         .arg(p.minimum.value_or(-1e18))
                                         .arg(p.maximum.value_or(1e18))});
                continue;
            }
            break;
        }
        case ParamType::Boolean:
            if (!v.is_boolean()) {
                errors.append({path, tr("must be true or false.")});
                continue;
            }
            break;
        case ParamType::Enum:
            if (!v.is_string() || !p.choices.contains(toQ(v.get<std::string>()))) {
                errors.append(
                    {path, tr("must be one of: %1.").arg(p.choices.join(QStringLiteral(", ")))});
                continue;
            }
            break;
        case ParamType::String:
        case ParamType::FileKey: {
            if (!v.is_string()) {
                errors.append({path, tr("must be a string.")});
                continue;
            }
            const QString s = toQ(v.get<std::string>());
            QString why;
            if (s.size() > p.maxLength) {
                errors.append({path, tr("must be at most %1 characters.").arg(p.maxLength)});
                continue;
            }
            if (s.contains(QChar(0))) {
                errors.append({path, tr("must not contain NUL bytes.")});
                continue;
            }
            if (p.type == ParamType::FileKey && !rules::isSafeObjectKey(s, &why)) {
                errors.append({path, why});
                continue;
            }
            if (!p.pattern.isEmpty() &&
                !QRegularExpression(QStringLiteral("\\A(?:%1)\\z").arg(p.pattern))
                     .match(s)
                     .hasMatch()) {
                errors.append({path, tr("does not have the expected format (%1).").arg(p.pattern)});
                continue;
            }
            if (p.required && s.isEmpty()) {
                errors.append({path, tr("is required.")});
                continue;
            }
            break;
        }
        }
        resolved[toStd(p.name)] = v;
    }
    return errors;
}

nlohmann::json JobTemplate::render(const nlohmann::json &resolved) const {
    nlohmann::json job = renderJobValue(this->job, resolved);
    // Optional parameters left unset drop the job fields that refer to them.
    for (auto it = job.begin(); it != job.end();) {
        if (it->is_null())
            it = job.erase(it);
        else
            ++it;
    }
    return {{"script", toStd(substitute(script, resolved, true))}, {"job", std::move(job)}};
}

} // namespace clusterra
