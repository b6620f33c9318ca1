#include "server/jobs/JobRunner.h"

#include "core/util/Json.h"
#include "server/sys/Platform.h"

#include <QByteArray>
#include <QFile>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <grp.h>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace clusterra::server {

namespace {
bool writeFileAtomically(const std::string &path, const std::string &content) {
    const std::string tmp = path + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return false;
    const bool ok = ::write(fd, content.data(), content.size()) == ssize_t(content.size());
    ::fsync(fd);
    ::close(fd);
    return ok && ::rename(tmp.c_str(), path.c_str()) == 0;
}

// Every descriptor from `first` up, whatever the server left open when it started us.
void closeFrom(int first) {
    sys::closeDescriptorsFrom(first);
}

[[noreturn]] void fail(const char *what) {
    std::fprintf(stderr, "clusterra: %s: %s\n", what, std::strerror(errno));
    std::fflush(stderr);
    ::_exit(126);
}

// The job's output: created by the job's own user, never through a symlink, and only ever a
// regular file (a FIFO would block the job before it starts, a device is not output). Emptied
// first unless the job appends, as Slurm does; only once it is known to be the user's own.
int openOutput(const std::string &path, bool append) {
    const int fd = ::open(
        path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != ::geteuid()) {
        ::close(fd);
        errno = EPERM;
        return -1;
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    if (!append && ::ftruncate(fd, 0) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// mkdir -p of the output's folder, as the job's user (Slurm would fail; the local executor has
// always made it).
void makeParents(const std::string &path) {
    for (size_t slash = path.find('/', 1); slash != std::string::npos;
         slash = path.find('/', slash + 1))
        ::mkdir(path.substr(0, slash).c_str(), 0755);
}

// Becomes the job's user for good: no supplementary groups, the user's own primary group.
void becomeUser(uid_t uid, gid_t gid) {
    if (::setgroups(0, nullptr) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0)
        fail("cannot switch to the job's user");
    if (::getuid() != uid || ::geteuid() != uid || ::getegid() != gid || ::setuid(0) == 0)
        fail("the job's user could not be made permanent");
}

// The script as a file of the job's own user in its home, so the job can read itself ($0).
std::string writeScript(const std::string &home, long long jobId, const std::string &text) {
    const std::string dir = home + "/.clusterra";
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
        fail("cannot create ~/.clusterra");
    const std::string path = dir + "/job-" + std::to_string(jobId) + ".sh";
    ::unlink(path.c_str());
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0700);
    if (fd < 0 || ::write(fd, text.data(), text.size()) != ssize_t(text.size()))
        fail("cannot write the batch script");
    ::close(fd);
    return path;
}
} // namespace

int runJobFromSpec(const char *specPath) {
    // Nothing of the server's may reach the job: not its sockets, not its database.
    closeFrom(3);
    QFile f(QString::fromLocal8Bit(specPath));
    if (!f.open(QIODevice::ReadOnly))
        return 2;
    const nlohmann::json spec = parseJson(f.readAll());
    f.close();
    if (!spec.is_object())
        return 2;
    auto text = [&](const char *key, const char *fallback = "") {
        return toStd(stringOr(spec, key, QString::fromUtf8(fallback)));
    };
    const std::string scriptText = text("script_text");
    const std::string output = text("output");
    const std::string error = text("error");
    const std::string input = text("input");
    const std::string workDir = text("work_dir");
    const std::string home = text("home", "/tmp");
    const std::string statusPath = text("status_path");
    const std::string pidPath = text("pid_path");
    const long long jobId = intMember(spec, "job_id").value_or(0);
    const bool append = spec.value("append", false);
    const auto uid = intMember(spec, "uid");
    const auto gid = intMember(spec, "gid");
    std::vector<std::string> env;
    for (const auto &e : arrayMember(spec, "environment"))
        if (e.is_string())
            env.push_back(e.get<std::string>());

    ::setsid(); // detach from the server's session; harmless if already a leader
    const pid_t child = ::fork();
    if (child < 0)
        return 3;
    if (child == 0) {
        ::setpgid(0, 0);
        if (uid && gid)
            becomeUser(uid_t(*uid), gid_t(*gid));
        makeParents(output);
        const int out = openOutput(output, append);
        if (out < 0)
            fail(("cannot open the output file " + output).c_str());
        ::dup2(out, STDOUT_FILENO);
        ::dup2(out, STDERR_FILENO);
        if (!error.empty() && error != output) { // the same file twice would be emptied twice
            makeParents(error);
            const int err = openOutput(error, append);
            if (err < 0)
                fail(("cannot open the error file " + error).c_str());
            ::dup2(err, STDERR_FILENO);
        }
        const int in = ::open(input.empty() ? "/dev/null" : input.c_str(), O_RDONLY | O_CLOEXEC);
        ::dup2(in >= 0 ? in : ::open("/dev/null", O_RDONLY | O_CLOEXEC), STDIN_FILENO);
        if (::chdir(workDir.c_str()) != 0) {
            // As slurmstepd does: say so in the output and run somewhere that exists.
            std::fprintf(stderr, "clusterra: couldn't chdir to '%s': %s: going to '%s' instead\n",
                         workDir.c_str(), std::strerror(errno), home.c_str());
            std::fflush(stderr);
            if (::chdir(home.c_str()) != 0)
                fail("cannot enter the home directory");
        }
        std::string script = writeScript(home, jobId, scriptText);
        closeFrom(3);
        std::vector<char *> envp;
        for (auto &e : env)
            envp.push_back(e.data());
        envp.push_back(nullptr);
        char *argv[] = {script.data(), nullptr};
        ::execve(script.c_str(), argv, envp.data());
        std::fprintf(stderr, "clusterra: cannot execute the batch script: %s\n",
                     std::strerror(errno));
        ::_exit(127);
    }
    ::setpgid(child, child); // also from the parent: no race with the server's first signal
    writeFileAtomically(pidPath, std::to_string(child) + "\n");
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    writeFileAtomically(statusPath, nlohmann::json{{"wait_status", status}}.dump() + "\n");
    return 0;
}

} // namespace clusterra::server
