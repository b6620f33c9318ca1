// The services enforce their own policy, whoever calls them: every mutating method, called
// in-process (as the agent's tools will) by an ordinary user or by another organisation's
// administrator, is refused as the API refuses it. No route table in between.
#include "server/ServerApp.h"
#include "server/auth/UserDirectory.h"
#include "server/clusters/ClusterService.h"
#include "server/jobs/JobService.h"
#include "server/objects/StorageService.h"

#include <QTemporaryDir>
#include <QTest>
#include <optional>

using namespace clusterra;
using namespace clusterra::server;
using nlohmann::json;

namespace {
Principal person(qint64 id, const char *email, const char *role, const char *org) {
    Principal p;
    p.userId = id;
    p.email = QString::fromLatin1(email);
    p.role = QString::fromLatin1(role);
    p.org = QString::fromLatin1(org);
    p.uid = 60000 + id;
    return p;
}
} // namespace

class TestServicePolicy : public QObject {
    Q_OBJECT
    QTemporaryDir dir;
    ServerApp app;
    Principal admin;
    // An ordinary member of the admin's organisation, and another organisation's administrator.
    const Principal member = person(900, "member@localhost", "user", "local");
    const Principal outsider = person(901, "admin@elsewhere.org", "admin", "elsewhere.org");
    ClusterRecord cluster;
    qint64 adminJob = 0;

    // A service's answer through its Done<T>, waited for on the event loop.
    template <typename T> struct Answer {
        bool done = false;
        T value{};
        ApiError error;
    };
    template <typename T, typename Call> Answer<T> answer(Call call) {
        Answer<T> a;
        call([&a](const T &value, const ApiError &e) {
            a.done = true;
            a.value = value;
            a.error = e;
        });
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(a.done, 10000);
        }();
        return a;
    }
    // Whether a call was refused, whatever it would have answered.
    using Refusal = std::function<void(std::function<void(const ApiError &)>)>;
    template <typename T, typename Call> static Refusal refusalOf(Call call) {
        return [call](std::function<void(const ApiError &)> seen) {
            call(Done<T>([seen](const T &, const ApiError &e) { seen(e); }));
        };
    }
    ApiError errorOf(const Refusal &call) {
        return answer<ApiError>(
                   [&](Done<ApiError> d) { call([d](const ApiError &e) { d(e, {}); }); })
            .value;
    }

private Q_SLOTS:
    void initTestCase() {
        ServerOptions options;
        options.dataDir = dir.path();
        options.localCpus = 2;
        options.runnerProgram = QStringLiteral(CLUSTERRA_SERVER_BIN); // jobs start through it
        QString error;
        QVERIFY2(app.start(options, &error), qPrintable(error));
        auto s = app.services();
        const auto local = s.users.byEmail(QStringLiteral("admin@localhost"));
        QVERIFY(local && local->isAdmin());
        admin = *local;
        ApiError e;
        const auto made = s.clusters.create(admin,
                                            {{"name", "policy"},
                                             {"cluster_type", "slurm"},
                                             {"partitions", json::array({{{"name", "compute"},
                                                                          {"node_type", "local"},
                                                                          {"max_node_count", 1},
                                                                          {"is_default", true}}})}},
                                            &e);
        QVERIFY2(!e.isError(), qPrintable(e.message));
        QVERIFY(made);
        const QString id = made->view.cluster.id;
        const auto stateOf = [&] {
            const auto c = s.clusters.byId(id);
            return c ? c->state + QLatin1Char(' ') + c->stateReason : QStringLiteral("missing");
        };
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(), QStringLiteral("ready "), 20000);
        cluster = *s.clusters.byId(id);
        const auto submitted = answer<SubmitResult>([&](Done<SubmitResult> done) {
            s.jobs.submit(admin, cluster,
                          {{"script", "#!/bin/sh\nsleep 30\n"},
                           {"job",
                            {{"current_working_directory", "/tmp"},
                             {"environment", json::array({"PATH=/bin"})}}}},
                          done);
        });
        QVERIFY2(!submitted.error.isError(), qPrintable(submitted.error.message));
        adminJob = submitted.value.jobId;
        QVERIFY(adminJob > 0);
    }

    void clusterLifecycleIsAdministrators() {
        auto s = app.services();
        ApiError e;
        s.clusters.create(member, {{"name", "mine"}, {"cluster_type", "slurm"}}, &e);
        QCOMPARE(e.type, ErrorType::Forbidden);
        e = {};
        s.clusters.update(member, cluster.id, {{"description", "taken over"}}, &e);
        QCOMPARE(e.type, ErrorType::Forbidden);
        e = {};
        s.clusters.remove(member, cluster.id, &e);
        QCOMPARE(e.type, ErrorType::Forbidden);
        // Another organisation's cluster does not exist for its administrator.
        e = {};
        s.clusters.update(outsider, cluster.id, {{"description", "taken over"}}, &e);
        QCOMPARE(e.type, ErrorType::NotFound);
        e = {};
        s.clusters.remove(outsider, cluster.id, &e);
        QCOMPARE(e.type, ErrorType::NotFound);
        QCOMPARE(s.clusters.byId(cluster.id)->state, QStringLiteral("ready"));
        // Nor is it found or listed.
        e = {};
        QVERIFY(!s.clusters.find(outsider, cluster.id, &e));
        QCOMPARE(e.type, ErrorType::NotFound);
        for (const auto &v : s.clusters.list(outsider))
            QVERIFY(v.cluster.id != cluster.id);
        // Nor are its view, partitions or nodes shown; its members see all three.
        e = {};
        QVERIFY(!s.clusters.view(outsider, cluster.id, &e));
        QCOMPARE(e.type, ErrorType::NotFound);
        e = {};
        QVERIFY(!s.clusters.partitions(outsider, cluster.id, &e));
        QCOMPARE(e.type, ErrorType::NotFound);
        e = {};
        QVERIFY(!s.clusters.nodeViews(outsider, cluster.id, &e));
        QCOMPARE(e.type, ErrorType::NotFound);
        QCOMPARE(s.clusters.view(member, cluster.id, &e)->cluster.id, cluster.id);
        QVERIFY(!s.clusters.partitions(member, cluster.id, &e)->empty());
        QVERIFY(!s.clusters.nodeViews(member, cluster.id, &e)->isEmpty());
        bool listed = false;
        for (const auto &v : s.clusters.list(member))
            listed = listed || v.cluster.id == cluster.id;
        QVERIFY(listed);
    }

    void usersAreManagedByTheirAdministrators() {
        auto s = app.services();
        ApiError e;
        s.users.list(member, &e);
        QCOMPARE(e.type, ErrorType::Forbidden);
        e = {};
        QVERIFY(!s.users.setRole(member, admin.userId, QStringLiteral("user"), &e));
        QCOMPARE(e.type, ErrorType::Forbidden);
        e = {};
        QVERIFY(!s.users.setLinuxUser(member, admin.userId, QStringLiteral("nobody"), &e));
        QCOMPARE(e.type, ErrorType::Forbidden);
        e = {};
        QVERIFY(!s.users.setRole(outsider, admin.userId, QStringLiteral("user"), &e));
        QCOMPARE(e.type, ErrorType::NotFound);
        e = {};
        QVERIFY(!s.users.setLinuxUser(outsider, admin.userId, QStringLiteral("nobody"), &e));
        QCOMPARE(e.type, ErrorType::NotFound);
        QVERIFY(s.users.byId(admin.userId)->isAdmin());
    }

    // Jumping the queue is for administrators: an ordinary member's priority is refused at
    // the field, an administrator's taken.
    void onlyAdministratorsSetPriority() {
        auto s = app.services();
        const json body{{"script", "#!/bin/sh\ntrue\n"},
                        {"job",
                         {{"current_working_directory", "/tmp"},
                          {"environment", {"PATH=/bin"}},
                          {"priority", 1000000}}}};
        const auto refused = answer<SubmitResult>(
            [&](Done<SubmitResult> done) { s.jobs.submit(member, cluster, body, done); });
        QCOMPARE(refused.error.type, ErrorType::ValidationError);
        QCOMPARE(refused.error.field, QStringLiteral("job.priority"));
        const auto taken = answer<SubmitResult>(
            [&](Done<SubmitResult> done) { s.jobs.submit(admin, cluster, body, done); });
        QVERIFY2(!taken.error.isError(), qPrintable(taken.error.message));
    }

    void jobsAreTheirOwnersAndTheirOrganisations() {
        auto s = app.services();
        const json body{{"script", "#!/bin/sh\ntrue\n"},
                        {"job", {{"current_working_directory", "/tmp"}}}};
        const auto submitted = answer<SubmitResult>(
            [&](Done<SubmitResult> done) { s.jobs.submit(outsider, cluster, body, done); });
        QCOMPARE(submitted.error.type, ErrorType::NotFound);
        const QString job = QString::number(adminJob);
        auto a = answer<CancelResult>(
            [&](Done<CancelResult> done) { s.jobs.cancel(outsider, cluster, job, done); });
        QCOMPARE(a.error.type, ErrorType::NotFound);
        a = answer<CancelResult>(
            [&](Done<CancelResult> done) { s.jobs.cancel(member, cluster, job, done); });
        QCOMPARE(a.error.type, ErrorType::Forbidden);
        // Reading: another organisation finds nothing, a member sees the job but not its output.
        ApiError e;
        QVERIFY(!s.jobs.find(outsider, cluster, job, &e));
        QCOMPARE(e.type, ErrorType::NotFound);
        e = {};
        s.jobs.list(outsider, cluster, {}, &e);
        QCOMPARE(e.type, ErrorType::NotFound);
        e = {};
        QVERIFY(s.jobs.find(member, cluster, job, &e));
        QVERIFY(!s.jobs.findInspectable(member, cluster, job, &e));
        QCOMPARE(e.type, ErrorType::Forbidden);
        e = {};
        QVERIFY(!isFinished(s.jobs.find(admin, cluster, job, &e)->state));
    }

    void filesAreTheirOwnersAndTheirOrganisations() {
        auto s = app.services();
        const QString adminKey = QStringLiteral("data/admin@localhost/results.csv");
        const PresignRequest put{adminKey, QStringLiteral("PUT"), 3600, {}};
        const PresignRequest shared{
            QStringLiteral("shared/reference.fa"), QStringLiteral("PUT"), 3600, {}};
        const auto refused = [&](const Principal &who, ErrorType type) {
            const Refusal calls[] = {
                refusalOf<PresignedLink>(
                    [&, who](Done<PresignedLink> d) { s.storage.presign(who, cluster, put, d); }),
                refusalOf<QString>(
                    [&, who](Done<QString> d) { s.storage.remove(who, cluster, adminKey, d); }),
                refusalOf<UploadStarted>([&, who](Done<UploadStarted> d) {
                    s.storage.createUpload(who, cluster, adminKey, {}, d);
                }),
            };
            for (const auto &call : calls)
                QCOMPARE(errorOf(call).type, type);
        };
        refused(member, ErrorType::Forbidden);
        refused(outsider, ErrorType::NotFound);
        // Another organisation does not even see the bucket's folders.
        QCOMPARE(errorOf(refusalOf<Listing>([&](Done<Listing> d) {
                     s.storage.list(outsider, cluster, {QStringLiteral("data/"), true, {}, 100}, d);
                 })).type,
                 ErrorType::NotFound);
        auto link = answer<PresignedLink>(
            [&](Done<PresignedLink> d) { s.storage.presign(member, cluster, shared, d); });
        QCOMPARE(link.error.type, ErrorType::Forbidden); // shared/ is written by administrators
        // The admin's own multipart upload is theirs alone to list, sign, finish or abort.
        const auto started = answer<UploadStarted>([&](Done<UploadStarted> d) {
            s.storage.createUpload(admin, cluster, adminKey, {}, d);
        });
        QVERIFY2(!started.error.isError(), qPrintable(started.error.message));
        const QString upload = started.value.uploadId;
        QVERIFY(!upload.isEmpty());
        for (const Principal &who : {member, outsider}) {
            const Refusal calls[] = {
                refusalOf<UploadParts>(
                    [&](Done<UploadParts> d) { s.storage.listParts(who, cluster, upload, d); }),
                refusalOf<PartLinks>([&](Done<PartLinks> d) {
                    s.storage.presignParts(who, cluster, upload, {1}, 3600, d);
                }),
                refusalOf<ObjectInfo>([&](Done<ObjectInfo> d) {
                    s.storage.complete(who, cluster, upload, {{1, 0, "\"x\""}}, d);
                }),
                refusalOf<QString>(
                    [&](Done<QString> d) { s.storage.abort(who, cluster, upload, d); }),
            };
            for (const auto &call : calls) {
                const ApiError refusal = errorOf(call);
                QVERIFY2(refusal.type == ErrorType::Forbidden ||
                             refusal.type == ErrorType::NotFound,
                         qPrintable(refusal.message));
            }
        }
        const auto parts = answer<UploadParts>(
            [&](Done<UploadParts> d) { s.storage.listParts(admin, cluster, upload, d); });
        QVERIFY2(!parts.error.isError(), qPrintable(parts.error.message)); // still theirs
    }

    void cleanupTestCase() {
        auto s = app.services();
        answer<CancelResult>([&](Done<CancelResult> d) {
            s.jobs.cancel(admin, cluster, QString::number(adminJob), d);
        });
        app.stop();
    }
};

QTEST_GUILESS_MAIN(TestServicePolicy)
#include "tst_service_policy.moc"
