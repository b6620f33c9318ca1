// Connection profiles as the console keeps them in its settings.
#include "session/Profiles.h"

#include <QSettings>
#include <QStandardPaths>
#include <QTest>

using clusterra::Profile;

class TestProfiles : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("ClusterraTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_profiles"));
    }
    void init() { QSettings().clear(); }

    void aServerUrlBecomesOneNamedProfile() {
        Profile p = Profile::forServer(QUrl(QStringLiteral("https://hpc.example.org:8443/team/")));
        QCOMPARE(p.name, QStringLiteral("hpc.example.org:8443/team"));
        QVERIFY(!p.isLocal());
        p.tokenFile = QStringLiteral("/home/ada/.clusterra-token");
        Profile::save(p);
        QCOMPARE(Profile::names(), (QStringList{QStringLiteral("Local"), p.name}));
        const Profile back = Profile::load(p.name);
        QCOMPARE(back.url, p.url);
        QCOMPARE(back.tokenFile, p.tokenFile);
        // The same server again (with or without the slash) is the same profile.
        QCOMPARE(
            Profile::forServer(QUrl(QStringLiteral("https://hpc.example.org:8443/team"))).tokenFile,
            p.tokenFile);
        QCOMPARE(Profile::forServer(QUrl(QStringLiteral("https://other.example.org"))).name,
                 QStringLiteral("other.example.org"));
    }

    // A name that was never saved (or an old setting) is the embedded server, under its own
    // name: never the local server under a remote one's title.
    void anUnknownNameIsTheLocalProfile() {
        Profile::setLastUsed(QStringLiteral("http://gone.example.org:8080"));
        const Profile p = Profile::load(Profile::lastUsed());
        QVERIFY(p.isLocal());
        QCOMPARE(p.name, QStringLiteral("Local"));
        QCOMPARE(p.displayName(), QStringLiteral("Local"));
        QVERIFY(!Profile::exists(QStringLiteral("gone")));
        QVERIFY(Profile::exists(QStringLiteral("Local")));
    }

    void theWindowNamesTheServer() {
        Profile p;
        p.name = QStringLiteral("team");
        p.url = QUrl(QStringLiteral("https://hpc.example.org/"));
        QCOMPARE(p.displayName(), QStringLiteral("team — hpc.example.org"));
        p.name = QStringLiteral("hpc.example.org");
        QCOMPARE(p.displayName(), QStringLiteral("hpc.example.org"));
    }
};

QTEST_GUILESS_MAIN(TestProfiles)
#include "tst_profiles.moc"
