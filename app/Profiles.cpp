#include "Profiles.h"

#include <QDir>
#include <QSettings>
#include <QStandardPaths>

namespace clusterra {

QString Profile::defaultLocalDataDir() {
    return QDir(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation))
        .filePath(QStringLiteral("clusterra/server"));
}

QStringList Profile::names() {
    QSettings s;
    s.beginGroup(QStringLiteral("profiles"));
    QStringList out = s.childGroups();
    if (!out.contains(QStringLiteral("Local")))
        out.prepend(QStringLiteral("Local"));
    return out;
}

Profile Profile::load(const QString &name) {
    QSettings s;
    s.beginGroup(QStringLiteral("profiles/") + name);
    Profile p;
    p.name = name;
    p.url = QUrl(s.value(QStringLiteral("url")).toString());
    p.localDataDir = s.value(QStringLiteral("dataDir"), defaultLocalDataDir()).toString();
    return p;
}

void Profile::save(const Profile &p) {
    QSettings s;
    s.beginGroup(QStringLiteral("profiles/") + p.name);
    s.setValue(QStringLiteral("url"), p.url.toString());
    s.setValue(QStringLiteral("dataDir"), p.localDataDir);
}

QString Profile::lastUsed() {
    return QSettings().value(QStringLiteral("lastProfile"), QStringLiteral("Local")).toString();
}

void Profile::setLastUsed(const QString &name) {
    QSettings().setValue(QStringLiteral("lastProfile"), name);
}

} // namespace clusterra
