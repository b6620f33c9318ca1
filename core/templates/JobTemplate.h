#pragma once

#include "core/base/ApiError.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <nlohmann/json.hpp>
#include <optional>

namespace clusterra {

enum class ParamType { String, Integer, Number, Boolean, Enum, FileKey };

struct TemplateParam {
    QString name;
    ParamType type = ParamType::String;
    QString label;
    QString description;
    bool required = false;
    nlohmann::json defaultValue; // null: no default
    std::optional<double> minimum;
    std::optional<double> maximum;
    QStringList choices; // Enum
    QString pattern;     // String: full-match regular expression
    int maxLength = 1024;
};

// A parameterised job from the catalog (resources/templates). The script holds {{name}}
// placeholders; `job` is a v0.0.44 job object whose values may be {"param": "name"}.
struct JobTemplate {
    QString id;
    QString name;
    QString description;
    QString category;
    QList<TemplateParam> params;
    QString script;
    nlohmann::json job;

    static std::optional<JobTemplate> fromJson(const nlohmann::json &def, QString *error);
    nlohmann::json summaryJson() const; // list entry
    nlohmann::json schemaJson() const;  // full parameter schema

    // Checks `params` (unknown names, types, ranges, enums, patterns) and fills defaults.
    FieldErrors checkParams(const nlohmann::json &params, nlohmann::json &resolved) const;
    // Renders a v0.0.44 submit body. Every value enters the script single-quoted, so no value
    // can run shell code; `resolved` must come from checkParams.
    nlohmann::json render(const nlohmann::json &resolved) const;
};

QString paramTypeName(ParamType type);
// POSIX shell single quoting: abc -> 'abc', it's -> 'it'\''s'.
QString shellQuote(const QString &value);

} // namespace clusterra
