// The console's settings through the key table: types, defaults and per-profile scope.
#include "session/Settings.h"

#include <QSettings>
#include <QStandardPaths>
#include <QTest>

using namespace clusterra;

class TestSettings : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("ClusterraTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_settings"));
    }
    void init() { QSettings().clear(); }

    void defaultsUntilSetThenTheValue() {
        const Settings s;
        QCOMPARE(s.get(settings::currentTab), 1);
        QCOMPARE(s.get(settings::lastProfile), QStringLiteral("Local"));
        QVERIFY(!s.contains(settings::currentTab));
        s.set(settings::currentTab, 3);
        s.set(settings::windowGeometry, QByteArray("\x01\x02\x00\x03", 4));
        QCOMPARE(Settings().get(settings::currentTab), 3);
        QCOMPARE(Settings().get(settings::windowGeometry), QByteArray("\x01\x02\x00\x03", 4));
        s.remove(settings::currentTab);
        QCOMPARE(Settings().get(settings::currentTab), 1);
    }

    // A cluster id means something on one server only: each profile keeps its own.
    void profileKeysAreEachProfilesOwn() {
        const Settings team(QStringLiteral("https://hpc.example.org/team"));
        const Settings local(QStringLiteral("Local"));
        team.set(settings::lastCluster, QStringLiteral("clusaaaa"));
        local.set(settings::lastCluster, QStringLiteral("clusbbbb"));
        QCOMPARE(
            Settings(QStringLiteral("https://hpc.example.org/team")).get(settings::lastCluster),
            QStringLiteral("clusaaaa"));
        QCOMPARE(Settings(QStringLiteral("Local")).get(settings::lastCluster),
                 QStringLiteral("clusbbbb"));
        QVERIFY(Settings(QStringLiteral("other")).get(settings::lastCluster).isEmpty());
        // A URL name is one group, not nested ones.
        QSettings raw;
        raw.beginGroup(QStringLiteral("profiles"));
        QCOMPARE(raw.childGroups().size(), 2);
        // App-scoped keys are shared by every profile.
        team.set(settings::jobColumns, QByteArray("cols"));
        QCOMPARE(local.get(settings::jobColumns), QByteArray("cols"));
    }

    // Without a profile, a profile key is neither written anywhere nor read from anywhere.
    void noProfileNoProfileKeys() {
        const Settings none;
        none.set(settings::lastCluster, QStringLiteral("clusdead"));
        QVERIFY(none.get(settings::lastCluster).isEmpty());
        QVERIFY(QSettings().allKeys().isEmpty());
        QVERIFY(none.pathOf(settings::lastCluster.name, settings::lastCluster.scope).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSettings)
#include "tst_settings.moc"
