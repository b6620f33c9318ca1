#pragma once

#include <QString>
#include <QStringList>
#include <QUrl>

namespace clusterra {

// Connection profiles in QSettings. "Local" (no URL) means the embedded server; others point at
// a server URL. Sign-in for remote servers (OIDC) plugs in per profile later.
struct Profile {
    QString name;
    QUrl url; // empty: the embedded local server
    QString localDataDir;
    bool isLocal() const { return url.isEmpty(); }

    static QStringList names();
    static Profile load(const QString &name);
    static void save(const Profile &profile);
    static QString lastUsed();
    static void setLastUsed(const QString &name);
    static QString defaultLocalDataDir();
};

} // namespace clusterra
