#pragma once

#include <QString>

// The few places where the server uses a system call only Linux has, each next to the portable
// code other systems (macOS, the BSDs) run. A CLUSTERRA_PORTABLE build runs the portable code on
// Linux too, so CI tests what those systems would run (scripts/test-sanitized.sh builds so).
namespace clusterra::server::sys {

#if defined(__linux__) && !defined(CLUSTERRA_PORTABLE)
inline constexpr bool kLinuxFastPaths = true;
#else
inline constexpr bool kLinuxFastPaths = false;
#endif

// Appends up to `length` bytes of `in` (from its current offset) to `out` inside the kernel;
// how many it copied, 0 where it cannot: the caller copies the rest itself.
qint64 copyInKernel(int in, int out, qint64 length);

// Closes every descriptor from `first` up. Safe between fork() and exec().
void closeDescriptorsFrom(int first);

// A path that opens the very file open as `fd`, whatever has become of its name since. On
// Linux a fresh open with its own offset; elsewhere (/dev/fd) it may share `fd`'s offset, so
// whoever opens it seeks before reading and `fd` is not read meanwhile.
QString pathOfOpenFile(int fd);

// The machine's physical memory in MiB, 0 when it cannot be told.
qint64 physicalMemoryMb();

// Whether the HTTP loop watches sockets with epoll when it is left to choose.
bool epollByDefault();

// An exclusive lock on a directory that lasts as long as the returned descriptor (and so the
// process): flock(2) on the directory itself, so nothing in it can be deleted or replaced to
// break the lock, and a dead holder leaves nothing stale. -1 when another process holds it or
// it cannot be taken; `held` tells which. The descriptor is not inherited by children.
int lockDirectory(const QString &path, bool *held);

// Hands memory the allocator keeps after frees back to the system (glibc keeps a burst's
// worth of stream buffers otherwise); nothing where the allocator does not need it.
void returnFreedMemory();

} // namespace clusterra::server::sys
