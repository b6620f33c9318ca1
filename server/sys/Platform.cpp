#include "server/sys/Platform.h"

#include <QFile>
#include <cerrno>
#include <fcntl.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <sys/file.h>
#include <unistd.h>

#if defined(__linux__)
#include <sys/syscall.h>
#endif

namespace clusterra::server::sys {

qint64 copyInKernel(int in, int out, qint64 length) {
    qint64 copied = 0;
#if defined(__linux__)
    if constexpr (kLinuxFastPaths) {
        while (copied < length) {
            const ssize_t n =
                ::copy_file_range(in, nullptr, out, nullptr, size_t(length - copied), 0);
            if (n <= 0)
                break;
            copied += n;
        }
    }
#else
    (void)in;
    (void)out;
    (void)length;
#endif
    return copied;
}

void closeDescriptorsFrom(int first) {
#if defined(__linux__) && defined(SYS_close_range)
    if constexpr (kLinuxFastPaths) {
        if (::syscall(SYS_close_range, unsigned(first), ~0U, 0) == 0)
            return;
    }
#endif
    const long max = ::sysconf(_SC_OPEN_MAX);
    for (long fd = first; fd < (max > 0 ? max : 65536); ++fd)
        ::close(int(fd));
}

QString pathOfOpenFile(int fd) {
    return kLinuxFastPaths ? QStringLiteral("/proc/self/fd/%1").arg(fd)
                           : QStringLiteral("/dev/fd/%1").arg(fd);
}

qint64 physicalMemoryMb() {
    // Both Linux and macOS answer these; /proc/meminfo would say the same on Linux.
    const long pages = ::sysconf(_SC_PHYS_PAGES);
    const long pageSize = ::sysconf(_SC_PAGESIZE);
    if (pages <= 0 || pageSize <= 0)
        return 0;
    return qint64(pages) * pageSize / (1024 * 1024);
}

bool epollByDefault() {
    return kLinuxFastPaths;
}

void returnFreedMemory() {
#if defined(__GLIBC__)
    ::malloc_trim(0);
#endif
}

int lockDirectory(const QString &path, bool *held) {
    *held = false;
    // flock exists on Linux, macOS and the BSDs alike: no portable twin is needed.
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        *held = errno == EWOULDBLOCK;
        ::close(fd);
        return -1;
    }
    return fd;
}

} // namespace clusterra::server::sys
