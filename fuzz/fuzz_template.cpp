// The template renderer: catalog definitions and user parameters are untrusted. Any definition
// loads or is refused without crashing; for the shipped catalog, parameters that pass the
// checks render a submit body the validator accepts, and every value reaches the script only
// inside single quotes that a POSIX shell reads back as exactly that value.
#include "core/slurm/JobSubmit.h"
#include "core/templates/JobTemplate.h"
#include "core/util/Json.h"
#include "fuzz/FuzzSupport.h"

#include <QDir>
#include <QFile>

using namespace clusterra;

namespace {

// A POSIX shell's reading of a word made only of '...' and \' parts; nullopt for anything else.
std::optional<QString> unquote(const QString &word) {
    QString out;
    for (qsizetype i = 0; i < word.size();) {
        if (word[i] == QLatin1Char('\'')) {
            const qsizetype end = word.indexOf(QLatin1Char('\''), i + 1);
            if (end < 0)
                return std::nullopt;
            out += word.mid(i + 1, end - i - 1);
            i = end + 1;
        } else if (word.mid(i, 2) == QLatin1String("\\'")) {
            out += QLatin1Char('\'');
            i += 2;
        } else {
            return std::nullopt;
        }
    }
    return out;
}

const QList<JobTemplate> &catalog() {
    static const QList<JobTemplate> templates = [] {
        QList<JobTemplate> out;
        const QDir dir(QStringLiteral(CLUSTERRA_TEMPLATE_DIR));
        for (const QString &name : dir.entryList({QStringLiteral("*.json")}, QDir::Files)) {
            QFile f(dir.filePath(name));
            if (!f.open(QIODevice::ReadOnly))
                continue;
            QString error;
            if (auto t = JobTemplate::fromJson(parseJson(f.readAll()), &error))
                out.append(*t);
        }
        if (out.isEmpty())
            std::abort(); // the fuzzer would test nothing
        return out;
    }();
    return templates;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    FuzzedDataProvider in(data, size);
    const int mode = in.ConsumeIntegralInRange(0, 2);
    if (mode == 0) {
        const QString value = fuzz::text(in, 512);
        const auto back = unquote(shellQuote(value));
        FUZZ_CHECK(back && *back == value);
        return 0;
    }
    if (mode == 1) {
        // Any definition: loads or is refused with a reason, and what loads can render.
        QString error;
        const auto t = JobTemplate::fromJson(parseJson(fuzz::rest(in)), &error);
        if (!t) {
            FUZZ_CHECK(!error.isEmpty());
            return 0;
        }
        (void)t->summaryJson();
        (void)t->schemaJson();
        nlohmann::json resolved;
        if (t->checkParams(nlohmann::json::object(), resolved).isEmpty())
            (void)t->render(resolved);
        return 0;
    }
    const JobTemplate &t = catalog()[in.ConsumeIntegralInRange<qsizetype>(0, catalog().size() - 1)];
    const nlohmann::json params = parseJson(fuzz::rest(in));
    if (params.is_discarded())
        return 0;
    nlohmann::json resolved;
    const FieldErrors errors = t.checkParams(params, resolved);
    if (!errors.isEmpty())
        return 0;
    const nlohmann::json body = t.render(resolved);
    const JobSubmitCheck check = checkJobSubmit(body);
    if (!check.ok()) {
        for (const FieldError &e : check.errors)
            std::fprintf(stderr, "%s: %s: %s\n", qPrintable(t.id), qPrintable(e.field),
                         qPrintable(e.message));
    }
    FUZZ_CHECK(check.ok());
    const QString script = toQ(body.value("script", std::string()));
    for (const auto &[name, value] : resolved.items()) {
        const QString placeholder = QStringLiteral("{{%1}}").arg(toQ(name));
        if (value.is_string() && t.script.contains(placeholder))
            FUZZ_CHECK(script.contains(shellQuote(toQ(value.get<std::string>()))));
    }
    return 0;
}
