#include "tests/server/TestServer.h"

#include <QDir>
#include <QFileInfo>

#include "core/sse/LogEvents.h"
#include "core/util/Json.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QTimer>
#include <csignal>
#include <grp.h>
#include <sys/prctl.h>
#include <unistd.h>

using clusterra::parseJson;

TestServer::TestServer(QStringList extraArgs)
    : m_args(std::move(extraArgs)) {
    dieWithParent(m_process);
}

TestServer::~TestServer() {
    stop();
}

QString TestServer::serverBinary() {
    return qEnvironmentVariable("CLUSTERRA_TEST_SERVER_BIN", QStringLiteral(CLUSTERRA_SERVER_BIN));
}

bool TestServer::runAs(uint uid, uint gid) {
    if (::chown(QFile::encodeName(m_dir.path()).constData(), uid, gid) != 0)
        return false;
    // The build tree may sit in a directory only root can enter (a mktemp clone): the account
    // runs its own copy of the binary, from its own data directory.
    m_binary = m_dir.filePath(QStringLiteral("clusterra-server"));
    if (!QFile::copy(serverBinary(), m_binary) ||
        !QFile::setPermissions(m_binary, QFile::ReadOwner | QFile::ExeOwner | QFile::ReadOther |
                                             QFile::ExeOther))
        return false;
    m_process.setWorkingDirectory(m_dir.path());
    m_process.setChildProcessModifier([uid, gid] {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::setgroups(0, nullptr) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0)
            ::_exit(126);
    });
    return true;
}

bool TestServer::start() {
    QFile::remove(m_dir.filePath(QStringLiteral("server.json")));
    if (m_logFile.isEmpty()) {
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    } else {
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        m_process.setStandardErrorFile(m_logFile, QIODevice::Append);
    }
    // CLUSTERRA_TEST_SERVER_BIN runs the suites against another build (a sanitizer build);
    // CLUSTERRA_TEST_HTTP_EVENTS=select with the socket watching of systems without epoll.
    QStringList args{QStringLiteral("--data"), m_dir.path(), QStringLiteral("--listen"),
                     QStringLiteral("127.0.0.1:0")};
    if (const QString events = qEnvironmentVariable("CLUSTERRA_TEST_HTTP_EVENTS");
        !events.isEmpty())
        args << QStringLiteral("--http-events") << events;
    m_process.start(m_binary.isEmpty() ? serverBinary() : m_binary, args + m_args);
    if (!m_process.waitForStarted(5000))
        return false;
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 10000) {
        QFile info(m_dir.filePath(QStringLiteral("server.json")));
        if (info.open(QIODevice::ReadOnly)) {
            const auto j = parseJson(info.readAll());
            if (j.is_object()) {
                m_url = QString::fromStdString(j.value("url", ""));
                // OIDC mode has no local token: the suite signs people in itself.
                return m_args.contains(QStringLiteral("--oidc-issuer")) || signIn();
            }
        }
        if (m_process.state() != QProcess::Running)
            return false;
        QTest::qWait(20);
    }
    return false;
}

bool TestServer::restartOnSamePort() {
    stop();
    return startOnSamePort();
}

bool TestServer::startOnSamePort() {
    const QString listen = QStringLiteral("127.0.0.1:%1").arg(QUrl(m_url).port());
    if (const qsizetype at = m_args.indexOf(QStringLiteral("--listen")); at >= 0)
        m_args.remove(at, 2);
    m_args = QStringList{QStringLiteral("--listen"), listen} + m_args;
    return start();
}

int TestServer::stop() {
    if (m_process.state() != QProcess::Running)
        return -1;
    m_process.terminate();
    if (!m_process.waitForFinished(10000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
        return -1;
    }
    // A crash while shutting down (SIGSEGV) is no clean exit, whatever the code says.
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode()
                                                          : 128 + m_process.exitCode();
}

bool TestServer::editDatabase(const QStringList &statements) {
    const QString name = QStringLiteral("edit-%1").arg(quintptr(this));
    bool ok = true;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(m_dir.filePath(QStringLiteral("clusterra.db")));
        ok = db.open();
        for (const QString &sql : statements) {
            if (!ok)
                break;
            QSqlQuery q(db);
            ok = q.exec(sql);
            if (!ok)
                qWarning("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

bool TestServer::signIn() {
    QFile f(m_dir.filePath(QStringLiteral("local-token")));
    if (!f.open(QIODevice::ReadOnly))
        return false;
    const auto r = request("POST", QStringLiteral("/v1/auth/callback"),
                           {{"local_token", f.readAll().trimmed().toStdString()}}, QByteArray());
    if (r.status != 200)
        return false;
    m_token = QByteArray::fromStdString(r.json.value("access_token", ""));
    return !m_token.isEmpty();
}

TestServer::Reply TestServer::request(const QByteArray &method, const QString &path,
                                      const nlohmann::json &body, const QByteArray &token,
                                      const QList<QPair<QByteArray, QByteArray>> &headers) {
    QNetworkRequest req(QUrl(m_url + path));
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    const QByteArray bearer = token == "<default>" ? m_token : token;
    if (!bearer.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + bearer);
    for (const auto &[k, v] : headers)
        req.setRawHeader(k, v);
    // Cookies only when a test sends one: a stored session cookie would hide missing tokens.
    req.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    req.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    const QByteArray payload = body.is_null() ? QByteArray() : clusterra::dumpJson(body);
    QNetworkReply *reply = m_nam.sendCustomRequest(req, method, payload);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(30000, &loop, &QEventLoop::quit);
    loop.exec();
    Reply out;
    out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    out.body = reply->readAll();
    out.json = parseJson(out.body);
    for (const auto &[k, v] : reply->rawHeaderPairs())
        out.headers.insert(k.toLower(), v);
    reply->deleteLater();
    return out;
}

QString TestServer::readyCluster(const QString &name) {
    const auto r = post(QStringLiteral("/v1/clusters"),
                        {{"name", name.toStdString()}, {"cluster_type", "slurm"}});
    if (r.status != 201)
        qFatal("cluster create failed: %s", r.body.constData());
    const QString id = QString::fromStdString(r.json.value("id", ""));
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 10000) {
        if (get(QStringLiteral("/v1/clusters/") + id).json.value("state", "") == "ready")
            return id;
        QTest::qWait(20);
    }
    qFatal("cluster %s never became ready", qPrintable(id));
}

qint64 TestServer::submitJob(const QString &clusterId, const nlohmann::json &body) {
    const auto r = post(QStringLiteral("/v1/clusters/%1/jobs/submit").arg(clusterId), body);
    if (r.status != 201)
        qWarning("submit failed: %s", r.body.constData());
    return r.json.value("job_id", qint64(0));
}

TestServer::Reply TestServer::presign(const QString &clusterId, const QString &key,
                                      const char *method, const nlohmann::json &extra) {
    nlohmann::json body{{"key", key.toStdString()}, {"method", method}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        body[it.key()] = *it;
    return post(QStringLiteral("/v1/clusters/%1/storage/presigned-url").arg(clusterId), body);
}

QString TestServer::jobPath(const QString &clusterId, qint64 jobId) {
    return QStringLiteral("/v1/clusters/%1/jobs/%2").arg(clusterId).arg(jobId);
}

nlohmann::json TestServer::waitForPublished(const QString &clusterId, const QString &folder) {
    nlohmann::json listing = nlohmann::json::object();
    for (int i = 0; i < 50 && listing.value("files", nlohmann::json::array()).empty(); ++i) {
        if (i > 0)
            QTest::qWait(100);
        listing = get(QStringLiteral("/v1/clusters/%1/storage/files?prefix=%2")
                          .arg(clusterId, QString::fromLatin1(QUrl::toPercentEncoding(folder))))
                      .json;
    }
    return listing;
}

nlohmann::json TestServer::waitForJob(const QString &clusterId, qint64 jobId,
                                      const std::function<bool(const nlohmann::json &)> &pred,
                                      int timeoutMs) {
    QElapsedTimer t;
    t.start();
    nlohmann::json last;
    while (t.elapsed() < timeoutMs) {
        last = get(jobPath(clusterId, jobId)).json;
        if (pred(last))
            return last;
        QTest::qWait(50);
    }
    return last;
}

QList<clusterra::SseEvent>
TestServer::readSse(const QString &path, const QByteArray &lastEventId,
                    const std::function<bool(const QList<clusterra::SseEvent> &)> &done,
                    int timeoutMs) {
    QNetworkRequest req(QUrl(m_url + path));
    req.setRawHeader("Authorization", "Bearer " + m_token);
    req.setRawHeader("Accept", "text/event-stream");
    if (!lastEventId.isEmpty())
        req.setRawHeader("Last-Event-ID", lastEventId);
    QNetworkReply *reply = m_nam.get(req);
    clusterra::SseParser parser;
    QList<clusterra::SseEvent> events;
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::readyRead, &loop, [&] {
        events += parser.feed(reply->readAll());
        if (done(events))
            loop.quit();
    });
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    reply->abort();
    reply->deleteLater();
    return events;
}

bool S3rver::start(QString *why) {
    if (!m_tool.start(QStringLiteral(CLUSTERRA_S3RVER_JS), {m_dir.path()}, why))
        return false;
    m_endpoint = QStringLiteral("http://127.0.0.1:%1").arg(m_tool.port());
    return true;
}

QStringList S3rver::serverArgs() const {
    qputenv("CLUSTERRA_S3_SECRET_KEY", "S3RVER");
    return {QStringLiteral("--s3-endpoint"), m_endpoint, QStringLiteral("--s3-access-key"),
            QStringLiteral("S3RVER")};
}

bool testAgainstS3() {
    return qgetenv("CLUSTERRA_TEST_STORE") == "s3";
}

TestServer::Raw TestServer::raw(const QByteArray &method, const QString &url,
                                const QByteArray &body,
                                const QList<QPair<QByteArray, QByteArray>> &headers) {
    QNetworkRequest req{QUrl(url, QUrl::StrictMode)};
    for (const auto &[k, v] : headers)
        req.setRawHeader(k, v);
    // A HEAD sent as a custom verb would make QNAM wait for a body that never comes.
    QNetworkReply *reply =
        method == "HEAD" ? m_nam.head(req) : m_nam.sendCustomRequest(req, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(60000, &loop, &QEventLoop::quit);
    loop.exec();
    Raw r{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll(), {}};
    for (const auto &[k, v] : reply->rawHeaderPairs())
        r.headers.insert(k.toLower(), v);
    reply->deleteLater();
    return r;
}

namespace testjobs {

nlohmann::json awsClusterBody(const std::string &name) {
    return {{"name", name},
            {"cluster_type", "slurm"},
            {"provider", "aws"},
            {"cloud_account_id", 3},
            {"node_type", "c6g.large"},
            {"instance_key_pair_name", "k"},
            {"subnet_id", "subnet-0abc1234"},
            {"region_name", "us-east-1"},
            {"min_node_count", 0},
            {"max_node_count", 2},
            {"partitions",
             nlohmann::json::array(
                 {{{"name", "cpu"}, {"node_type", "c6g.large"}, {"max_node_count", 2}}})}};
}

nlohmann::json unreachableSlurmBody(const std::string &name) {
    return {
        {"name", name},
        {"cluster_type", "slurm"},
        {"provider", "slurm"},
        {"slurm", {{"rest_url", "http://127.0.0.1:9"}, {"user_name", "alice"}, {"token", "t"}}}};
}
nlohmann::json rawJob(const std::string &script, nlohmann::json extra) {
    nlohmann::json job{{"name", "t"},
                       {"current_working_directory", "/tmp"},
                       {"environment", nlohmann::json::array({"PATH=/usr/bin:/bin"})}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        job[it.key()] = *it;
    return {{"script", script}, {"job", job}};
}

QString logText(const QList<clusterra::SseEvent> &events) {
    QString out;
    for (const auto &e : events) {
        if (const auto text = clusterra::logEventText(e))
            out += *text;
        else if (e.type == QLatin1String(clusterra::kResetEvent))
            out.clear();
    }
    return out;
}

bool hasEnd(const QList<clusterra::SseEvent> &events) {
    return !events.isEmpty() && events.last().type == QLatin1String("end");
}

qint64 arrayIdOf(const nlohmann::json &job) {
    const auto it = job.find("array_job_id");
    return it != job.end() && it->is_number() ? it->get<qint64>() : 0;
}

std::function<bool(const nlohmann::json &)> inState(const char *state) {
    return [state](const nlohmann::json &j) {
        return j.value("state", "") == state;
    };
}
} // namespace testjobs
