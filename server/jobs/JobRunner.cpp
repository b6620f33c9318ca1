#include "jobs/JobRunner.h"

#include "util/Json.h"

#include <QByteArray>
#include <QFile>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace clusterra::server {

namespace {
bool writeFileAtomically(const std::string &path, const std::string &content) {
    const std::string tmp = path + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return false;
    const bool ok = ::write(fd, content.data(), content.size()) == ssize_t(content.size());
    ::fsync(fd);
    ::close(fd);
    return ok && ::rename(tmp.c_str(), path.c_str()) == 0;
}

int openOutput(const std::string &path) {
    return ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
}
} // namespace

int runJobFromSpec(const char *specPath) {
    QFile f(QString::fromLocal8Bit(specPath));
    if (!f.open(QIODevice::ReadOnly))
        return 2;
    const nlohmann::json spec = parseJson(f.readAll());
    if (!spec.is_object())
        return 2;
    const std::string script = spec.value("script", "");
    const std::string output = spec.value("output", "");
    const std::string error = spec.value("error", "");
    const std::string input = spec.value("input", "");
    const std::string workDir = spec.value("work_dir", "");
    const std::string fallbackDir = spec.value("fallback_dir", "/tmp");
    const std::string statusPath = spec.value("status_path", "");
    const std::string pidPath = spec.value("pid_path", "");
    std::vector<std::string> env;
    for (const auto &e : spec.value("environment", nlohmann::json::array()))
        env.push_back(e.get<std::string>());

    ::setsid(); // detach from the server's session; harmless if already a leader
    const pid_t child = ::fork();
    if (child < 0)
        return 3;
    if (child == 0) {
        ::setpgid(0, 0);
        const int out = openOutput(output);
        const int err = error.empty() ? out : openOutput(error);
        const int in = ::open(input.empty() ? "/dev/null" : input.c_str(), O_RDONLY);
        if (out < 0 || err < 0)
            ::_exit(126);
        ::dup2(out, STDOUT_FILENO);
        ::dup2(err, STDERR_FILENO);
        ::dup2(in >= 0 ? in : ::open("/dev/null", O_RDONLY), STDIN_FILENO);
        if (::chdir(workDir.c_str()) != 0) {
            // As slurmstepd does: say so in the output and run somewhere that exists.
            std::fprintf(stderr, "clusterra: couldn't chdir to '%s': %s: going to '%s' instead\n",
                         workDir.c_str(), std::strerror(errno), fallbackDir.c_str());
            std::fflush(stderr);
            if (::chdir(fallbackDir.c_str()) != 0)
                ::_exit(126);
        }
        std::vector<char *> envp;
        for (auto &e : env)
            envp.push_back(e.data());
        envp.push_back(nullptr);
        std::string scriptCopy = script;
        char *argv[] = {scriptCopy.data(), nullptr};
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
