#include "core/client/ApiClient.h"
#include "tests/models/NumberedLines.h"
#include "widgets/LogPanel.h"
#include "widgets/LogView.h"

#include <QApplication>
#include <QClipboard>
#include <QLineEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>
#include <QWheelEvent>

using namespace clusterra;

class TestLogView : public QObject {
    Q_OBJECT
    std::unique_ptr<LogView> view;

    QPoint pointAt(qsizetype line, const QString &before) const {
        const QFontMetrics fm = view->fontMetrics();
        const qsizetype row = line - view->topLine();
        return {4 + fm.horizontalAdvance(before),
                int(row * fm.lineSpacing() + fm.lineSpacing() / 2)};
    }

private Q_SLOTS:
    void init() {
        view = std::make_unique<LogView>();
        view->resize(500, 300);
        view->show();
        QVERIFY(QTest::qWaitForWindowExposed(view.get()));
    }
    void cleanup() { view.reset(); }

    void followsTheEndUntilScrolledUp() {
        QSignalSpy following(view.get(), &LogView::followingChanged);
        view->appendLines(numberedLines(1, 1000));
        QScrollBar *bar = view->verticalScrollBar();
        QTRY_VERIFY(bar->maximum() > 0);
        QCOMPARE(bar->value(), bar->maximum());
        QVERIFY(view->isLineVisible(999));
        bar->setValue(10); // the user scrolls up
        QCOMPARE(following.size(), 1);
        QCOMPARE(following.last().at(0).toBool(), false);
        view->appendLines(numberedLines(1001, 2000));
        QTRY_COMPARE(bar->maximum(), int(2000 - (view->viewport()->height() - 4) /
                                                    view->fontMetrics().lineSpacing()));
        QCOMPARE(view->topLine(), qsizetype(10)); // the view stays where the user put it
        QTest::keyClick(view.get(), Qt::Key_End);
        QCOMPARE(following.last().at(0).toBool(), true);
        view->appendLines(numberedLines(2001, 2100));
        QTRY_VERIFY(view->isLineVisible(2099));
    }

    // Lines dropped at the top while the user reads further down do not move what they read.
    void keepsItsPlaceWhenOldLinesDrop() {
        const qsizetype limit = view->buffer().maxLines();
        view->appendLines(numberedLines(1, int(limit) - 1000));
        QScrollBar *bar = view->verticalScrollBar();
        QTRY_VERIFY(bar->maximum() > 10000);
        bar->setValue(10000);
        QCOMPARE(view->buffer().line(view->topLine()).toString(), QStringLiteral("line 10001"));
        view->appendLines(numberedLines(int(limit) - 999, int(limit) + 4000));
        QTRY_COMPARE(view->buffer().droppedLines(), qint64(4000));
        QTRY_COMPARE(view->buffer().line(view->topLine()).toString(), QStringLiteral("line 10001"));
        QVERIFY(!view->isFollowing());
    }

    void selectsAndCopiesWithMouseAndKeyboard() {
        view->appendLines(u"hello world\nsecond line\nthird\n");
        QTRY_COMPARE(view->buffer().lineCount(), qsizetype(3));
        QWidget *port = view->viewport();
        QTest::mousePress(port, Qt::LeftButton, {}, pointAt(0, QStringLiteral("hello ")));
        QTest::mouseMove(port, pointAt(1, QStringLiteral("second")));
        QTest::mouseRelease(port, Qt::LeftButton, {}, pointAt(1, QStringLiteral("second")));
        QCOMPARE(view->selectedText(), QStringLiteral("world\nsecond"));
        QTest::keyClick(view.get(), Qt::Key_C, Qt::ControlModifier);
        QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("world\nsecond"));
        QTest::keyClick(view.get(), Qt::Key_A, Qt::ControlModifier);
        QCOMPARE(view->selectedText(), QStringLiteral("hello world\nsecond line\nthird"));
        QTest::mouseDClick(port, Qt::LeftButton, {}, pointAt(2, QStringLiteral("th")));
        QCOMPARE(view->selectedText(), QStringLiteral("third"));
    }

    void findSelectsAndScrollsToTheMatch() {
        view->appendLines(numberedLines(1, 5000));
        QTRY_VERIFY(view->isLineVisible(4999));
        QCOMPARE(view->find(QStringLiteral("LINE 42"), false), qsizetype(41));
        QCOMPARE(view->selectedText(), QStringLiteral("line 42"));
        QVERIFY(view->isLineVisible(41));
        QVERIFY(!view->isFollowing());
        QCOMPARE(view->find(QStringLiteral("line 42"), false), qsizetype(419));
        QCOMPARE(view->find(QStringLiteral("line 42"), true), qsizetype(41));
        QCOMPARE(view->find(QStringLiteral("no such text"), false), qsizetype(-1));
    }

    // A match on screen while following: following stops, so new output does not scroll the
    // match away.
    void aMatchOnScreenStaysThere() {
        view->appendLines(numberedLines(1, 100));
        QTRY_VERIFY(view->isLineVisible(99));
        QVERIFY(view->isFollowing());
        const qsizetype line = view->find(QStringLiteral("line 98"), false);
        QCOMPARE(line, qsizetype(97));
        QVERIFY(!view->isFollowing());
        const qsizetype top = view->topLine();
        view->appendLines(numberedLines(101, 300));
        QTRY_COMPARE(view->buffer().lineCount(), qsizetype(300));
        QTest::qWait(20);
        QCOMPARE(view->topLine(), top);
        QVERIFY(view->isLineVisible(97));
    }

    void longLinesAreCutOnScreenButCopiedWhole() {
        const QString wide(50000, QLatin1Char('w'));
        view->appendLines(QString(wide + QLatin1Char('\n')));
        QTRY_VERIFY(view->horizontalScrollBar()->maximum() > 0);
        QVERIFY(!view->grab().isNull()); // paints the cut line and its note
        view->selectAll();
        QCOMPARE(view->selectedText(), wide);
        view->setWrap(true);
        QCOMPARE(view->horizontalScrollBar()->maximum(), 0);
        QVERIFY(!view->grab().isNull());
        QVERIFY(view->isLineVisible(0) || view->topLine() == 0);
    }

    void wrappedLinesStillEndOnTheLastLine() {
        view->setWrap(true);
        for (int i = 0; i < 200; ++i)
            view->appendLines(
                QString(QStringLiteral("row %1 ").arg(i).repeated(40) + QLatin1Char('\n')));
        view->setOpenLine(QStringLiteral("being written"));
        QTRY_VERIFY(view->isLineVisible(200));
        QCOMPARE(view->buffer().line(200).toString(), QStringLiteral("being written"));
        QVERIFY(view->verticalScrollBar()->maximum() > 0);
    }

    // A wrapped line taller than the view: following shows its last rows; the arrow keys and
    // the wheel go through it row by row; Home, End and the bar's ends reach both ends.
    void aWrappedLineTallerThanTheViewScrollsByRows() {
        view->setWrap(true);
        view->appendLines(u"first\n");
        view->appendLines(QString(QStringLiteral("0123456789 ").repeated(300) + QLatin1Char('\n')));
        QTRY_VERIFY(view->topRow() > 0); // its last rows, at the bottom
        QCOMPARE(view->topLine(), qsizetype(1));
        QVERIFY(view->isFollowing());
        const int end = view->topRow();
        QTest::keyClick(view.get(), Qt::Key_Up);
        QCOMPARE(view->topRow(), end - 1);
        QCOMPARE(view->topLine(), qsizetype(1));
        QVERIFY(!view->isFollowing());
        QWheelEvent up(QPointF(10, 10), view->mapToGlobal(QPointF(10, 10)), QPoint(),
                       QPoint(0, 120), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(view->viewport(), &up);
        QCOMPARE(view->topRow(), end - 1 - QApplication::wheelScrollLines());
        QTest::keyClick(view.get(), Qt::Key_Home);
        QCOMPARE(view->topLine(), qsizetype(0));
        QCOMPARE(view->topRow(), 0);
        view->scrollRows(2); // "first", then the tall line's first row
        QCOMPARE(view->topLine(), qsizetype(1));
        QCOMPARE(view->topRow(), 1);
        QTest::keyClick(view.get(), Qt::Key_End);
        QCOMPARE(view->topRow(), end);
        QVERIFY(view->isFollowing());
        QTest::keyClick(view.get(), Qt::Key_Home);
        view->verticalScrollBar()->setValue(view->verticalScrollBar()->maximum());
        QCOMPARE(view->topRow(), end); // the bar's end is the text's end
        QVERIFY(view->isFollowing());
        QVERIFY(!view->grab().isNull());
    }

    // Wide characters take two cells: the horizontal bar still reaches the end of the line.
    void theBarReachesTheEndOfWideLines() {
        const QString wide = QString(QStringLiteral("日本語のログ")).repeated(200);
        view->appendLines(QString(wide + QLatin1Char('\n')));
        QVERIFY(!view->grab().isNull()); // painting measures it
        QTRY_VERIFY(view->horizontalScrollBar()->maximum() + view->viewport()->width() >=
                    view->fontMetrics().horizontalAdvance(wide));
    }

    void clearingFollowsAgain() {
        view->appendLines(numberedLines(1, 500));
        QTRY_VERIFY(view->verticalScrollBar()->maximum() > 0);
        view->verticalScrollBar()->setValue(0);
        QVERIFY(!view->isFollowing());
        QSignalSpy following(view.get(), &LogView::followingChanged);
        view->clear();
        QCOMPARE(following.size(), 1);
        QVERIFY(following.first().at(0).toBool());
        QVERIFY(view->isFollowing());
    }

    void escapeClosesFind() {
        ApiClient api;
        LogPanel panel(&api);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.openFind();
        auto *text = panel.findChild<QLineEdit *>(QStringLiteral("logFindText"));
        QVERIFY(text->isVisible());
        QTest::keyClick(text, Qt::Key_Escape);
        QVERIFY(!text->isVisible());
    }
};

QTEST_MAIN(TestLogView)
#include "tst_logview.moc"
