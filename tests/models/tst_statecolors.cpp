#include "models/StateColors.h"

#include <QGuiApplication>
#include <QImage>
#include <QTest>

using namespace clusterra;

namespace {
constexpr StateLook kLooks[] = {StateLook::Running, StateLook::Pending,   StateLook::Completed,
                                StateLook::Failed,  StateLook::Cancelled, StateLook::Unknown};

QPalette paletteWith(const char *base, const char *alternate) {
    QPalette p;
    p.setColor(QPalette::Base, QColor(QLatin1String(base)));
    p.setColor(QPalette::AlternateBase, QColor(QLatin1String(alternate)));
    return p;
}
} // namespace

class TestStateColors : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyStateReadsOnBothRows_data() {
        QTest::addColumn<QPalette>("palette");
        QTest::newRow("light") << paletteWith("#ffffff", "#f7f7f7");
        QTest::newRow("dark (--theme dark)") << paletteWith("#1b1e20", "#262a2d");
        // A theme someone else chose: the fixed colours alone fail on these.
        QTest::newRow("light grey theme") << paletteWith("#e0e0e0", "#d0d0d0");
        QTest::newRow("dark blue theme") << paletteWith("#2b3a55", "#34456a");
        // Neither light nor dark: lightening fails, darkening must be tried too.
        QTest::newRow("mid grey") << paletteWith("#777777", "#808080");
        QTest::newRow("platform default") << QGuiApplication::palette();
    }

    void everyStateReadsOnBothRows() {
        QFETCH(QPalette, palette);
        for (StateLook look : kLooks) {
            const QColor c = stateColor(look, palette);
            for (const auto role : {QPalette::Base, QPalette::AlternateBase}) {
                const double ratio = contrastRatio(c, palette.color(role));
                if (ratio < 4.5)
                    QFAIL(qPrintable(QStringLiteral("state %1: %2 on %3 is %4:1")
                                         .arg(int(look))
                                         .arg(c.name(), palette.color(role).name())
                                         .arg(ratio)));
            }
        }
    }

    void contrastFollowsTheDefinition() {
        QCOMPARE(qRound(contrastRatio(Qt::black, Qt::white)), 21);
        QCOMPARE(contrastRatio(QColor(0x77, 0x77, 0x77), QColor(0x77, 0x77, 0x77)), 1.0);
        // #767676 on white is the classic 4.54:1.
        QVERIFY(qAbs(contrastRatio(QColor(0x76, 0x76, 0x76), Qt::white) - 4.54) < 0.01);
    }

    void cancelledIsItsOwnLookButAFailedTabState() {
        QCOMPARE(stateLookOf(JobState::Cancelled), StateLook::Cancelled);
        QCOMPARE(stateFilterOf(JobState::Cancelled), StateFilter::Failed);
        QCOMPARE(stateLookOf(JobState::Timeout), StateLook::Failed);
        QCOMPARE(stateLookOf(JobState::OutOfMemory), StateLook::Failed);
        QCOMPARE(stateLookOf(JobState::Completing), StateLook::Running);
        QCOMPARE(stateLookOf(JobState::Pending), StateLook::Pending);
        QCOMPARE(stateLookOf(JobState::Unknown), StateLook::Unknown);
    }

    // Shape, not colour alone: every state's icon differs from every other's even when the
    // colour is taken away.
    void everyStateHasItsOwnShape() {
        QList<QImage> shapes;
        for (StateLook look : kLooks) {
            QImage img = stateIcon(look, QGuiApplication::palette())
                             .pixmap(32, 32)
                             .toImage()
                             .convertToFormat(QImage::Format_Alpha8);
            QVERIFY(!img.isNull());
            for (const QImage &other : std::as_const(shapes))
                QVERIFY(img != other);
            shapes.append(img);
        }
    }
};

QTEST_MAIN(TestStateColors)
#include "tst_statecolors.moc"
