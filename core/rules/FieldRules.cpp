#include "core/rules/FieldRules.h"

#include "core/util/Json.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QSet>

namespace clusterra::rules {

namespace {
QString tr(const char *text) {
    return QCoreApplication::translate("FieldRules", text);
}

QString kindName(Kind kind) {
    switch (kind) {
    case Kind::String:
        return tr("a string");
    case Kind::Integer:
        return tr("an integer");
    case Kind::Boolean:
        return tr("true or false");
    case Kind::Array:
        return tr("an array");
    case Kind::Object:
        return tr("an object");
    }
    return {};
}

bool hasKind(const nlohmann::json &v, Kind kind) {
    switch (kind) {
    case Kind::String:
        return v.is_string();
    case Kind::Integer:
        return v.is_number_integer();
    case Kind::Boolean:
        return v.is_boolean();
    case Kind::Array:
        return v.is_array();
    case Kind::Object:
        return v.is_object();
    }
    return false;
}

QString scopeName(unsigned scope) {
    if (scope == AwsOnly)
        return tr("AWS clusters");
    if (scope == SlurmOnly)
        return tr("existing Slurm clusters");
    if (scope == LocalOnly)
        return tr("local clusters");
    return tr("this kind of cluster");
}

void checkValue(const nlohmann::json &v, const QString &path, const FieldRule &rule,
                FieldErrors &errors) {
    if (!hasKind(v, rule.kind)) {
        errors.append({path, tr("must be %1, not %2.").arg(kindName(rule.kind), jsonTypeName(v))});
        return;
    }
    if (rule.kind == Kind::String) {
        const QString s = toQ(v.get<std::string>());
        const qint64 len = s.size();
        if (len < rule.minLength || len > rule.maxLength) {
            if (rule.minLength == rule.maxLength)
                errors.append(
                    {path, tr("must be exactly %1 characters long.").arg(rule.minLength)});
            else if (rule.maxLength == std::numeric_limits<qint64>::max())
                errors.append(
                    {path, tr("must be at least %1 characters long.").arg(rule.minLength)});
            else if (rule.minLength <= 1 && len == 0)
                errors.append({path, tr("must not be empty.")});
            else
                errors.append({path, tr("must be %1 to %2 characters long (it has %3).")
                                         .arg(rule.minLength)
                                         .arg(rule.maxLength)
                                         .arg(len)});
            return;
        }
        if (!rule.allowed.empty()) {
            QStringList names;
            for (const char *a : rule.allowed) {
                if (s == QLatin1String(a))
                    return;
                names << QStringLiteral("\"%1\"").arg(QLatin1String(a));
            }
            errors.append({path, tr("must be one of %1.").arg(names.join(QStringLiteral(", ")))});
            return;
        }
        if (rule.pattern) {
            const QRegularExpression re(
                QStringLiteral("\\A(?:%1)\\z").arg(QLatin1String(rule.pattern)));
            if (!re.match(s).hasMatch())
                errors.append({path, rule.patternHint ? QCoreApplication::translate(
                                                            "FieldRules", rule.patternHint)
                                                      : tr("has an invalid format.")});
        }
    } else if (rule.kind == Kind::Integer) {
        const qint64 n = v.get<qint64>();
        if (n < rule.minimum || n > rule.maximum) {
            if (rule.maximum == std::numeric_limits<qint64>::max())
                errors.append({path, tr("must be at least %1.").arg(rule.minimum)});
            else
                errors.append(
                    {path, tr("must be between %1 and %2.").arg(rule.minimum).arg(rule.maximum)});
        }
    } else if (rule.kind == Kind::Array) {
        const qint64 n = qint64(v.size());
        if (n < rule.minLength)
            errors.append({path, rule.minLength == 1
                                     ? tr("needs at least one entry.")
                                     : tr("needs at least %1 entries.").arg(rule.minLength)});
        else if (n > rule.maxLength)
            errors.append(
                {path, tr("may have at most %1 entries (it has %2).").arg(rule.maxLength).arg(n)});
    }
}
} // namespace

QString joinPath(const QString &base, const char *key) {
    return base.isEmpty() ? QString::fromUtf8(key)
                          : base + QLatin1Char('.') + QString::fromUtf8(key);
}

QString indexPath(const QString &base, qsizetype index) {
    return base + QLatin1Char('[') + QString::number(index) + QLatin1Char(']');
}

void checkObject(const nlohmann::json &object, const QString &path,
                 std::span<const FieldRule> rules, unsigned scope, FieldErrors &errors) {
    if (!object.is_object()) {
        errors.append({path, tr("must be a JSON object, not %1.").arg(jsonTypeName(object))});
        return;
    }
    QSet<QString> known;
    for (const FieldRule &rule : rules) {
        known.insert(QString::fromUtf8(rule.key));
        const QString fieldPath = joinPath(path, rule.key);
        const auto it = object.find(rule.key);
        const bool present = it != object.end() && !it->is_null();
        const bool inScope = (rule.scope & scope) != 0;
        if (!inScope) {
            if (present)
                errors.append({fieldPath, tr("is only valid for %1.").arg(scopeName(rule.scope))});
            continue;
        }
        if (!present) {
            if (rule.required)
                errors.append({fieldPath, tr("is required.")});
            continue;
        }
        checkValue(*it, fieldPath, rule, errors);
    }
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString key = toQ(it.key());
        if (!known.contains(key))
            errors.append({joinPath(path, it.key().c_str()), tr("is not a known field.")});
    }
}

FieldErrors errorsFor(const FieldErrors &errors, const QString &field) {
    FieldErrors out;
    for (const auto &e : errors) {
        if (e.field == field || e.field.startsWith(field + QLatin1Char('.')) ||
            e.field.startsWith(field + QLatin1Char('[')))
            out.append(e);
    }
    return out;
}

} // namespace clusterra::rules
