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
bool boolOr(const nlohmann::json &obj, const char *key, bool fallback);
QStringList stringList(const nlohmann::json &array);
nlohmann::json toJsonArray(const QStringList &list);

// Parses without throwing; a discarded value means the text was not JSON.
nlohmann::json parseJson(const QByteArray &text);
QByteArray dumpJson(const nlohmann::json &value);

// A short English name of the JSON type, for error messages ("a string", "an object").
QString jsonTypeName(const nlohmann::json &value);

} // namespace clusterra
