#pragma once

#include "server/auth/AuthService.h"
#include "server/http/HttpServer.h"
#include "server/http/Router.h"
#include "server/objects/ObjectStore.h"
#include "server/objects/S3Backend.h"

#include <QHostAddress>
#include <QObject>
#include <QUrl>
#include <memory>

namespace clusterra::server {

class ClusterService;
class JobService;
class StorageService;
class UserDirectory;

struct ServerOptions {
    QString dataDir;
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 0;
    // Where clients reach the server (a reverse proxy's URL, with its path prefix); empty:
    // the listen address. Signed file URLs and server.json name it.
    QUrl publicUrl;
    QString localEmail = QStringLiteral("admin@localhost");
    int maxClusters = 10;
    qint64 publishMaxBytes = qint64(1) << 30; // a bigger job output is not copied into files
    int localCpus = 0;                        // 0: this machine's
    qint64 localMemoryMb = 0;                 // 0: this machine's
    int killGraceMs = 5000;
    QString homesDir;                                // jobs' homes in OIDC mode
    QStringList scratchDirs{QStringLiteral("/tmp")}; // shared output areas
    int accessTtlSecs = 900;
    int keepAliveMs = 15000;
    int slurmPollMs = 1000;
    int slurmMinUid = 1000;
    bool logRequests = false;
    http::HttpServerLimits::Events httpEvents = http::HttpServerLimits::Events::Auto;
    QString runnerProgram; // defaults to this executable
    ObjectLimits objectLimits;
    S3Settings s3;     // set: cluster buckets live in this S3 service instead of the built-in store
    OidcSettings oidc; // set: people sign in through this OpenID provider
};

// Wires store, auth, providers, scheduler, services and routes; listens; writes
// DATA/server.json once ready so a parent process can find the URL.
class ServerApp : public QObject {
    Q_OBJECT
public:
    ServerApp();
    ~ServerApp() override;

    bool start(const ServerOptions &options, QString *error);
    void stop();
    quint16 port() const;
    // The URL clients use: --public-url, or the listen address (this machine's name when it
    // listens on every address). No trailing slash.
    QString url() const;
    const http::Router &router() const;
    // The services themselves, for callers other than the routes (the agent's tools, tests):
    // each enforces its own policy, so none of them needs the route table's checks.
    struct Services {
        ClusterService &clusters;
        JobService &jobs;
        StorageService &storage;
        UserDirectory &users;
    };
    Services services() const; // only after start() succeeded

private:
    struct Parts;
    std::unique_ptr<Parts> d;
    QString m_dataDir;
    QHostAddress m_address;
    QUrl m_publicUrl;
};

// The whole server command line; main() only calls this.
int serverMain(int argc, char **argv);

} // namespace clusterra::server
