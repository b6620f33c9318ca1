#include "session/Profiles.h"

#include "session/Settings.h"

#include <QDir>
#include <QSettings>
#include <QStandardPaths>

namespace clusterra {

namespace {
const QString kLocal = QStringLiteral("Local");

QString serverName(const QUrl &url) {
    QString name = url.host();
    if (url.port() > 0)
        name += QLatin1Char(':') + QString::number(url.port());
    const QString path = url.path(QUrl::FullyDecoded);
    if (!path.isEmpty() && path != QLatin1String("/"))
        name += path.endsWith(QLatin1Char('/')) ? path.chopped(1) : path;
    return name;
}
} // namespace

QString Profile::defaultLocalDataDir() {
    return QDir(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation))
        .filePath(QStringLiteral("clusterra/server"));
}

QString Profile::displayName() const {
    if (isLocal())
        return name;
    const QString server = serverName(url);
    return name == server ? name : QStringLiteral("%1 — %2").arg(name, server);
}

QStringList Profile::names() {
    QSettings s;
    s.beginGroup(QStringLiteral("profiles"));
    QStringList out;
    for (const QString &group : s.childGroups())
        out << QUrl::fromPercentEncoding(group.toLatin1());
    if (!out.contains(kLocal))
        out.prepend(kLocal);
    return out;
}

bool Profile::exists(const QString &name) {
    return name == kLocal || Settings(name).contains(settings::profileUrl);
}

Profile Profile::load(const QString &name) {
    Profile p;
    p.name = exists(name) ? name : kLocal;
    const Settings s(p.name);
    p.url = QUrl(s.get(settings::profileUrl));
    p.localDataDir = s.contains(settings::profileDataDir) ? s.get(settings::profileDataDir)
                                                          : defaultLocalDataDir();
    p.tokenFile = s.get(settings::profileTokenFile);
    return p;
}

Profile Profile::forServer(const QUrl &url) {
    const QUrl wanted = url.adjusted(QUrl::StripTrailingSlash);
    for (const QString &name : names()) {
        Profile p = load(name);
        if (!p.isLocal() && p.url.adjusted(QUrl::StripTrailingSlash) == wanted)
            return p;
    }
    Profile p = load(kLocal);
    p.name = serverName(url);
    p.url = url;
    p.tokenFile.clear();
    return p;
}

void Profile::save(const Profile &p) {
    const Settings s(p.name);
    s.set(settings::profileUrl, p.url.toString());
    s.set(settings::profileDataDir, p.localDataDir);
    if (p.tokenFile.isEmpty())
        s.remove(settings::profileTokenFile);
    else
        s.set(settings::profileTokenFile, p.tokenFile);
}

QString Profile::lastUsed() {
    return Settings().get(settings::lastProfile);
}

void Profile::setLastUsed(const QString &name) {
    Settings().set(settings::lastProfile, name);
}

} // namespace clusterra
