// The nesting guard every request body passes first: for any text nlohmann accepts as JSON,
// jsonDepthWithin agrees with the depth the parser itself sees, and parseJson returns a value
// exactly when the text is JSON no deeper than kMaxJsonDepth.
#include "core/util/Json.h"
#include "fuzz/FuzzSupport.h"

#include <algorithm>

using namespace clusterra;
using nlohmann::json;

namespace {

// Counts nesting as the parser meets it, without building a value.
struct DepthCounter : nlohmann::json_sax<json> {
    int depth = 0;
    int deepest = 0;
    bool open() {
        deepest = std::max(deepest, ++depth);
        return true;
    }
    bool close() {
        --depth;
        return true;
    }
    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t &) override { return true; }
    bool string(string_t &) override { return true; }
    bool binary(binary_t &) override { return true; }
    bool start_object(std::size_t) override { return open(); }
    bool key(string_t &) override { return true; }
    bool end_object() override { return close(); }
    bool start_array(std::size_t) override { return open(); }
    bool end_array() override { return close(); }
    bool parse_error(std::size_t, const std::string &,
                     const nlohmann::detail::exception &) override {
        return false;
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(size));
    DepthCounter counter;
    // nlohmann reads a NUL byte as the end of the text; JSON has none anywhere.
    const bool isJson =
        !text.contains('\0') && json::sax_parse(text.constBegin(), text.constEnd(), &counter,
                                                nlohmann::detail::input_format_t::json, true);
    const json parsed = parseJson(text);
    if (!isJson) {
        FUZZ_CHECK(parsed.is_discarded());
        return 0;
    }
    const bool shallow = counter.deepest <= kMaxJsonDepth;
    FUZZ_CHECK(jsonDepthWithin(text.constData(), size_t(text.size())) == shallow);
    FUZZ_CHECK(parsed.is_discarded() != shallow);
    // A smaller limit agrees too, so the guard is exact and not merely generous.
    const int limit = int(size % 8);
    FUZZ_CHECK(jsonDepthWithin(text.constData(), size_t(text.size()), limit) ==
               (counter.deepest <= limit));
    return 0;
}
