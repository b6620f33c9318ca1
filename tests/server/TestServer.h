#pragma once

#include "core/sse/SseParser.h"
#include "tests/server/NodeTool.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTemporaryDir>
#include <nlohmann/json.hpp>

// Starts the real clusterra-server binary on 127.0.0.1 with a temporary data directory and
// talks to it over HTTP, as any client would. Blocking waits are fine here: this is a test.
class TestServer {
public:
    struct Reply {
        int status = 0;
        nlohmann::json json;
        QByteArray body;
        QHash<QByteArray, QByteArray> headers;
    };

    explicit TestServer(QStringList extraArgs = {});
    ~TestServer();

    bool start();
    void addArgs(const QStringList &args) { m_args += args; }
    // Runs the server as this unprivileged account (the test must be root), owning its data.
    bool runAs(uint uid, uint gid);
    // Stops and starts again on the same port, as a service restart would.
    bool restartOnSamePort();
    bool startOnSamePort(); // after stop(): clients that knew the old URL find it again
    // SIGTERM, as a service manager would; the exit code, 128 + signal for a crash, -1 if it
    // had to be killed or was not running.
    int stop();
    QString dataDir() const { return m_dir.path(); }
    // Runs statements on the stopped server's database, to shape the data an older version
    // left behind. False (with a warning) when one fails.
    bool editDatabase(const QStringList &statements);
    QString url() const { return m_url; }
    QByteArray token() const { return m_token; }
    // Who the helpers (get, post, readyCluster, submitJob...) act as from now on.
    void setToken(const QByteArray &token) { m_token = token; }
    bool signIn();
    // Sends the server's stderr (with --log-requests yes: a line per request) to this file.
    void setLogFile(const QString &path) { m_logFile = path; }

    Reply request(const QByteArray &method, const QString &path,
                  const nlohmann::json &body = nullptr,
                  const QByteArray &token = QByteArray("<default>"),
                  const QList<QPair<QByteArray, QByteArray>> &headers = {});
    Reply get(const QString &path) { return request("GET", path); }
    Reply post(const QString &path, const nlohmann::json &body) {
        return request("POST", path, body);
    }

    // POST .../storage/presigned-url for `key`; `extra` adds body fields (expires_in...).
    Reply presign(const QString &clusterId, const QString &key, const char *method,
                  const nlohmann::json &extra = nlohmann::json::object());
    static QString presignedUrl(const Reply &r) {
        return QString::fromStdString(r.json.value("url", ""));
    }

    // Submits a job; its id, or 0 (with a warning) when the server refuses it.
    qint64 submitJob(const QString &clusterId, const nlohmann::json &body);
    // Creates a local cluster and waits until it is ready; returns its id.
    QString readyCluster(const QString &name);
    // Polls a job until `pred` holds for its JSON, or times out.
    // The files under `folder` in the cluster's bucket once the server has published any
    // there (it copies a job's output after the job ends); no files after 5 s.
    nlohmann::json waitForPublished(const QString &clusterId, const QString &folder);
    nlohmann::json waitForJob(const QString &clusterId, qint64 jobId,
                              const std::function<bool(const nlohmann::json &)> &pred,
                              int timeoutMs = 20000);
    static QString jobPath(const QString &clusterId, qint64 jobId);

    // A request to any URL (a presigned one, straight to an object store), no auth added.
    struct Raw {
        int status = 0;
        QByteArray body;
        QHash<QByteArray, QByteArray> headers; // lower-case names
    };
    Raw raw(const QByteArray &method, const QString &url, const QByteArray &body = {},
            const QList<QPair<QByteArray, QByteArray>> &headers = {});

    // Reads an SSE stream until `done` says stop or the timeout passes.
    QList<clusterra::SseEvent>
    readSse(const QString &path, const QByteArray &lastEventId,
            const std::function<bool(const QList<clusterra::SseEvent> &)> &done,
            int timeoutMs = 20000);

private:
    QTemporaryDir m_dir;
    static QString serverBinary();
    QStringList m_args;
    QString m_binary; // runAs's copy; empty: serverBinary()
    QProcess m_process;
    QString m_url;
    QByteArray m_token;
    QString m_logFile;
    QNetworkAccessManager m_nam;
};

// @20minutes/s3rver on 127.0.0.1 (a real, signature-checking S3 implementation), started from
// tests/s3 (npm ci --prefix tests/s3 installs it). Credentials are s3rver's: S3RVER / S3RVER.
class S3rver {
public:
    bool start(QString *why);
    QString endpoint() const { return m_endpoint; }
    QString dataDir() const { return m_dir.path(); }
    // The clusterra-server arguments that put its buckets in this store.
    QStringList serverArgs() const;

private:
    QTemporaryDir m_dir;
    NodeTool m_tool;
    QString m_endpoint;
};

// "s3" when CLUSTERRA_TEST_STORE asks the storage suites to run against s3rver.
bool testAgainstS3();

// Small builders and predicates the job suites share.
namespace testjobs {
// A raw v0.0.44 submission with the fields every job needs; `extra` adds or replaces job keys.
nlohmann::json rawJob(const std::string &script, nlohmann::json extra = nlohmann::json::object());
// A cluster on AWS, which this server cannot deploy: it fails in the background.
nlohmann::json awsClusterBody(const std::string &name);
// A cluster on a Slurm whose slurmrestd does not answer (127.0.0.1:9): it fails to deploy, and
// a retry tries again.
nlohmann::json unreachableSlurmBody(const std::string &name);
// The output text of a stream's log and log-cr events, in order, from its last reset on.
QString logText(const QList<clusterra::SseEvent> &events);
bool hasEnd(const QList<clusterra::SseEvent> &events);
std::function<bool(const nlohmann::json &)> inState(const char *state);
// A job's array id, 0 when it is none (the field is null then).
qint64 arrayIdOf(const nlohmann::json &job);
} // namespace testjobs
