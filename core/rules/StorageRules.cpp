#include "rules/StorageRules.h"

#include "templates/JobTemplate.h"

#include <QCoreApplication>

namespace clusterra::rules {

namespace {
QString tr(const char *text) {
    return QCoreApplication::translate("StorageRules", text);
}
} // namespace

QString userPrefix(const QString &area, const QString &email) {
    return area + QLatin1Char('/') + email + QLatin1Char('/');
}

QString storageRefusal(const QString &key, StorageAccess access, const QString &email,
                       bool isAdmin) {
    QString why;
    if (!isSafeObjectKey(key, &why))
        return tr("The key %1").arg(why);
    const QString area = key.section(QLatin1Char('/'), 0, 0);
    if (area == QLatin1String("shared")) {
        if (access == StorageAccess::Write && !isAdmin)
            return tr("Only administrators can write to shared/.");
        return {};
    }
    if (!kUserAreas.contains(area))
        return tr("Keys start with scripts/, data/, outputs/ or shared/.");
    // Administrators included: the user guide promises that nobody reads anyone else's files.
    if (!key.startsWith(userPrefix(area, email)))
        return tr("Your files live under %1; %2 belongs to someone else.")
            .arg(userPrefix(area, email), key);
    return {};
}

bool mayList(const QString &key, const QString &email, bool isAdmin) {
    return storageRefusal(key, StorageAccess::Read, email, isAdmin).isEmpty();
}

} // namespace clusterra::rules
