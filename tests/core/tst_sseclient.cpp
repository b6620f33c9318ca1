#include "core/client/ApiClient.h"
#include "core/client/SseClient.h"
#include "tests/core/FakeHttp.h"

#include <QSignalSpy>
#include <QTest>

using namespace clusterra;

// The SSE client over a scripted peer: the cases a real server cannot be made to produce on
// cue (a token that expires under a stream, a connection that goes silent). Streams from the
// real server are tested with it (tst_jobs_api, tst_mainwindow).
class TestSseClient : public QObject {
    Q_OBJECT

    static constexpr const char *kExpired =
        R"({"error":{"type":"Unauthorized","message":"token expired"}})";

private Q_SLOTS:
    // A stream answered 401 gets the client's re-authentication and goes on with the new token.
    void unauthorizedStreamReauthenticatesAndGoesOn() {
        FakeHttp http;
        http.replies << FakeHttp::Reply{401, kExpired}
                     << FakeHttp::Reply{200, "id: 7\ndata: hello\n\n", false, true};
        ApiClient api;
        int reauths = 0;
        signInRenewingToNew(api, http, reauths);
        SseClient sse(&api);
        QStringList events;
        connect(&sse, &SseClient::eventReceived, this,
                [&](const SseEvent &e) { events << e.data; });
        QSignalSpy failed(&sse, &SseClient::failed);
        sse.start(QStringLiteral("/v1/events"));
        QTRY_COMPARE_WITH_TIMEOUT(events.size(), 1, 10000);
        QCOMPARE(events, QStringList{QStringLiteral("hello")});
        QCOMPARE(sse.state(), SseClient::State::Open);
        QCOMPARE(reauths, 1);
        QCOMPARE(http.requests.size(), 2);
        QVERIFY(http.requests[0].endsWith("Bearer old"));
        QVERIFY(http.requests[1].endsWith("Bearer new"));
        QVERIFY(failed.isEmpty());
        sse.stop();
    }

    // When re-authentication fails the stream ends with the session-expired error, once,
    // and never asks again with the dead token.
    void failedReauthenticationEndsTheStream() {
        FakeHttp http;
        http.replies << FakeHttp::Reply{401, kExpired};
        ApiClient api;
        api.setBaseUrl(http.url());
        api.setReauthenticator([](std::function<void(bool)> done) { done(false); });
        QSignalSpy expired(&api, &ApiClient::sessionExpired);
        SseClient sse(&api);
        QSignalSpy failed(&sse, &SseClient::failed);
        sse.start(QStringLiteral("/v1/events"));
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 10000);
        QCOMPARE(failed[0][0].value<ApiError>().type, ErrorType::Unauthorized);
        QCOMPARE(expired.size(), 1);
        QCOMPARE(sse.state(), SseClient::State::Closed);
        QTest::qWait(700); // past the first reconnect delay
        QCOMPARE(http.requests.size(), 1);
    }

    // A second 401 straight after a fresh token is final: no loop of sign-ins.
    void aSecondUnauthorizedIsFinal() {
        FakeHttp http;
        http.replies << FakeHttp::Reply{401, kExpired} << FakeHttp::Reply{401, kExpired};
        ApiClient api;
        api.setBaseUrl(http.url());
        int reauths = 0;
        api.setReauthenticator([&](std::function<void(bool)> done) {
            ++reauths;
            done(true);
        });
        SseClient sse(&api);
        QSignalSpy failed(&sse, &SseClient::failed);
        sse.start(QStringLiteral("/v1/events"));
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 10000);
        QCOMPARE(failed[0][0].value<ApiError>().type, ErrorType::Unauthorized);
        QCOMPARE(reauths, 1);
        QCOMPARE(http.requests.size(), 2);
    }

    // A connection that goes silent (a network drop the socket never hears of) is given up
    // after the idle timeout and reconnected from the last event seen.
    void aSilentStreamIsReconnectedFromItsLastEvent() {
        FakeHttp http;
        http.replies << FakeHttp::Reply{200, "id: 41\ndata: first\n\n", false, true}
                     << FakeHttp::Reply{200, "id: 42\ndata: second\n\n", false, true};
        ApiClient api;
        api.setBaseUrl(http.url());
        api.setStreamIdleTimeoutMs(400);
        SseClient sse(&api);
        QStringList events;
        connect(&sse, &SseClient::eventReceived, this,
                [&](const SseEvent &e) { events << e.data; });
        sse.start(QStringLiteral("/v1/clusters/c/jobs/1/output/stream"));
        QTRY_COMPARE_WITH_TIMEOUT(events.size(), 2, 10000);
        QCOMPARE(events, (QStringList{QStringLiteral("first"), QStringLiteral("second")}));
        QCOMPARE(http.lastEventIds.value(0), QByteArray());
        QCOMPARE(http.lastEventIds.value(1), QByteArray("41"));
        sse.stop();
    }

    // Stopping while the re-authentication is still out drops its answer: nothing reconnects.
    void stoppingDuringReauthenticationStaysStopped() {
        FakeHttp http;
        http.replies << FakeHttp::Reply{401, kExpired};
        ApiClient api;
        api.setBaseUrl(http.url());
        std::function<void(bool)> pending;
        api.setReauthenticator([&](std::function<void(bool)> done) { pending = std::move(done); });
        SseClient sse(&api);
        sse.start(QStringLiteral("/v1/events"));
        QTRY_VERIFY_WITH_TIMEOUT(bool(pending), 10000);
        sse.stop();
        pending(true);
        QTest::qWait(300);
        QCOMPARE(http.requests.size(), 1);
        QCOMPARE(sse.state(), SseClient::State::Closed);
    }
};

QTEST_GUILESS_MAIN(TestSseClient)
#include "tst_sseclient.moc"
