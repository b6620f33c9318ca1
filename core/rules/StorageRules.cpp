#include "core/rules/StorageRules.h"

#include <QCoreApplication>

namespace clusterra::rules {

namespace {
QString tr(const char *text) {
    return QCoreApplication::translate("StorageRules", text);
}
} // namespace

bool isSafeObjectKey(const QString &key, QString *why) {
    auto fail = [why](const QString &reason) {
        if (why)
            *why = reason;
        return false;
    };
    if (key.isEmpty())
        return fail(tr("is empty."));
    if (key.toUtf8().size() > 1024)
        return fail(tr("is longer than 1024 bytes."));
    if (key.startsWith(QLatin1Char('/')))
        return fail(tr("must not start with \"/\"."));
    if (key.contains(QLatin1Char('\\')))
        return fail(tr("must not contain backslashes."));
    for (const QChar ch : key) {
        if (ch.category() == QChar::Other_Control)
            return fail(tr("must not contain control characters."));
        // U+FFFE, U+FFFF, U+FDD0..U+FDEF are no text: decoders turn them into U+FFFD, so such a
        // key would list under another key's name and page forever.
        if (ch.isNonCharacter())
            return fail(tr("must not contain Unicode noncharacters (such as U+FFFF)."));
    }
    const QStringList segments = key.split(QLatin1Char('/'));
    for (qsizetype i = 0; i < segments.size(); ++i) {
        const QString &s = segments[i];
        // A trailing slash names a folder; every other segment must be a real name.
        if (s.isEmpty() && i == segments.size() - 1 && i > 0)
            continue;
        if (s.isEmpty() || s == QLatin1String(".") || s == QLatin1String(".."))
            return fail(tr("must not contain empty, \".\" or \"..\" path segments."));
    }
    return true;
}

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
