#include "core/sse/SseParser.h"

#include <QRandomGenerator>
#include <QTest>

using namespace clusterra;

Q_DECLARE_METATYPE(QList<QByteArray>)

class TestSseParser : public QObject {
    Q_OBJECT

    // Events rendered as "type|id|data" so a table row can state them compactly.
    static QStringList render(const QList<SseEvent> &events) {
        QStringList out;
        for (const auto &e : events)
            out << e.type + QLatin1Char('|') + e.lastEventId + QLatin1Char('|') + e.data;
        return out;
    }

private Q_SLOTS:
    void parse_data() {
        QTest::addColumn<QList<QByteArray>>("chunks");
        QTest::addColumn<QStringList>("expected");
        auto row = [](const char *name, QList<QByteArray> chunks, QStringList expected) {
            QTest::newRow(name) << chunks << expected;
        };
        row("lf", {"data: a\n\n"}, {QStringLiteral("message||a")});
        row("crlf", {"data: a\r\n\r\n"}, {QStringLiteral("message||a")});
        row("cr", {"data: a\r\r"}, {QStringLiteral("message||a")});
        row("crlf split across chunks", {"data: a\r", "\n\r", "\n"},
            {QStringLiteral("message||a")});
        row("byte by byte", {"d", "a", "t", "a", ":", " ", "x", "\n", "\n"},
            {QStringLiteral("message||x")});
        row("multi data lines", {"data: a\ndata: b\n\n"}, {QStringLiteral("message||a\nb")});
        row("empty data line", {"data\n\n"}, {QStringLiteral("message||")});
        row("only one space stripped", {"data:  two\n\n"}, {QStringLiteral("message|| two")});
        row("no space after colon", {"data:x\n\n"}, {QStringLiteral("message||x")});
        row("event type", {"event: log\ndata: x\n\n"}, {QStringLiteral("log||x")});
        row("event type resets", {"event: log\ndata: x\n\ndata: y\n\n"},
            {QStringLiteral("log||x"), QStringLiteral("message||y")});
        row("id persists", {"id: 7\ndata: x\n\ndata: y\n\n"},
            {QStringLiteral("message|7|x"), QStringLiteral("message|7|y")});
        row("id with NUL ignored", {QByteArray("id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\n", 32)},
            {QStringLiteral("message|1|a"), QStringLiteral("message|1|b")});
        row("empty id resets", {"id: 5\ndata: a\n\nid\ndata: b\n\n"},
            {QStringLiteral("message|5|a"), QStringLiteral("message||b")});
        row("comment ignored", {": keep-alive\n\ndata: x\n\n"}, {QStringLiteral("message||x")});
        row("no data no dispatch", {"event: log\n\n"}, {});
        row("unterminated final event", {"data: a\n\ndata: b\n"}, {QStringLiteral("message||a")});
        row("unknown field ignored", {"foo: bar\ndata: x\n\n"}, {QStringLiteral("message||x")});
        row("bom stripped",
            {"\xEF\xBB\xBF"
             "data: x\n\n"},
            {QStringLiteral("message||x")});
        row("bom split",
            {"\xEF", "\xBB",
             "\xBF"
             "data: x\n\n"},
            {QStringLiteral("message||x")});
        row("second bom kept",
            {"\xEF\xBB\xBF\xEF\xBB\xBF"
             "data: x\n\n"},
            {});
        row("utf8 split in multibyte", {"data: \xC3", "\xA9\n\n"},
            {QString::fromUtf8("message||\xC3\xA9")});
        row("data field name exact", {"Data: x\n\n"}, {});
    }

    void parse() {
        QFETCH(QList<QByteArray>, chunks);
        QFETCH(QStringList, expected);
        SseParser p;
        QList<SseEvent> events;
        for (const auto &c : chunks)
            events += p.feed(c);
        QCOMPARE(render(events), expected);
    }

    void retry_data() {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("expected");
        QTest::newRow("digits") << QByteArray("retry: 1500\n\n") << 1500;
        QTest::newRow("not digits") << QByteArray("retry: 15x\n\n") << -1;
        QTest::newRow("empty") << QByteArray("retry\n\n") << -1;
    }

    void retry() {
        QFETCH(QByteArray, input);
        QFETCH(int, expected);
        SseParser p;
        p.feed(input);
        QCOMPARE(p.retryMs().value_or(-1), expected);
    }

    void lastEventIdSurvivesReset() {
        SseParser p;
        p.feed("id: 42\ndata: a\n\ndata: partial");
        p.reset();
        QCOMPARE(p.lastEventId(), QStringLiteral("42"));
        const auto events = p.feed("data: b\n\n");
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].data, QStringLiteral("b"));
        QCOMPARE(events[0].lastEventId, QStringLiteral("42"));
    }

    void commentsCounted() {
        SseParser p;
        p.feed(": ping\n\n: ping\n\n");
        QCOMPARE(p.commentCount(), 2);
    }

    // Whatever the server formats, the parser returns, however the bytes are cut.
    void formatRoundTrip_data() {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QString>("expected");
        QTest::newRow("lines") << QByteArray("a\nb\n") << QStringLiteral("a\nb\n");
        QTest::newRow("no trailing lf") << QByteArray("a\nb") << QStringLiteral("a\nb");
        QTest::newRow("crlf normalised") << QByteArray("a\r\nb\r\n") << QStringLiteral("a\nb\n");
        QTest::newRow("lone cr becomes lf")
            << QByteArray("50%\r100%\n") << QStringLiteral("50%\n100%\n");
        QTest::newRow("empty") << QByteArray() << QString();
        QTest::newRow("colons and spaces")
            << QByteArray(" : x: y\n") << QStringLiteral(" : x: y\n");
        QTest::newRow("utf8") << QByteArray("h\xC3\xA9llo \xE2\x9C\x93\n")
                              << QString::fromUtf8("h\xC3\xA9llo \xE2\x9C\x93\n");
        // Only the stream's first BOM is the stream's; a line that starts with one keeps it
        // (found by fuzz_sse: a Windows-made file cat'ed by a job lost its first bytes).
        QTest::newRow("bom starting a line")
            << QByteArray("a\n\xEF\xBB\xBF"
                          "b\n")
            << QStringLiteral("a\n") + QChar(0xFEFF) + QStringLiteral("b\n");
        // Each empty line costs 7 bytes on the wire against 1 in: the output buffer grows.
        QTest::newRow("thousands of empty lines")
            << QByteArray(5000, '\n') << QString(5000, QLatin1Char('\n'));
        QTest::newRow("cr, crlf and lf mixed, short")
            << QByteArray("a\r\rb\r\n\nc\n\r").repeated(400)
            << QStringLiteral("a\n\nb\n\nc\n\n").repeated(400);
        QTest::newRow("bom starting the payload")
            << QByteArray("\xEF\xBB\xBFx") << QString(QChar(0xFEFF)) + QStringLiteral("x");
    }

    void formatRoundTrip() {
        QFETCH(QByteArray, payload);
        QFETCH(QString, expected);
        const QByteArray wire =
            formatSseEvent(QStringLiteral("log"), QStringLiteral("99"), payload) +
            formatSseComment("keep-alive");
        for (int round = 0; round < 50; ++round) {
            SseParser p;
            QList<SseEvent> events;
            qsizetype pos = 0;
            while (pos < wire.size()) {
                const qsizetype n = 1 + QRandomGenerator::global()->bounded(
                                            int(qMin<qsizetype>(7, wire.size() - pos)));
                events += p.feed(QByteArrayView(wire).sliced(pos, n));
                pos += n;
            }
            QCOMPARE(events.size(), 1);
            QCOMPARE(events[0].type, QStringLiteral("log"));
            QCOMPARE(events[0].lastEventId, QStringLiteral("99"));
            QCOMPARE(events[0].data, expected);
        }
    }

    // LineEnds against the plain definition (the first LF or CR from a position; the last
    // of either), over bytes with CRs near, far and absent, from every position forwards
    // and then backwards, as callers use it.
    void lineEndsAgreeWithTheDefinition() {
        const auto naiveNext = [](QByteArrayView b, qsizetype from) {
            for (qsizetype i = from; i < b.size(); ++i)
                if (b[i] == '\n' || b[i] == '\r')
                    return i;
            return qsizetype(-1);
        };
        const auto naiveLast = [](QByteArrayView b) {
            for (qsizetype i = b.size() - 1; i >= 0; --i)
                if (b[i] == '\n' || b[i] == '\r')
                    return i;
            return qsizetype(-1);
        };
        const QList<QByteArray> cases{"",
                                      "abc",
                                      "\n",
                                      "\r",
                                      "a\nb\rc\r\nd",
                                      "no end\r",
                                      QByteArray(300, 'x') + '\r' + QByteArray(50, 'y') + '\n',
                                      QByteArray(200, '\n'),
                                      "\r\r\n\n\rz"};
        for (const QByteArray &b : cases) {
            QCOMPARE(LineEnds::last(b), naiveLast(b));
            LineEnds ends(b);
            for (qsizetype from = 0; from <= b.size(); ++from)
                QCOMPARE(ends.next(from), naiveNext(b, from));
            for (qsizetype from = b.size(); from >= 0; --from)
                QCOMPARE(ends.next(from), naiveNext(b, from));
        }
    }
};

QTEST_GUILESS_MAIN(TestSseParser)
#include "tst_sseparser.moc"
