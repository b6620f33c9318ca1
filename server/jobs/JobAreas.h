#pragma once

#include <QString>
#include <QStringList>
#include <optional>

namespace clusterra::server {

// Where one user's jobs may put files. With per-user accounts (OIDC mode, run as root) a job
// runs as its owner's uid in a home the server makes for it; in local single-user mode the
// home is the data directory's `efs` folder. Either way the rest of the data directory, which
// holds the server's secrets, is out of bounds even for paths that name it from inside.
class JobAreas {
public:
    JobAreas(QString home, QStringList otherAreas, QString forbidden);

    const QString &home() const { return m_home; }
    // `path` (absolute, or relative to `base`) as a clean absolute path when it lies in one of
    // the areas; std::nullopt with `why` set otherwise. Lexical only: the job opens the file
    // itself, as its own user, and the server reads it back only through openJobOutput().
    std::optional<QString> resolve(const QString &path, const QString &base, QString *why) const;

private:
    QString m_home;
    QStringList m_areas;
    QString m_forbidden;
};

// Opens a job's output file for reading the way its owner left it: never through a symlink,
// never a FIFO or device (the open does not block), only a regular file owned by `ownerUid`
// when the scheduler knows it.
// The descriptor (close-on-exec) or -1 with `why` set.
int openJobOutput(const QString &path, std::optional<qint64> ownerUid, QString *why);

} // namespace clusterra::server
