#pragma once

#include "core/base/ApiError.h"

#include <QString>
#include <limits>
#include <nlohmann/json.hpp>
#include <span>

namespace clusterra::rules {

enum class Kind { String, Integer, Boolean, Array, Object };

// Which providers a field belongs to. Fields out of scope are refused if present.
enum Scope : unsigned { AnyProvider = 0x7, LocalOnly = 0x1, AwsOnly = 0x2, SlurmOnly = 0x4 };

// One field's constraints, as data: the server and the console's forms check the same table.
struct FieldRule {
    const char *key;
    Kind kind;
    bool required = false; // required when in scope
    unsigned scope = AnyProvider;
    qint64 minLength = 0; // characters for strings, items for arrays
    qint64 maxLength = std::numeric_limits<qint64>::max();
    qint64 minimum = std::numeric_limits<qint64>::min();
    qint64 maximum = std::numeric_limits<qint64>::max();
    const char *pattern = nullptr; // full-match regular expression for strings
    const char *patternHint = nullptr;
    std::span<const char *const> allowed = {}; // enumerated string values
};

QString joinPath(const QString &base, const char *key);
QString indexPath(const QString &base, qsizetype index);

// Checks the members of `object` against `rules`; unknown members are errors too.
// `scope` is the provider bit of the object being checked.
void checkObject(const nlohmann::json &object, const QString &path,
                 std::span<const FieldRule> rules, unsigned scope, FieldErrors &errors);

// The errors whose field is `field` or lies below it: lets a form show one field's message.
FieldErrors errorsFor(const FieldErrors &errors, const QString &field);

} // namespace clusterra::rules
