#pragma once

#include "core/templates/JobTemplate.h"

#include <QMap>

namespace clusterra::server {

// The job templates shipped in resources/templates (compiled in as Qt resources).
class TemplateCatalog {
public:
    bool load(const QString &directory, QString *error);
    const JobTemplate *find(const QString &id) const;
    nlohmann::json listJson() const;

private:
    QMap<QString, JobTemplate> m_templates;
};

} // namespace clusterra::server
