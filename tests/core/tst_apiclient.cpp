#include "core/client/ApiClient.h"
#include "core/client/BucketDelete.h"
#include "core/client/JobCalls.h"
#include "tests/core/FakeHttp.h"

#include <QBuffer>
#include <QNetworkReply>
#include <QTimer>

#include <QQueue>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <optional>

using namespace clusterra;

// A reply the network below makes up: status and body after `delayMs`, or never (0 > delay).
class CannedReply : public QNetworkReply {
    Q_OBJECT
public:
    CannedReply(QNetworkAccessManager::Operation op, const QNetworkRequest &req, int status,
                QByteArray body, int delayMs, bool dropMidBody, QObject *parent)
        : QNetworkReply(parent)
        , m_body(std::move(body)) {
        setRequest(req);
        setUrl(req.url());
        setOperation(op);
        open(QIODevice::ReadOnly);
        if (delayMs >= 0)
            QTimer::singleShot(delayMs, this, [this, status, dropMidBody] {
                setAttribute(QNetworkRequest::HttpStatusCodeAttribute, status);
                setHeader(QNetworkRequest::ContentLengthHeader,
                          m_body.size() * (dropMidBody ? 2 : 1));
                Q_EMIT metaDataChanged();
                Q_EMIT readyRead();
                if (dropMidBody) {
                    // The connection goes after half the body.
                    setError(RemoteHostClosedError, QStringLiteral("connection closed"));
                    Q_EMIT errorOccurred(RemoteHostClosedError);
                }
                setFinished(true);
                Q_EMIT finished();
            });
    }
    void abort() override {
        if (isFinished())
            return;
        setError(OperationCanceledError, QStringLiteral("cancelled"));
        setFinished(true);
        Q_EMIT errorOccurred(OperationCanceledError);
        Q_EMIT finished();
    }
    qint64 bytesAvailable() const override {
        return m_body.size() - m_read + QIODevice::bytesAvailable();
    }
    bool isSequential() const override { return true; }

protected:
    qint64 readData(char *data, qint64 max) override {
        const qint64 n = qMin(max, qint64(m_body.size()) - m_read);
        memcpy(data, m_body.constData() + m_read, size_t(n));
        m_read += n;
        return n;
    }

private:
    QByteArray m_body;
    qint64 m_read = 0;
};

// A QNetworkAccessManager that answers from a script instead of the network, and records
// what was asked of it: the seam the client's one injected manager gives tests.
class FakeNetwork : public QNetworkAccessManager {
    Q_OBJECT
public:
    struct Canned {
        int status = 200;
        QByteArray body;
        int delayMs = 0; // negative: never answers
        bool dropMidBody = false;
    };
    QQueue<Canned> script;
    QStringList asked; // "GET /v1/..."
    int aborted = 0;

protected:
    QNetworkReply *createRequest(Operation op, const QNetworkRequest &req, QIODevice *) override {
        const QByteArray verb =
            op == GetOperation ? "GET"
            : op == CustomOperation
                ? req.attribute(QNetworkRequest::CustomVerbAttribute).toByteArray()
                : "OTHER";
        asked << QString::fromLatin1(verb) + QLatin1Char(' ') + req.url().path() +
                     (req.url().hasQuery() ? QLatin1Char('?') + req.url().query() : QString());
        const Canned c = script.isEmpty() ? Canned{500, "{}"} : script.dequeue();
        auto *reply = new CannedReply(op, req, c.status, c.body, c.delayMs, c.dropMidBody, this);
        connect(reply, &QNetworkReply::errorOccurred, this, [this](QNetworkReply::NetworkError e) {
            aborted += e == QNetworkReply::OperationCanceledError;
        });
        return reply;
    }
};

class TestApiClient : public QObject {
    Q_OBJECT

    struct Result {
        bool done = false;
        nlohmann::json json;
        ApiError error;
    };

    Result call(ApiClient &api, const QByteArray &method, const QString &path) {
        Result r;
        api.send(method, path, method == "GET" ? nlohmann::json() : nlohmann::json::object(), this,
                 [&r](const nlohmann::json &j, const ApiError &e) {
                     r.done = true;
                     r.json = j;
                     r.error = e;
                 });
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(r.done, 10000);
        }();
        return r;
    }

private Q_SLOTS:
    // Every call goes through the manager the client was given, typed endpoints included.
    void requestsGoThroughTheInjectedNetwork() {
        FakeNetwork net;
        net.script << FakeNetwork::Canned{
            200,
            R"({"jobs":[{"job_id":7,"name":"a","job_state":["RUNNING"]}],"total":1,"cursor":"5","has_more":false})"};
        ApiClient api(&net);
        QCOMPARE(api.network(), &net);
        api.setBaseUrl(QUrl(QStringLiteral("http://api.invalid/base")));
        std::optional<JobPage> page;
        api.jobs().list(QStringLiteral("c 1"), QStringLiteral("2026-01-01T00:00:00+01:00"), this,
                        [&](const JobPage &p, const ApiError &e) {
                            QVERIFY(!e.isError());
                            page = p;
                        });
        QTRY_VERIFY_WITH_TIMEOUT(page.has_value(), 5000);
        QCOMPARE(page->jobs.size(), 1);
        QCOMPARE(page->jobs[0].jobId, qint64(7));
        QCOMPARE(page->cursor, QStringLiteral("5"));
        QCOMPARE(net.asked,
                 QStringList{QStringLiteral("GET /base/v1/clusters/c%201/jobs?limit=20000&"
                                            "updated_since=2026-01-01T00%3A00%3A00%2B01%3A00")});
    }

    // Bytes that are not JSON, and a connection lost halfway through a body, are errors the
    // user can read; neither reaches a decoder as data.
    void garbageAndCutBodiesAreErrors() {
        FakeNetwork net;
        net.script << FakeNetwork::Canned{200, "\x89PNG\r\n garbage {"}
                   << FakeNetwork::Canned{200, R"({"clusters":[{"id":"a"},)", 0, true}
                   << FakeNetwork::Canned{200, R"({"clusters":[{"id":"a"},)", 0, true}
                   << FakeNetwork::Canned{200, R"({"clusters":[{"id":"a"},)", 0, true}
                   << FakeNetwork::Canned{200, R"({"clusters":[{"id":"a"},)", 0, true};
        ApiClient api(&net);
        api.setBaseUrl(QUrl(QStringLiteral("http://api.invalid")));
        Result garbage = call(api, "GET", QStringLiteral("/v1/clusters"));
        QCOMPARE(garbage.error.type, ErrorType::InternalError);
        QVERIFY(garbage.error.message.contains(u"not JSON"));
        // A GET cut short is tried again (three more times), then reported as the network.
        Result cut = call(api, "GET", QStringLiteral("/v1/clusters"));
        QVERIFY(cut.error.isError());
        QCOMPARE(cut.error.type, ErrorType::NetworkError);
        QCOMPARE(net.asked.size(), 5);
    }

    // A cancelled request never calls back, and its reply is aborted.
    void aCancelledRequestSaysNothing() {
        FakeNetwork net;
        net.script << FakeNetwork::Canned{200, R"({"ok":true})", -1};
        ApiClient api(&net);
        api.setBaseUrl(QUrl(QStringLiteral("http://api.invalid")));
        bool called = false;
        RequestHandle h =
            api.send("GET", QStringLiteral("/v1/clusters"), nullptr, this,
                     [&](const nlohmann::json &, const ApiError &) { called = true; });
        QVERIFY(h.isActive());
        h.cancel();
        QVERIFY(!h.isActive());
        QCOMPARE(net.aborted, 1);
        h.cancel(); // twice is once
        QTest::qWait(50);
        QVERIFY(!called);
        QVERIFY(api.isOnline()); // a cancel is not the network going away
    }

    // Cancelled between attempts: the retry is not sent.
    void aCancelledRetryIsNotSent() {
        FakeNetwork net;
        net.script
            << FakeNetwork::Canned{503,
                                   R"({"error":{"type":"ServiceUnavailable","message":"busy"}})"}
            << FakeNetwork::Canned{200, R"({"ok":true})"};
        ApiClient api(&net);
        api.setBaseUrl(QUrl(QStringLiteral("http://api.invalid")));
        bool called = false;
        RequestHandle h =
            api.send("GET", QStringLiteral("/v1/clusters"), nullptr, this,
                     [&](const nlohmann::json &, const ApiError &) { called = true; });
        QTRY_COMPARE_WITH_TIMEOUT(net.asked.size(), 1, 5000);
        QTest::qWait(20); // the 503 has come; the retry waits 250 ms
        h.cancel();
        QTest::qWait(600);
        QCOMPARE(net.asked.size(), 1);
        QVERIFY(!called);
        // A finished request cannot be cancelled into silence after the fact.
        bool second = false;
        net.script << FakeNetwork::Canned{200, R"({"ok":true})"};
        RequestHandle done =
            api.send("GET", QStringLiteral("/v1/clusters"), nullptr, this,
                     [&](const nlohmann::json &, const ApiError &) { second = true; });
        QTRY_VERIFY_WITH_TIMEOUT(second, 5000);
        QVERIFY(!done.isActive());
        done.cancel();
    }
    // A folder whose listing fails is named, never silently left out of a deletion; the
    // outcome counts what was deleted and names what was not.
    void deletionNamesWhatItCouldNotDo() {
        FakeHttp http;
        http.replies
            << FakeHttp::Reply{200, R"({"files":[{"key":"data/a/ok/1"},{"key":"data/a/ok/2"}]})"}
            << FakeHttp::Reply{403, R"({"error":{"type":"Forbidden","message":"not yours"}})"};
        ApiClient api;
        api.setBaseUrl(http.url());
        std::optional<DeletionPlan> plan;
        planDeletion(api, QStringLiteral("c1"), {QStringLiteral("data/a/x")},
                     {QStringLiteral("data/a/ok/"), QStringLiteral("data/b/")}, this,
                     [&](const DeletionPlan &p) { plan = p; });
        QTRY_VERIFY_WITH_TIMEOUT(plan.has_value(), 10000);
        QCOMPARE(plan->keys, (QStringList{QStringLiteral("data/a/x"), QStringLiteral("data/a/ok/1"),
                                          QStringLiteral("data/a/ok/2")}));
        QCOMPARE(plan->unlisted, QStringList{QStringLiteral("data/b/: not yours")});
        QVERIFY(http.requests[1].contains("prefix=data%2Fb%2F"));

        http.replies << FakeHttp::Reply{200, "{}"}
                     << FakeHttp::Reply{404, R"({"error":{"type":"NotFound","message":"gone"}})"}
                     << FakeHttp::Reply{200, "{}"};
        std::optional<DeletionOutcome> outcome;
        deleteKeys(api, QStringLiteral("c1"), plan->keys, this,
                   [&](const DeletionOutcome &o) { outcome = o; });
        QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 10000);
        QCOMPARE(outcome->deleted, 2);
        QCOMPARE(outcome->failures.size(), 1);
        QVERIFY(outcome->failures[0].endsWith(u": gone"));
    }

    void getIsRetriedOnTransientErrors() {
        FakeHttp http;
        http.replies
            << FakeHttp::Reply{503, R"({"error":{"type":"ServiceUnavailable","message":"busy"}})"}
            << FakeHttp::Reply{0, {}, true} << FakeHttp::Reply{200, R"({"ok":true})"};
        ApiClient api;
        api.setBaseUrl(http.url());
        const Result r = call(api, "GET", QStringLiteral("/v1/clusters"));
        QVERIFY(!r.error.isError());
        QCOMPARE(r.json["ok"].get<bool>(), true);
        QCOMPARE(http.requests.size(), 3);
    }

    void postIsNotRetried() {
        FakeHttp http;
        http.replies
            << FakeHttp::Reply{503, R"({"error":{"type":"ServiceUnavailable","message":"busy"}})"}
            << FakeHttp::Reply{200, "{}"};
        ApiClient api;
        api.setBaseUrl(http.url());
        const Result r = call(api, "POST", QStringLiteral("/v1/clusters/x/jobs/submit"));
        QCOMPARE(r.error.type, ErrorType::ServiceUnavailable);
        QCOMPARE(r.error.httpStatus, 503);
        QCOMPARE(http.requests.size(), 1); // a submit must never run twice
    }

    void unauthorizedReauthenticatesOnce() {
        FakeHttp http;
        http.replies << FakeHttp::Reply{401,
                                        R"({"error":{"type":"Unauthorized","message":"expired"}})"}
                     << FakeHttp::Reply{200, R"({"n":1})"};
        ApiClient api;
        int reauths = 0;
        signInRenewingToNew(api, http, reauths);
        const Result r = call(api, "POST", QStringLiteral("/v1/clusters"));
        QVERIFY(!r.error.isError());
        QCOMPARE(reauths, 1);
        QVERIFY(http.requests[0].endsWith("Bearer old"));
        QVERIFY(http.requests[1].endsWith("Bearer new"));
    }

    void failedReauthenticationExpiresTheSession() {
        FakeHttp http;
        http.replies << FakeHttp::Reply{401,
                                        R"({"error":{"type":"Unauthorized","message":"expired"}})"};
        ApiClient api;
        api.setBaseUrl(http.url());
        api.setReauthenticator([](std::function<void(bool)> done) { done(false); });
        QSignalSpy expired(&api, &ApiClient::sessionExpired);
        const Result r = call(api, "GET", QStringLiteral("/v1/clusters"));
        QCOMPARE(r.error.type, ErrorType::Unauthorized);
        QVERIFY(r.error.message.contains(QStringLiteral("Sign in")));
        QCOMPARE(expired.size(), 1);
    }

    void errorsBecomeApiErrors() {
        FakeHttp http;
        http.replies
            << FakeHttp::
                   Reply{409,
                         R"({"error":{"type":"ClusterNameInUse","message":"taken","field":"name"}})"}
            << FakeHttp::Reply{200, "<html>proxy page</html>"}
            << FakeHttp::Reply{502, "Bad gateway"};
        ApiClient api;
        api.setBaseUrl(http.url());
        api.setMaxRetries(0);
        Result r = call(api, "POST", QStringLiteral("/v1/clusters"));
        QCOMPARE(r.error.type, ErrorType::ClusterNameInUse);
        QCOMPARE(r.error.field, QStringLiteral("name"));
        QCOMPARE(r.error.httpStatus, 409);
        r = call(api, "GET", QStringLiteral("/v1/clusters"));
        QCOMPARE(r.error.type, ErrorType::InternalError);
        QVERIFY(r.error.message.contains(QStringLiteral("not JSON")));
        r = call(api, "GET", QStringLiteral("/v1/clusters"));
        QCOMPARE(r.error.httpStatus, 502);
        QVERIFY(r.error.message.contains(QStringLiteral("502")));
    }

    void unreachableServerIsANetworkError() {
        ApiClient api;
        QTcpServer closed;
        closed.listen(QHostAddress::LocalHost);
        api.setBaseUrl(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(closed.serverPort())));
        closed.close();
        api.setMaxRetries(1);
        QSignalSpy online(&api, &ApiClient::onlineChanged);
        const Result r = call(api, "GET", QStringLiteral("/healthz"));
        QCOMPARE(r.error.type, ErrorType::NetworkError);
        QVERIFY(r.error.message.startsWith(QStringLiteral("Cannot reach the server")));
        QVERIFY(!api.isOnline());
        QCOMPARE(online.size(), 1);
    }

    void callbackDroppedWhenContextDies() {
        FakeHttp http;
        http.replies << FakeHttp::Reply{200, "{}"};
        ApiClient api;
        api.setBaseUrl(http.url());
        bool called = false;
        auto *context = new QObject;
        api.send("GET", QStringLiteral("/x"), nullptr, context,
                 [&](const nlohmann::json &, const ApiError &) { called = true; });
        delete context;
        QTRY_COMPARE_WITH_TIMEOUT(http.requests.size(), 1, 5000);
        QTest::qWait(200);
        QVERIFY(!called);
    }
};

QTEST_GUILESS_MAIN(TestApiClient)
#include "tst_apiclient.moc"
