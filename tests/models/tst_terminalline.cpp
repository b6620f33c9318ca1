// Output with carriage returns, as a terminal shows it.
#include "models/TerminalLine.h"

#include <QTest>

using clusterra::TerminalLine;

class TestTerminalLine : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void foldsLikeATerminal_data() {
        QTest::addColumn<QString>("raw");
        QTest::addColumn<QString>("shown");
        QTest::newRow("plain") << QStringLiteral("a\nb\n") << QStringLiteral("a\nb\n");
        QTest::newRow("progress") << QStringLiteral("10%\r20%\r30%\n") << QStringLiteral("30%\n");
        QTest::newRow("crlf") << QStringLiteral("one\r\ntwo\r\n") << QStringLiteral("one\ntwo\n");
        // A shorter update overwrites only its own columns, as a terminal does.
        QTest::newRow("overwrite") << QStringLiteral("abcdef\rXY\n") << QStringLiteral("XYcdef\n");
        QTest::newRow("open line") << QStringLiteral("a\n 5%\r50%") << QStringLiteral("a\n50%");
        QTest::newRow("cr at end") << QStringLiteral("done\r") << QStringLiteral("done");
    }
    void foldsLikeATerminal() {
        QFETCH(QString, raw);
        QFETCH(QString, shown);
        QCOMPARE(clusterra::foldCarriageReturns(raw), shown);
    }

    // Chunks split anywhere (between CR and LF, inside an update) give the same result.
    void chunksSplitAnywhere() {
        const QString raw = QStringLiteral("start\nfetch  10%\rfetch  55%\rfetch 100%\r\nabc\rX\n");
        const QString whole = clusterra::foldCarriageReturns(raw);
        for (int cut = 0; cut <= raw.size(); ++cut) {
            TerminalLine line;
            QString shown = line.feed(QStringView(raw).first(cut));
            shown += line.feed(QStringView(raw).sliced(cut));
            QCOMPARE(shown + line.current(), whole);
        }
    }

    void theOpenLineShowsItsState() {
        TerminalLine line;
        QCOMPARE(line.feed(u"log\n 1%"), QStringLiteral("log\n"));
        QCOMPARE(line.current(), QStringLiteral(" 1%"));
        QVERIFY(line.atEnd());
        QCOMPARE(line.feed(u"\r"), QString());
        QVERIFY(!line.atEnd());
        QCOMPARE(line.current(), QStringLiteral(" 1%")); // shown until overwritten
        line.feed(u"99");
        QCOMPARE(line.current(), QStringLiteral("99%"));
    }

    // A job that never writes a newline: the line is broken at the cap, nothing is lost.
    void anEndlessLineIsBrokenAtTheCap() {
        TerminalLine line;
        const qsizetype cap = TerminalLine::kMaxLineChars;
        const QString piece(cap / 3 + 7, QLatin1Char('x'));
        QString shown;
        for (int i = 0; i < 10; ++i)
            shown += line.feed(piece);
        QVERIFY(line.current().size() <= cap);
        QCOMPARE(shown.count(QLatin1Char('\n')), qsizetype(10 * piece.size() / cap));
        QCOMPARE(shown.size() - shown.count(QLatin1Char('\n')) + line.current().size(),
                 10 * piece.size());
        // The same through the slow path, with a carriage return in the text.
        TerminalLine slow;
        const QString out =
            slow.feed(QString(QStringLiteral("ab\r") + QString(cap + 5, QLatin1Char('y'))));
        QCOMPARE(out, QString(cap, QLatin1Char('y')) + QLatin1Char('\n'));
        QCOMPARE(slow.current(), QString(5, QLatin1Char('y')));
    }
};

QTEST_GUILESS_MAIN(TestTerminalLine)
#include "tst_terminalline.moc"
