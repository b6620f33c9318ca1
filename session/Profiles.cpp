#include "session/Profiles.h"

#include <QDir>
#include <QSettings>
#include <QStandardPaths>

namespace clusterra {

namespace {
const QString kLocal = QStringLiteral("Local");

// Settings groups nest at '/', and a profile's name is often a URL: the name is stored
// percent-encoded, so "https://hpc.example.org/x" is one group, not three.
QString groupOf(const QString &name) {
    return QStringLiteral("profiles/") + QString::fromLatin1(QUrl::toPercentEncoding(name));
}

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
    return name == kLocal || QSettings().contains(groupOf(name) + QStringLiteral("/url"));
}

Profile Profile::load(const QString &name) {
    Profile p;
    p.name = exists(name) ? name : kLocal;
    QSettings s;
    s.beginGroup(groupOf(p.name));
    p.url = QUrl(s.value(QStringLiteral("url")).toString());
    p.localDataDir = s.value(QStringLiteral("dataDir"), defaultLocalDataDir()).toString();
    p.tokenFile = s.value(QStringLiteral("tokenFile")).toString();
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
    QSettings s;
    s.beginGroup(groupOf(p.name));
    s.setValue(QStringLiteral("url"), p.url.toString());
    s.setValue(QStringLiteral("dataDir"), p.localDataDir);
    if (p.tokenFile.isEmpty())
        s.remove(QStringLiteral("tokenFile"));
    else
        s.setValue(QStringLiteral("tokenFile"), p.tokenFile);
}

QString Profile::lastUsed() {
    return QSettings().value(QStringLiteral("lastProfile"), kLocal).toString();
}

void Profile::setLastUsed(const QString &name) {
    QSettings().setValue(QStringLiteral("lastProfile"), name);
}

} // namespace clusterra
