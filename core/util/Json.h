#pragma once

#include <QString>
#include <QStringList>
#include <nlohmann/json.hpp>
#include <optional>

namespace clusterra {

inline std::string toStd(const QString &s) {
    return s.toStdString();
}
inline QString toQ(const std::string &s) {
    return QString::fromStdString(s);
}

// A string member, or `fallback` when it is missing or not a string.
QString stringOr(const nlohmann::json &obj, const char *key, const QString &fallback = {});
std::optional<qint64> intMember(const nlohmann::json &obj, const char *key);
// Any JSON number as an integer when it is one that fits (2.0 yes, 2.5, 1e300 and NaN no).
std::optional<qint64> integerOf(const nlohmann::json &value);
bool boolOr(const nlohmann::json &obj, const char *key, bool fallback);
QStringList stringList(const nlohmann::json &array);
nlohmann::json toJsonArray(const QStringList &list);

// The deepest nesting any document this project reads may have. Deeper text is refused before
// parsing, because copying or destroying a value recurses once per level.
inline constexpr int kMaxJsonDepth = 64;

// True when no array or object in `text` nests deeper than `maxDepth` (strings are skipped, so
// brackets inside them do not count). Linear and allocation-free; it does not validate JSON.
bool jsonDepthWithin(const char *text, size_t size, int maxDepth = kMaxJsonDepth);

// Parses without throwing; a discarded value means the text was not JSON (a NUL byte anywhere
// included) or nested deeper than kMaxJsonDepth.
nlohmann::json parseJson(const QByteArray &text);

// Member accessors that never throw: the member when it has that type, else an empty value.
const nlohmann::json &member(const nlohmann::json &obj, const char *key); // null if absent
const nlohmann::json &arrayMember(const nlohmann::json &obj, const char *key);
const nlohmann::json &objectMember(const nlohmann::json &obj, const char *key);
QByteArray dumpJson(const nlohmann::json &value);

// A short English name of the JSON type, for error messages ("a string", "an object").
QString jsonTypeName(const nlohmann::json &value);

} // namespace clusterra
