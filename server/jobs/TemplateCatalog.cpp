#include "server/jobs/TemplateCatalog.h"

#include "core/util/Json.h"

#include <QDir>
#include <QFile>

namespace clusterra::server {

bool TemplateCatalog::load(const QString &directory, QString *error) {
    const QDir dir(directory);
    const QStringList files = dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    for (const QString &name : files) {
        QFile f(dir.filePath(name));
        if (!f.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read template %1").arg(name);
            return false;
        }
        auto t = JobTemplate::fromJson(parseJson(f.readAll()), error);
        if (!t)
            return false;
        m_templates.insert(t->id, *t);
    }
    if (m_templates.isEmpty()) {
        *error = QStringLiteral("no job templates found in %1").arg(directory);
        return false;
    }
    return true;
}

static const JobTemplate *findIn(const QMap<QString, JobTemplate> &map, const QString &id) {
    const auto it = map.constFind(id);
    return it == map.constEnd() ? nullptr : &it.value();
}

const JobTemplate *TemplateCatalog::find(const QString &id) const {
    return findIn(m_templates, id);
}

nlohmann::json TemplateCatalog::listJson() const {
    auto out = nlohmann::json::array();
    for (const auto &t : m_templates)
        out.push_back(t.summaryJson());
    const size_t total = out.size();
    return {{"templates", std::move(out)}, {"total", total}};
}

} // namespace clusterra::server
