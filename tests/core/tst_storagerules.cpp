#include "core/rules/StorageRules.h"

#include <QTest>

using namespace clusterra::rules;

class TestStorageRules : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void access_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<bool>("write");
        QTest::addColumn<bool>("admin");
        QTest::addColumn<bool>("allowed");
        auto row = [](const char *name, const QString &key, bool write, bool admin, bool allowed) {
            QTest::newRow(name) << key << write << admin << allowed;
        };
        row("own data read", QStringLiteral("data/ada@example.com/x.csv"), false, false, true);
        row("own scripts write", QStringLiteral("scripts/ada@example.com/run.sh"), true, false,
            true);
        row("own outputs write", QStringLiteral("outputs/ada@example.com/job_1/out.txt"), true,
            false, true);
        row("other user's data read", QStringLiteral("data/bob@example.com/x.csv"), false, false,
            false);
        row("other user's outputs write", QStringLiteral("outputs/bob@example.com/y"), true, false,
            false);
        row("prefix lookalike", QStringLiteral("data/ada@example.com.evil/x"), false, false, false);
        row("shared read by user", QStringLiteral("shared/genome.fa"), false, false, true);
        row("shared write by user", QStringLiteral("shared/genome.fa"), true, false, false);
        row("shared write by admin", QStringLiteral("shared/genome.fa"), true, true, true);
        row("admin reads others", QStringLiteral("data/bob@example.com/x.csv"), false, true, false);
        row("admin writes others", QStringLiteral("scripts/bob@example.com/x.sh"), true, true,
            false);
        row("admin own data", QStringLiteral("data/ada@example.com/x.csv"), false, true, true);
        row("unknown area", QStringLiteral("tmp/x"), false, true, false);
        row("dotdot", QStringLiteral("data/ada@example.com/../bob@example.com/x"), false, false,
            false);
        row("dot segment", QStringLiteral("data/ada@example.com/./x"), false, false, false);
        row("empty segment", QStringLiteral("data/ada@example.com//x"), false, false, false);
        row("leading slash", QStringLiteral("/data/ada@example.com/x"), false, false, false);
        row("backslash", QStringLiteral("data/ada@example.com/a\\b"), false, false, false);
        row("control char", QStringLiteral("data/ada@example.com/a\nb"), false, false, false);
        row("noncharacter", QStringLiteral("data/ada@example.com/\uFFFF.txt"), false, false, false);
        row("emoji", QStringLiteral("data/ada@example.com/\U0001F600.txt"), true, false, true);
        row("too long", QStringLiteral("data/ada@example.com/") + QString(1100, QLatin1Char('x')),
            false, false, false);
    }

    void access() {
        QFETCH(QString, key);
        QFETCH(bool, write);
        QFETCH(bool, admin);
        QFETCH(bool, allowed);
        const QString why = storageRefusal(key, write ? StorageAccess::Write : StorageAccess::Read,
                                           QStringLiteral("ada@example.com"), admin);
        QVERIFY2(why.isEmpty() == allowed, qPrintable(why));
    }

    void objectKeys_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<bool>("safe");
        QTest::newRow("plain") << QStringLiteral("shared/md.tpr") << true;
        QTest::newRow("folder") << QStringLiteral("data/a@b.c/dir/") << true;
        QTest::newRow("dotdot") << QStringLiteral("data/../x") << false;
        QTest::newRow("dot") << QStringLiteral("data/./x") << false;
        QTest::newRow("empty segment") << QStringLiteral("data//x") << false;
        QTest::newRow("leading slash") << QStringLiteral("/data/x") << false;
        QTest::newRow("control") << QStringLiteral("data/\x01x") << false;
        QTest::newRow("too long") << QString(1025, QLatin1Char('a')) << false;
    }

    void objectKeys() {
        QFETCH(QString, key);
        QFETCH(bool, safe);
        QCOMPARE(isSafeObjectKey(key), safe);
    }
};

QTEST_GUILESS_MAIN(TestStorageRules)
#include "tst_storagerules.moc"
