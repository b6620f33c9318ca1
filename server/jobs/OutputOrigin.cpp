#include "server/jobs/OutputOrigin.h"

#include "core/util/Json.h"

#include <QFile>
#include <sys/stat.h>

namespace clusterra::server {

namespace {
FileIdentity fromStat(const struct stat &st) {
    FileIdentity id;
    if (!S_ISREG(st.st_mode))
        return id;
    id.device = qint64(st.st_dev);
    id.inode = qint64(st.st_ino);
    id.size = qint64(st.st_size);
    id.mtimeNs = qint64(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    return id;
}

OutputOrigin startingAt(const FileIdentity &file, qint64 offset) {
    OutputOrigin o;
    o.device = file.device;
    o.inode = file.inode;
    o.offset = offset;
    return o;
}
} // namespace

FileIdentity identifyPath(const QString &path) {
    struct stat st {};
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        return {};
    return fromStat(st);
}

FileIdentity identifyOpen(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0)
        return {};
    return fromStat(st);
}

nlohmann::json OutputOrigin::toJson() const {
    nlohmann::json j{{"device", device}, {"inode", inode}, {"offset", offset}};
    if (staleUntilChanged) {
        j["stale_size"] = staleSize;
        j["stale_mtime_ns"] = staleMtimeNs;
    }
    return j;
}

OutputOrigin OutputOrigin::fromJson(const nlohmann::json &j) {
    OutputOrigin o;
    o.device = intMember(j, "device").value_or(-1);
    o.inode = intMember(j, "inode").value_or(-1);
    o.offset = qMax<qint64>(0, intMember(j, "offset").value_or(0));
    if (const auto size = intMember(j, "stale_size")) {
        o.staleUntilChanged = true;
        o.staleSize = *size;
        o.staleMtimeNs = intMember(j, "stale_mtime_ns").value_or(0);
    }
    return o;
}

OutputOrigin markOutput(const FileIdentity &now, bool append, qint64 submitMs) {
    if (!now.exists())
        return {};
    if (append)
        return startingAt(now, now.size);
    // Written since the submit began: the job is already writing, all of it is its own. (The
    // margin covers the kernel's coarse file clock, a few milliseconds behind.)
    constexpr qint64 kClockSlackNs = 20 * 1000000;
    if (now.size == 0 || now.mtimeNs >= submitMs * 1000000 - kClockSlackNs)
        return startingAt(now, 0);
    OutputOrigin o = startingAt(now, 0);
    o.staleUntilChanged = true;
    o.staleSize = now.size;
    o.staleMtimeNs = now.mtimeNs;
    return o;
}

OutputWindow resolveOutput(const OutputOrigin &origin, const FileIdentity &now) {
    OutputWindow w;
    if (!now.exists()) {
        w.empty = true;
        return w;
    }
    if (origin.staleUntilChanged && now.sameFile({origin.device, origin.inode}) &&
        now.size == origin.staleSize && now.mtimeNs == origin.staleMtimeNs) {
        w.base = now.size; // the earlier run's bytes, untouched: the job has not started
        w.empty = true;
        return w;
    }
    if (origin.staleUntilChanged || !now.sameFile({origin.device, origin.inode})) {
        // Truncated by the job's start, created, or replaced: the job's bytes start at 0. Only
        // a replacement of a file the job already had loses bytes someone may have seen.
        w.restarted = origin.inode >= 0 && !origin.staleUntilChanged;
        w.updated = startingAt(now, 0);
        return w;
    }
    if (now.size < origin.offset) { // truncated below the job's start
        w.restarted = true;
        w.updated = startingAt(now, 0);
        return w;
    }
    w.base = origin.offset;
    return w;
}

} // namespace clusterra::server
