#include "models/LogBuffer.h"
#include "tests/models/NumberedLines.h"

#include <QTest>

using namespace clusterra;

class TestLogBuffer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void holdsWholeLinesOnly() {
        LogBuffer buffer;
        buffer.appendLines(u"one\ntwo\nhalf");
        QCOMPARE(buffer.lineCount(), qsizetype(2));
        QCOMPARE(buffer.line(0).toString(), QStringLiteral("one"));
        QCOMPARE(buffer.line(1).toString(), QStringLiteral("two"));
        buffer.setOpenLine(QStringLiteral("half"));
        QCOMPARE(buffer.lineCount(), qsizetype(3));
        QCOMPARE(buffer.line(2).toString(), QStringLiteral("half"));
        QCOMPARE(buffer.text(), QStringLiteral("one\ntwo\nhalf"));
        buffer.appendLines(u"no newline yet");
        QCOMPARE(buffer.lineCount(), qsizetype(3));
        buffer.appendLines(u"\n\n");
        QCOMPARE(buffer.lineCount(), qsizetype(5));
        QCOMPARE(buffer.line(2).toString(), QStringLiteral(""));
    }

    // Lines arrive in pieces of every size, across many blocks: each is kept whole, in order.
    void keepsEveryLineAcrossBlocks() {
        LogBuffer buffer;
        const QString all = numberedLines(1, 50000);
        qsizetype at = 0;
        for (int k = 0; at < all.size(); ++k) {
            // Whole lines only, as the panel hands them over, in pieces of 1 to 20,000 chars.
            const qsizetype want = (k * 7919) % 20000 + 1;
            const qsizetype end =
                all.indexOf(QLatin1Char('\n'), qMin(all.size() - 1, at + want - 1));
            buffer.appendLines(QStringView(all).sliced(at, end + 1 - at));
            at = end + 1;
        }
        QCOMPARE(buffer.lineCount(), qsizetype(50000));
        for (int i = 0; i < 50000; i += 997)
            QCOMPARE(buffer.line(i).toString(), QStringLiteral("line %1").arg(i + 1));
        QCOMPARE(buffer.text(), all);
        QCOMPARE(buffer.charCount(), all.size());
        QCOMPARE(buffer.longestLine(), QStringLiteral("line 50000").size());
    }

    void dropsTheOldestPastTheLineLimit() {
        LogBuffer buffer(10000, 1 << 30);
        buffer.appendLines(numberedLines(1, 25000));
        QCOMPARE(buffer.lineCount(), qsizetype(10000));
        QCOMPARE(buffer.droppedLines(), qint64(15000));
        QCOMPARE(buffer.firstNumber(), qint64(15000));
        QCOMPARE(buffer.line(0).toString(), QStringLiteral("line 15001"));
        QCOMPARE(buffer.line(9999).toString(), QStringLiteral("line 25000"));
        QCOMPARE(buffer.text(), numberedLines(15001, 25000));
    }

    void dropsTheOldestPastTheCharacterLimit() {
        LogBuffer buffer(1000000, 100000);
        const QString wide = QString(999, QLatin1Char('x')) + QLatin1Char('\n');
        for (int i = 0; i < 500; ++i)
            buffer.appendLines(wide);
        QCOMPARE(buffer.lineCount(), qsizetype(100));
        QVERIFY(buffer.charCount() <= 100000);
        // One line longer than the whole limit cannot be held.
        buffer.appendLines(QString(QString(200000, QLatin1Char('y')) + QLatin1Char('\n')));
        QCOMPARE(buffer.lineCount(), qsizetype(0));
        QCOMPARE(buffer.charCount(), qsizetype(0));
        buffer.appendLines(u"after\n");
        QCOMPARE(buffer.text(), QStringLiteral("after\n"));
    }

    void prependsBeforeTheFirstLine() {
        LogBuffer buffer;
        buffer.appendLines(numberedLines(6000, 9000));
        const qint64 first = buffer.firstNumber();
        buffer.prependLines(numberedLines(1, 5999));
        QCOMPARE(buffer.firstNumber(), first - 5999);
        QCOMPARE(buffer.text(), numberedLines(1, 9000));
        buffer.prependLines(u"zero");
        QCOMPARE(buffer.line(0).toString(), QStringLiteral("zero"));
        QCOMPARE(buffer.line(1).toString(), QStringLiteral("line 1"));
        QCOMPARE(buffer.lineCount(), qsizetype(9001));
    }

    void prependingPastTheLimitKeepsTheNewest() {
        LogBuffer buffer(100, 1 << 30);
        buffer.appendLines(numberedLines(51, 100));
        buffer.prependLines(QString(numberedLines(1, 50) + numberedLines(1, 50)));
        QCOMPARE(buffer.lineCount(), qsizetype(100));
        QCOMPARE(buffer.text(), numberedLines(1, 100));
    }

    void findsForwardBackwardAndWraps() {
        LogBuffer buffer;
        buffer.appendLines(u"alpha\nBeta beta\ngamma\n");
        buffer.setOpenLine(QStringLiteral("beta open"));
        auto m = buffer.find(u"beta", -1, -1, false);
        QCOMPARE(m.line, qsizetype(1));
        QCOMPARE(m.column, qsizetype(0));
        m = buffer.find(u"beta", m.line, m.column, false);
        QCOMPARE(m.line, qsizetype(1));
        QCOMPARE(m.column, qsizetype(5));
        m = buffer.find(u"beta", m.line, m.column, false);
        QCOMPARE(m.line, qsizetype(3)); // the open line is searched too
        m = buffer.find(u"beta", m.line, m.column, false);
        QCOMPARE(m.line, qsizetype(1)); // wrapped round
        QCOMPARE(m.column, qsizetype(0));
        m = buffer.find(u"beta", m.line, m.column, true);
        QCOMPARE(m.line, qsizetype(3));
        m = buffer.find(u"BETA", 1, 5, true);
        QCOMPARE(m.line, qsizetype(1));
        QCOMPARE(m.column, qsizetype(0));
        m = buffer.find(u"nothing", 0, 0, false);
        QCOMPARE(m.line, qsizetype(-1));
        // One match only: found again from itself.
        m = buffer.find(u"gamma", 2, 0, false);
        QCOMPARE(m.line, qsizetype(2));
        m = buffer.find(u"gamma", 2, 0, true);
        QCOMPARE(m.line, qsizetype(2));
    }

    void clearStartsAfresh() {
        LogBuffer buffer(10, 1000);
        buffer.appendLines(numberedLines(1, 50));
        buffer.setOpenLine(QStringLiteral("x"));
        buffer.clear();
        QCOMPARE(buffer.lineCount(), qsizetype(0));
        QCOMPARE(buffer.droppedLines(), qint64(0));
        QCOMPARE(buffer.text(), QString());
        QCOMPARE(buffer.line(0).toString(), QStringLiteral(""));
    }
};

QTEST_GUILESS_MAIN(TestLogBuffer)
#include "tst_logbuffer.moc"
