#include "core/util/Json.h"

#include <cmath>
#include <cstdint>
#include <limits>

namespace clusterra {

QString stringOr(const nlohmann::json &obj, const char *key, const QString &fallback) {
    if (!obj.is_object())
        return fallback;
    const auto it = obj.find(key);
    if (it == obj.end() || !it->is_string())
        return fallback;
    return toQ(it->get<std::string>());
}

std::optional<qint64> intMember(const nlohmann::json &obj, const char *key) {
    if (!obj.is_object())
        return std::nullopt;
    const auto it = obj.find(key);
    if (it == obj.end() || !it->is_number_integer())
        return std::nullopt;
    return it->get<qint64>();
}

bool boolOr(const nlohmann::json &obj, const char *key, bool fallback) {
    if (!obj.is_object())
        return fallback;
    const auto it = obj.find(key);
    return (it != obj.end() && it->is_boolean()) ? it->get<bool>() : fallback;
}

QStringList stringList(const nlohmann::json &array) {
    QStringList out;
    if (!array.is_array())
        return out;
    for (const auto &item : array) {
        if (item.is_string())
            out.append(toQ(item.get<std::string>()));
    }
    return out;
}

nlohmann::json toJsonArray(const QStringList &list) {
    auto out = nlohmann::json::array();
    for (const auto &s : list)
        out.push_back(toStd(s));
    return out;
}

bool jsonDepthWithin(const char *text, size_t size, int maxDepth) {
    int depth = 0;
    bool inString = false;
    for (size_t i = 0; i < size; ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i; // the escaped character cannot end the string
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > maxDepth)
                return false;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return true;
}

nlohmann::json parseJson(const QByteArray &text) {
    // nlohmann stops at a NUL byte as at the end of the text, so `{}\0anything` would pass;
    // JSON never holds one (not even inside a string), so such text is not JSON.
    if (text.contains('\0') || !jsonDepthWithin(text.constData(), size_t(text.size())))
        return nlohmann::json(nlohmann::json::value_t::discarded);
    return nlohmann::json::parse(text.constBegin(), text.constEnd(), nullptr, false);
}

std::optional<qint64> integerOf(const nlohmann::json &value) {
    if (value.is_number_unsigned()) {
        const auto u = value.get<std::uint64_t>();
        return u <= std::uint64_t(std::numeric_limits<qint64>::max()) ? std::optional(qint64(u))
                                                                      : std::nullopt;
    }
    if (value.is_number_integer())
        return value.get<qint64>();
    if (value.is_number_float()) {
        const double d = value.get<double>();
        // 2^63 is exact as a double; anything at or beyond it does not fit.
        if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0) || d != std::trunc(d))
            return std::nullopt;
        return qint64(d);
    }
    return std::nullopt;
}

const nlohmann::json &member(const nlohmann::json &obj, const char *key) {
    static const nlohmann::json null;
    if (!obj.is_object())
        return null;
    const auto it = obj.find(key);
    return it != obj.end() ? *it : null;
}

const nlohmann::json &arrayMember(const nlohmann::json &obj, const char *key) {
    static const nlohmann::json empty = nlohmann::json::array();
    if (!obj.is_object())
        return empty;
    const auto it = obj.find(key);
    return it != obj.end() && it->is_array() ? *it : empty;
}

const nlohmann::json &objectMember(const nlohmann::json &obj, const char *key) {
    static const nlohmann::json empty = nlohmann::json::object();
    if (!obj.is_object())
        return empty;
    const auto it = obj.find(key);
    return it != obj.end() && it->is_object() ? *it : empty;
}

QByteArray dumpJson(const nlohmann::json &value) {
    const std::string s = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return QByteArray(s.data(), qsizetype(s.size()));
}

QString jsonTypeName(const nlohmann::json &value) {
    switch (value.type()) {
    case nlohmann::json::value_t::null:
        return QStringLiteral("null");
    case nlohmann::json::value_t::object:
        return QStringLiteral("an object");
    case nlohmann::json::value_t::array:
        return QStringLiteral("an array");
    case nlohmann::json::value_t::string:
        return QStringLiteral("a string");
    case nlohmann::json::value_t::boolean:
        return QStringLiteral("a boolean");
    case nlohmann::json::value_t::number_float:
        return QStringLiteral("a decimal number");
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
        return QStringLiteral("an integer");
    default:
        return QStringLiteral("an unsupported value");
    }
}

} // namespace clusterra
