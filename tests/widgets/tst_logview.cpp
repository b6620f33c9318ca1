#include "core/client/ApiClient.h"
#include "widgets/LogPanel.h"
#include "widgets/LogView.h"

#include <QApplication>
#include <QClipboard>
#include <QLineEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>

using namespace clusterra;

namespace {
QString numbered(int from, int to) {
    QString out;
    for (int i = from; i <= to; ++i)
        out += QStringLiteral("line %1\n").arg(i);
    return out;
}
} // namespace

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
        view->appendLines(numbered(1, 1000));
        QScrollBar *bar = view->verticalScrollBar();
        QTRY_VERIFY(bar->maximum() > 0);
        QCOMPARE(bar->value(), bar->maximum());
        QVERIFY(view->isLineVisible(999));
        bar->setValue(10); // the user scrolls up
        QCOMPARE(following.size(), 1);
        QCOMPARE(following.last().at(0).toBool(), false);
        view->appendLines(numbered(1001, 2000));
        QTRY_COMPARE(bar->maximum(), int(2000 - (view->viewport()->height() - 4) /
                                                    view->fontMetrics().lineSpacing()));
        QCOMPARE(view->topLine(), qsizetype(10)); // the view stays where the user put it
        QTest::keyClick(view.get(), Qt::Key_End);
        QCOMPARE(following.last().at(0).toBool(), true);
        view->appendLines(numbered(2001, 2100));
        QTRY_VERIFY(view->isLineVisible(2099));
    }

    // Lines dropped at the top while the user reads further down do not move what they read.
    void keepsItsPlaceWhenOldLinesDrop() {
        const qsizetype limit = view->buffer().maxLines();
        view->appendLines(numbered(1, int(limit) - 1000));
        QScrollBar *bar = view->verticalScrollBar();
        QTRY_VERIFY(bar->maximum() > 10000);
        bar->setValue(10000);
        QCOMPARE(view->buffer().line(view->topLine()).toString(), QStringLiteral("line 10001"));
        view->appendLines(numbered(int(limit) - 999, int(limit) + 4000));
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
        view->appendLines(numbered(1, 5000));
        QTRY_VERIFY(view->isLineVisible(4999));
        QCOMPARE(view->find(QStringLiteral("LINE 42"), false), qsizetype(41));
        QCOMPARE(view->selectedText(), QStringLiteral("line 42"));
        QVERIFY(view->isLineVisible(41));
        QVERIFY(!view->isFollowing());
        QCOMPARE(view->find(QStringLiteral("line 42"), false), qsizetype(419));
        QCOMPARE(view->find(QStringLiteral("line 42"), true), qsizetype(41));
        QCOMPARE(view->find(QStringLiteral("no such text"), false), qsizetype(-1));
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
