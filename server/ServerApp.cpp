#include "server/ServerApp.h"

#include "core/base/Guard.h"
#include "core/base/Log.h"

#include "core/util/Json.h"
#include "server/auth/AuthService.h"
#include "server/clusters/ClusterService.h"
#include "server/events/EventLog.h"
#include "server/http/HttpServer.h"
#include "server/jobs/FileChangeHub.h"
#include "server/jobs/JobRunner.h"
#include "server/jobs/JobService.h"
#include "server/jobs/JobStore.h"
#include "server/jobs/LocalExecutor.h"
#include "server/jobs/TemplateCatalog.h"
#include "server/objects/ObjectStore.h"
#include "server/objects/OutputPublisher.h"
#include "server/objects/S3Endpoint.h"
#include "server/objects/StorageService.h"
#include "server/routes/Routes.h"
#include "server/slurm/SlurmScheduler.h"
#include "server/store/Database.h"
#include "server/sys/Platform.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QSocketNotifier>
#include <QStandardPaths>
#include <QSysInfo>
#include <csignal>
#include <cstring>
#include <span>
#include <sys/socket.h>
#include <unistd.h>

namespace clusterra::server {

struct ServerApp::Parts {
    // One server per data directory: two would share the database and both run its jobs.
    // First here, so it is let go last, after the database is closed.
    struct DirectoryLock {
        int fd = -1;
        ~DirectoryLock() {
            if (fd >= 0)
                ::close(fd);
        }
    } lock;
    Database db;
    std::unique_ptr<EventLog> events;
    std::unique_ptr<JobStore> jobStore;
    std::unique_ptr<AuthService> auth;
    std::unique_ptr<ClusterService> clusters;
    std::unique_ptr<LocalExecutor> executor;
    std::unique_ptr<SlurmScheduler> slurm;
    std::unique_ptr<SchedulerRouter> schedulers;
    TemplateCatalog templates;
    FileChangeHub files;
    std::unique_ptr<JobService> jobs;
    std::unique_ptr<ObjectStore> objects;
    std::unique_ptr<S3Endpoint> s3;
    std::unique_ptr<ObjectBackend> backend;
    std::unique_ptr<StorageService> storage;
    std::unique_ptr<OutputPublisher> publisher;
    std::unique_ptr<RouteContext> routeContext;
    http::Router router;
    std::unique_ptr<http::HttpServer> http;
    std::unique_ptr<LocalProvider> localProvider;
    std::unique_ptr<AwsProvider> awsProvider;
    std::unique_ptr<SlurmProvider> slurmProvider;
};

ServerApp::ServerApp()
    : d(std::make_unique<Parts>()) {}

ServerApp::~ServerApp() {
    stop();
}

quint16 ServerApp::port() const {
    return d->http ? d->http->port() : 0;
}

QString ServerApp::url() const {
    if (m_publicUrl.isValid() && !m_publicUrl.isEmpty())
        return m_publicUrl.toString(QUrl::StripTrailingSlash);
    QUrl u;
    u.setScheme(QStringLiteral("http"));
    const bool everywhere = m_address == QHostAddress::Any || m_address == QHostAddress::AnyIPv4 ||
                            m_address == QHostAddress::AnyIPv6;
    u.setHost(everywhere ? QSysInfo::machineHostName() : m_address.toString());
    u.setPort(port());
    return u.toString();
}

const http::Router &ServerApp::router() const {
    return d->router;
}

ServerApp::Services ServerApp::services() const {
    return {*d->clusters, *d->jobs, *d->storage, d->auth->users()};
}

bool ServerApp::start(const ServerOptions &o, QString *error) {
    m_dataDir = o.dataDir;
    m_address = o.address;
    m_publicUrl = o.publicUrl;
    if (!QDir().mkpath(o.dataDir) || !QDir().mkpath(o.dataDir + QStringLiteral("/efs")) ||
        !QDir().mkpath(o.dataDir + QStringLiteral("/jobs"))) {
        *error = QStringLiteral("cannot create the data directory %1").arg(o.dataDir);
        return false;
    }
    QFile::setPermissions(o.dataDir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    // The lock is the directory's own (jobs run as this user in local mode and can write
    // in it): nothing they delete or create there releases or jams it.
    bool held = false;
    d->lock.fd = sys::lockDirectory(o.dataDir, &held);
    if (d->lock.fd < 0) {
        *error = held ? QStringLiteral("another clusterra-server is using the data directory %1")
                            .arg(o.dataDir)
                      : QStringLiteral("cannot lock the data directory %1").arg(o.dataDir);
        return false;
    }
    if (!d->db.open(QDir(o.dataDir).filePath(QStringLiteral("clusterra.db")), error))
        return false;
    if (!d->templates.load(QStringLiteral(":/templates"), error))
        return false;
    d->events = std::make_unique<EventLog>(d->db);
    d->jobStore = std::make_unique<JobStore>(d->db, *d->events);
    AuthSettings auth;
    auth.dataDir = o.dataDir;
    auth.localEmail = o.localEmail;
    auth.accessTtlSecs = o.accessTtlSecs;
    auth.oidc = o.oidc;
    d->auth = std::make_unique<AuthService>(d->db, auth);
    if (!d->auth->init(error))
        return false;
    d->clusters = std::make_unique<ClusterService>(d->db, *d->events, *d->jobStore,
                                                   ClusterSettings{o.maxClusters});
    const QString runner =
        o.runnerProgram.isEmpty() ? QCoreApplication::applicationFilePath() : o.runnerProgram;
    d->localProvider =
        std::make_unique<LocalProvider>(LocalMachine::detect(o.localCpus, o.localMemoryMb), runner);
    d->awsProvider = std::make_unique<AwsProvider>();
    d->clusters->addProvider(QStringLiteral("local"), d->localProvider.get());
    d->clusters->addProvider(QStringLiteral("aws"), d->awsProvider.get());
    ExecutorSettings exec;
    exec.dataDir = o.dataDir;
    exec.runnerProgram = runner;
    exec.killGraceMs = o.killGraceMs;
    // With people signing in, each job runs as its owner's own account.
    exec.perUserAccounts = o.oidc.enabled();
    exec.homesDir =
        o.homesDir.isEmpty() ? QDir::cleanPath(o.dataDir) + QStringLiteral("-homes") : o.homesDir;
    exec.scratchDirs = o.scratchDirs;
    d->executor = std::make_unique<LocalExecutor>(*d->jobStore, *d->clusters, exec);
    d->slurm = std::make_unique<SlurmScheduler>(*d->jobStore, *d->clusters,
                                                SlurmSettings{o.slurmPollMs, 10000, o.slurmMinUid});
    d->slurm->setAccountOwner(
        [this](const QString &account) { return d->auth->users().byLinuxUser(account); });
    d->slurmProvider = std::make_unique<SlurmProvider>(*d->slurm);
    d->clusters->addProvider(QStringLiteral("slurm"), d->slurmProvider.get());
    d->schedulers = std::make_unique<SchedulerRouter>(*d->clusters);
    d->schedulers->add(QStringLiteral("local"), d->executor.get());
    d->schedulers->add(QStringLiteral("aws"), d->executor.get());
    d->schedulers->add(QStringLiteral("slurm"), d->slurm.get());
    d->clusters->setScheduler(d->schedulers.get());
    d->jobs = std::make_unique<JobService>(*d->jobStore, *d->clusters, *d->schedulers, d->templates,
                                           *d->events);
    sigv4::Credentials storeCredentials;
    if (const QByteArray why = S3Endpoint::loadOrCreateCredentials(
            QDir(o.dataDir).filePath(QStringLiteral("s3-credentials")), &storeCredentials);
        !why.isEmpty()) {
        *error = QString::fromUtf8(why);
        return false;
    }
    d->objects = std::make_unique<ObjectStore>(
        d->db, QDir(o.dataDir).filePath(QStringLiteral("objects")), o.objectLimits);
    d->s3 = std::make_unique<S3Endpoint>(*d->objects, storeCredentials, "local");
    // Behind a proxy at /prefix, signatures cover the path the client sent, prefix and all.
    const QString prefix = QUrl(url()).path(QUrl::FullyDecoded);
    d->s3->setPathPrefix(prefix);
    if (o.s3.isSet())
        d->backend = std::make_unique<S3Backend>(o.s3);
    else
        d->backend =
            std::make_unique<BuiltInBackend>(*d->objects, *d->s3, [this] { return QUrl(url()); });
    d->storage = std::make_unique<StorageService>(*d->backend, *d->objects);
    d->publisher = std::make_unique<OutputPublisher>(*d->jobStore, *d->jobs, *d->clusters,
                                                     *d->storage, *d->events, o.publishMaxBytes);
    QObject::connect(d->clusters.get(), &ClusterService::clusterRemoved, d->clusters.get(),
                     [this](const QString &id) {
                         runGuarded("dropping a cluster's bucket",
                                    [&] { d->storage->dropBucket(id); });
                     });
    d->routeContext.reset(new RouteContext{*d->auth, *d->clusters, *d->jobs, *d->jobStore,
                                           *d->events, d->templates, d->files, *d->storage, 250,
                                           o.keepAliveMs});
    registerRoutes(d->router, *d->routeContext);
    registerClusterRoutes(d->router, *d->routeContext);
    registerJobRoutes(d->router, *d->routeContext);
    registerStorageRoutes(d->router, *d->routeContext);
    d->s3->registerRoutes(d->router);
    d->router.setAuthenticator([this](http::Request &req, http::Access access) {
        return d->auth->authenticate(req, access);
    });
    d->http = std::make_unique<http::HttpServer>(d->router);
    d->http->setRequestLog(o.logRequests);
    d->http->setPathPrefix(prefix);
    http::HttpServerLimits limits;
    limits.events = o.httpEvents;
    if (!d->http->listen(o.address, o.port, error, limits))
        return false;
    d->schedulers->resume();

    QSaveFile info(QDir(o.dataDir).filePath(QStringLiteral("server.json")));
    info.open(QIODevice::WriteOnly);
    info.write(dumpJson(
        {{"url", toStd(url())}, {"pid", qint64(getpid())}, {"version", CLUSTERRA_VERSION}}));
    if (!info.commit()) {
        *error = QStringLiteral("cannot write server.json");
        return false;
    }
    return true;
}

void ServerApp::stop() {
    if (d->http) {
        d->http->close();
        QFile::remove(QDir(m_dataDir).filePath(QStringLiteral("server.json")));
        d->http.reset();
        // The closed streams asked to be deleted; do it while what they point at still exists.
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    }
}

namespace {
int g_signalPipe[2] = {-1, -1};

void onSignal(int) {
    const char c = 1;
    [[maybe_unused]] const auto n = ::write(g_signalPipe[1], &c, 1);
}

// SIGTERM/SIGINT end the event loop through a pipe, the only safe way out of a handler.
void quitOnSignals() {
    ::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe);
    auto *notifier = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read, qApp);
    QObject::connect(notifier, &QSocketNotifier::activated, qApp, [] { QCoreApplication::quit(); });
    struct sigaction sa {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);
}

struct Option {
    const char *name;
    const char *valueName;
    const char *fallback;
    const char *help;
};

// The config file: a JSON object whose keys are option names. Unknown keys are errors, so a
// typo in "oidc-isuer" does not silently start the server in local mode.
nlohmann::json readConfigFile(const QString &path, std::span<const Option> options, QString *why) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *why = QStringLiteral("cannot read the config file %1").arg(path);
        return {};
    }
    nlohmann::json config = parseJson(f.readAll());
    if (!config.is_object()) {
        *why = QStringLiteral("the config file %1 is not a JSON object").arg(path);
        return {};
    }
    for (auto it = config.begin(); it != config.end(); ++it) {
        const bool known = std::any_of(options.begin(), options.end(), [&](const Option &o) {
            return it.key() == o.name && it.key() != "config";
        });
        if (!known) {
            *why = QStringLiteral("the config file %1 has an unknown key \"%2\"")
                       .arg(path, toQ(it.key()));
            return {};
        }
    }
    return config;
}

bool parseListen(const QString &text, ServerOptions &o) {
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    bool ok = false;
    const uint port = text.mid(colon + 1).toUInt(&ok);
    o.address = QHostAddress(colon > 0 ? text.left(colon) : QStringLiteral("127.0.0.1"));
    o.port = quint16(port);
    return ok && port <= 65535 && !o.address.isNull();
}
} // namespace

namespace {
// The last net, not the way errors travel: every piece of server work that Qt starts (a timer
// tick, a reply, a store's signal) runs inside runGuarded and every request inside the
// router's try, so nothing should reach this. If a bug lets an exception through Qt's
// dispatch anyway, it costs that one event and says so, instead of aborting the server.
class ServerApplication : public QCoreApplication {
public:
    using QCoreApplication::QCoreApplication;
    bool notify(QObject *receiver, QEvent *event) override {
        try {
            return QCoreApplication::notify(receiver, event);
        } catch (const std::exception &e) {
            qCWarning(lcServer, "%s: an exception escaped into the event loop: %s",
                      receiver ? receiver->metaObject()->className() : "event", e.what());
        }
        return false;
    }
};
} // namespace

int serverMain(int argc, char **argv) {
    // Internal modes of the same binary: the detached job runner and its self-check.
    if (argc == 3 && std::strcmp(argv[1], "--run-job") == 0)
        return runJobFromSpec(argv[2]);
    if (argc == 2 && std::strcmp(argv[1], "--runner-self-check") == 0)
        return 0;

    ServerApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Clusterra"));
    QCoreApplication::setApplicationName(QStringLiteral("clusterra-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CLUSTERRA_VERSION));
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Clusterra API server: the /v1 API on this machine, with a local job executor."));
    p.addHelpOption();
    p.addVersionOption();
    // One row per option: the parser and --help are built from this table.
    static const Option kOptions[] = {
        {"data", "DIR", "", "Data directory (default: the user's app-data folder)."},
        {"listen", "ADDR:PORT", "127.0.0.1:0",
         "Address and port; port 0 picks a free one (default 127.0.0.1:0)."},
        {"public-url", "URL", "",
         "Where clients reach this server, e.g. a reverse proxy's https://host/clusterra; "
         "signed file URLs and server.json name it (default: the --listen address)."},
        {"local-email", "EMAIL", "admin@localhost", "E-mail of the local admin user."},
        {"max-clusters", "N", "10", "Cluster limit of the subscription tier (default 10)."},
        {"publish-max-mb", "MB", "1024",
         "Largest job output copied into the cluster's files when the job ends (default 1024)."},
        {"local-cpus", "N", "0", "CPUs the local node offers (default: this machine's)."},
        {"local-memory-mb", "MB", "0",
         "Memory the local node offers in MB (default: this machine's)."},
        {"kill-grace-ms", "MS", "5000",
         "Time between SIGTERM and SIGKILL on cancel or time limit (default 5000)."},
        {"homes", "DIR", "",
         "Where jobs of signed-in users get their homes, one per uid (default: DATA-homes)."},
        {"scratch", "DIR", "/tmp",
         "A shared folder every job may write output to (repeatable; default /tmp)."},
        {"access-ttl", "SECONDS", "900", "Access token lifetime in seconds (default 900)."},
        {"sse-keepalive-ms", "MS", "15000",
         "Idle time before an SSE keep-alive comment (default 15000)."},
        {"slurm-min-uid", "UID", "1000",
         "Slurm per_user mapping refuses accounts below this uid, and root (default 1000)."},
        {"slurm-poll-ms", "MS", "1000",
         "How often Slurm-backed clusters are asked for job states (default 1000)."},
        {"s3-endpoint", "URL", "",
         "Keep cluster buckets in this S3 service (path-style) instead of the built-in store."},
        {"s3-region", "REGION", "us-east-1", "Region of the S3 service (default us-east-1)."},
        {"s3-bucket-prefix", "PREFIX", "clusterra-",
         "Bucket names are PREFIX + cluster id (default clusterra-)."},
        {"s3-access-key", "KEY", "", "Access key id for the S3 service."},
        {"s3-secret-file", "PATH", "",
         "File holding the S3 secret key (or set CLUSTERRA_S3_SECRET_KEY); never logged."},
        {"oidc-issuer", "URL", "",
         "Sign people in through this OpenID provider (OIDC mode) instead of the local token."},
        {"oidc-client-id", "ID", "", "The console's public client id at that provider."},
        {"admin", "EMAIL", "", "Make this e-mail an administrator when it signs in (repeatable)."},
        {"allow-domain", "DOMAIN", "",
         "Let e-mails of this domain sign in (repeatable; default: any verified e-mail)."},
        {"allow-email", "EMAIL", "", "Let this e-mail sign in (repeatable)."},
        {"http-events", "auto|epoll|select", "auto",
         "How sockets are watched: epoll where the system has it, else select (the fallback "
         "on systems without epoll; choosable here to test it)."},
        {"log-requests", "yes|no", "no",
         "Print one line per request (method, path, status, user; never queries or tokens)."},
        {"config", "FILE", "",
         "JSON file with any of these options as keys (lists for the repeatable ones); the "
         "command line wins."},
    };
    for (const Option &o : kOptions)
        p.addOption(QCommandLineOption(QString::fromLatin1(o.name), QString::fromLatin1(o.help),
                                       QString::fromLatin1(o.valueName),
                                       QString::fromLatin1(o.fallback)));
    p.process(app);
    nlohmann::json config = nlohmann::json::object();
    if (p.isSet(QStringLiteral("config"))) {
        QString why;
        config = readConfigFile(p.value(QStringLiteral("config")), kOptions, &why);
        if (!why.isEmpty()) {
            std::fprintf(stderr, "clusterra-server: %s\n", qPrintable(why));
            return 2;
        }
    }
    auto values = [&p, &config](const char *name) {
        const QString key = QString::fromLatin1(name);
        if (p.isSet(key) || !config.contains(name))
            return p.values(key);
        const nlohmann::json &v = config[name];
        return v.is_array()
                   ? stringList(v)
                   : QStringList{v.is_string() ? toQ(v.get<std::string>()) : toQ(v.dump())};
    };
    auto value = [&values, &p](const char *name) {
        const QStringList all = values(name);
        return all.isEmpty() ? p.value(QString::fromLatin1(name)) : all.last();
    };

    ServerOptions o;
    o.dataDir = p.isSet(QStringLiteral("data"))
                    ? value("data")
                    : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (!parseListen(value("listen"), o)) {
        std::fprintf(stderr, "clusterra-server: --listen wants ADDR:PORT, e.g. 127.0.0.1:8080\n");
        return 2;
    }
    if (const QString publicUrl = value("public-url"); !publicUrl.isEmpty()) {
        o.publicUrl = QUrl(publicUrl, QUrl::StrictMode);
        const bool web = o.publicUrl.scheme() == QLatin1String("http") ||
                         o.publicUrl.scheme() == QLatin1String("https");
        if (!o.publicUrl.isValid() || !web || o.publicUrl.host().isEmpty() ||
            o.publicUrl.hasQuery() || o.publicUrl.hasFragment() ||
            !o.publicUrl.userInfo().isEmpty()) {
            std::fprintf(stderr,
                         "clusterra-server: --public-url wants http(s)://HOST[:PORT][/PATH], "
                         "e.g. https://hpc.example.org/clusterra\n");
            return 2;
        }
    }
    o.localEmail = value("local-email");
    o.maxClusters = value("max-clusters").toInt();
    o.publishMaxBytes = qMax<qint64>(0, value("publish-max-mb").toLongLong()) * 1024 * 1024;
    o.localCpus = value("local-cpus").toInt();
    o.localMemoryMb = value("local-memory-mb").toLongLong();
    o.killGraceMs = value("kill-grace-ms").toInt();
    o.homesDir = value("homes");
    o.scratchDirs = values("scratch");
    if (o.scratchDirs.isEmpty())
        o.scratchDirs << QStringLiteral("/tmp");
    o.accessTtlSecs = value("access-ttl").toInt();
    o.keepAliveMs = qMax(100, value("sse-keepalive-ms").toInt());
    o.slurmPollMs = qMax(100, value("slurm-poll-ms").toInt());
    o.slurmMinUid = value("slurm-min-uid").toInt();

    if (!value("s3-endpoint").isEmpty()) {
        o.s3.endpoint = QUrl(value("s3-endpoint"));
        o.s3.region = value("s3-region").toUtf8();
        o.s3.bucketPrefix = value("s3-bucket-prefix");
        o.s3.credentials.accessKeyId = value("s3-access-key").toUtf8();
        QFile secret(value("s3-secret-file"));
        o.s3.credentials.secretKey = secret.open(QIODevice::ReadOnly)
                                         ? secret.readAll().trimmed()
                                         : qgetenv("CLUSTERRA_S3_SECRET_KEY");
        if (!o.s3.endpoint.isValid() || o.s3.credentials.accessKeyId.isEmpty() ||
            o.s3.credentials.secretKey.isEmpty()) {
            std::fprintf(stderr, "clusterra-server: --s3-endpoint needs a valid URL, "
                                 "--s3-access-key and a secret (--s3-secret-file or "
                                 "CLUSTERRA_S3_SECRET_KEY)\n");
            return 2;
        }
    }

    o.logRequests = value("log-requests") == QLatin1String("yes");
    if (const QString events = value("http-events"); events == QLatin1String("epoll"))
        o.httpEvents = http::HttpServerLimits::Events::Epoll;
    else if (events == QLatin1String("select"))
        o.httpEvents = http::HttpServerLimits::Events::Select;
    else if (events != QLatin1String("auto")) {
        std::fprintf(stderr, "clusterra-server: --http-events wants auto, epoll or select\n");
        return 2;
    }
    o.oidc.issuer = value("oidc-issuer");
    o.oidc.clientId = value("oidc-client-id");
    o.oidc.admins = values("admin");
    o.oidc.allowedDomains = values("allow-domain");
    o.oidc.allowedEmails = values("allow-email");
    if (o.oidc.enabled() && (o.oidc.clientId.isEmpty() || !QUrl(o.oidc.issuer).isValid())) {
        std::fprintf(stderr, "clusterra-server: --oidc-issuer needs a valid URL and "
                             "--oidc-client-id\n");
        return 2;
    }
    if (o.oidc.enabled() && o.oidc.allowedDomains.isEmpty() && o.oidc.allowedEmails.isEmpty())
        std::fprintf(stderr,
                     "clusterra-server: warning: any verified e-mail at %s may sign in; "
                     "limit it with --allow-domain or --allow-email\n",
                     qPrintable(o.oidc.issuer));

    quitOnSignals();
    ServerApp server;
    QString error;
    if (!server.start(o, &error)) {
        std::fprintf(stderr, "clusterra-server: %s\n", qPrintable(error));
        return 1;
    }
    std::fprintf(stderr, "clusterra-server %s listening on %s (data: %s)\n", CLUSTERRA_VERSION,
                 qPrintable(server.url()), qPrintable(o.dataDir));
    const int rc = QCoreApplication::exec();
    server.stop();
    return rc;
}

} // namespace clusterra::server
