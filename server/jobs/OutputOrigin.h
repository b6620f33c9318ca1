#pragma once

#include <QString>
#include <nlohmann/json.hpp>

namespace clusterra::server {

// What a file is right now: which one (device and inode), how long, last written when.
struct FileIdentity {
    qint64 device = -1;
    qint64 inode = -1;
    qint64 size = 0;
    qint64 mtimeNs = 0;
    bool exists() const { return inode >= 0; }
    bool sameFile(const FileIdentity &o) const { return device == o.device && inode == o.inode; }
};
FileIdentity identifyPath(const QString &path); // lstat: a symlink is not the output
FileIdentity identifyOpen(int fd);

// Where a job's own output starts in its file. The file may hold an earlier run's output when
// the job is submitted (a fixed name reused, slurm-%j.out of a recycled id); the scheduler
// truncates it when the job starts (Slurm's default) or appends (open_mode append); the job
// or someone else may truncate or replace it while it runs.
struct OutputOrigin {
    // The file the job's output is in, and the offset of its first byte there; inode < 0: no
    // file yet when the job was submitted (the first one to appear is the job's).
    qint64 device = -1;
    qint64 inode = -1;
    qint64 offset = 0;
    // Truncate mode, with an earlier run's bytes in the file at submit: none of them is the
    // job's, and until the file differs from this snapshot nothing else is there either.
    bool staleUntilChanged = false;
    qint64 staleSize = 0;
    qint64 staleMtimeNs = 0;

    nlohmann::json toJson() const;
    static OutputOrigin fromJson(const nlohmann::json &j);
};

// The origin of a job about to be submitted whose output goes to `path`.
OutputOrigin markOutput(const FileIdentity &now, bool append, qint64 submitMs);

// This job's part of the file as it is `now`: bytes from `base` on, none yet when `empty`.
// `updated` is set when the file was truncated or replaced since `origin` (persist it);
// `restarted` says whether bytes shown before may no longer be there.
struct OutputWindow {
    qint64 base = 0;
    bool empty = false;
    bool restarted = false;
    std::optional<OutputOrigin> updated;
};
OutputWindow resolveOutput(const OutputOrigin &origin, const FileIdentity &now);

} // namespace clusterra::server
