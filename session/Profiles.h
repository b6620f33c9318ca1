#pragma once

#include <QString>
#include <QStringList>
#include <QUrl>

namespace clusterra {

// Connection profiles in QSettings. "Local" (no URL) means the embedded server; others point at
// a server URL, signing in through the browser (OIDC) or with a local token file.
struct Profile {
    QString name;
    QUrl url; // empty: the embedded local server
    QString localDataDir;
    QString tokenFile; // a remote server's local token, read at each launch; empty: browser
    bool isLocal() const { return url.isEmpty(); }
    // What the window names: the profile, and the server when it is not in the name.
    QString displayName() const;

    static QStringList names();
    static bool exists(const QString &name);
    // A saved profile of that name; an unknown name (a deleted profile, an old setting) is
    // the Local profile, so a launch never shows one server under another's name.
    static Profile load(const QString &name);
    // The saved profile for `url`, or a new one named after its host, port and path.
    static Profile forServer(const QUrl &url);
    static void save(const Profile &profile);
    static QString lastUsed();
    static void setLastUsed(const QString &name);
    static QString defaultLocalDataDir();
};

} // namespace clusterra
