#include "server/jobs/JobAreas.h"

#include <QDir>
#include <QFile>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace clusterra::server {

namespace {
bool inside(const QString &path, const QString &dir) {
    return path == dir || path.startsWith(dir.endsWith(QLatin1Char('/')) ? dir : dir + u'/');
}

bool hasControl(const QString &s) {
    return std::any_of(s.begin(), s.end(), [](QChar c) { return c.unicode() < 0x20; });
}
} // namespace

JobAreas::JobAreas(QString home, QStringList otherAreas, QString forbidden)
    : m_home(QDir::cleanPath(home))
    , m_forbidden(QDir::cleanPath(forbidden)) {
    m_areas << m_home;
    for (const QString &a : std::as_const(otherAreas))
        m_areas << QDir::cleanPath(a);
}

std::optional<QString> JobAreas::resolve(const QString &path, const QString &base,
                                         QString *why) const {
    if (hasControl(path)) {
        *why = QStringLiteral("must not contain control characters.");
        return std::nullopt;
    }
    const QString from = base.isEmpty() ? m_home : base;
    const QString clean = QDir::cleanPath(QDir(from).absoluteFilePath(path));
    const bool inHome = inside(clean, m_home);
    const bool allowed = std::any_of(m_areas.begin(), m_areas.end(),
                                     [&](const QString &a) { return inside(clean, a); });
    if (!allowed || (!inHome && inside(clean, m_forbidden))) {
        *why = QStringLiteral("%1 is outside your areas; output goes under %2")
                   .arg(clean, m_areas.join(QStringLiteral(" or ")));
        return std::nullopt;
    }
    return clean;
}

int openJobOutput(const QString &path, std::optional<qint64> ownerUid, QString *why) {
    const QByteArray native = QFile::encodeName(path);
    const int fd = ::open(native.constData(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        *why = QString::fromLocal8Bit(std::strerror(errno));
        return -1;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        *why = QStringLiteral("not a regular file");
        return -1;
    }
    if (ownerUid && qint64(st.st_uid) != *ownerUid) {
        ::close(fd);
        *why = QStringLiteral("not owned by the job's user");
        return -1;
    }
    // Regular files never block; clear the flag so later reads behave as usual.
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return fd;
}

} // namespace clusterra::server
