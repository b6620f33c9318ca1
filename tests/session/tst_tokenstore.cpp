// Refresh tokens in the OS keychain. CTest runs this twice: inside a private D-Bus session with
// an unlocked gnome-keyring (tests/with-keyring.sh), where tokens persist across TokenStore
// objects, and with no D-Bus at all, where the store must say so and keep tokens in memory.
#include "session/TokenStore.h"

#include <QSignalSpy>
#include <QTest>
#include <QUuid>

using namespace clusterra;

class TstTokenStore : public QObject {
    Q_OBJECT
    const bool withKeychain = qgetenv("CLUSTERRA_TEST_KEYCHAIN") != "none";
    const QString service = QStringLiteral("Clusterra Console test ") +
                            QUuid::createUuid().toString(QUuid::WithoutBraces);

    static QByteArray loadNow(TokenStore &store, const QString &account, bool *answered) {
        QByteArray out;
        *answered = false;
        store.load(account, [&](const QByteArray &s) {
            out = s;
            *answered = true;
        });
        if (!QTest::qWaitFor([answered] { return *answered; }, 10000))
            qWarning("the token store never answered");
        return out;
    }

private Q_SLOTS:
    void roundTrip() {
        const QByteArray secret = "refresh-" + QUuid::createUuid().toByteArray();
        {
            TokenStore store(service);
            QSignalSpy saved(&store, &TokenStore::saved);
            QSignalSpy unavailable(&store, &TokenStore::unavailable);
            store.save(QStringLiteral("profile-a"), secret);
            QTRY_VERIFY_WITH_TIMEOUT(saved.size() + unavailable.size() > 0, 10000);
            if (!withKeychain) {
                QCOMPARE(unavailable.size(), 1);
                QVERIFY(!store.isPersistent());
                QVERIFY(!store.unavailableReason().isEmpty());
                // Still usable for this run, from memory.
                bool answered = false;
                QCOMPARE(loadNow(store, QStringLiteral("profile-a"), &answered), secret);
                return;
            }
            QCOMPARE(saved.size(), 1);
            QVERIFY(store.isPersistent());
        }
        // A new store (the next start of the console) finds it in the keychain.
        TokenStore again(service);
        bool answered = false;
        QCOMPARE(loadNow(again, QStringLiteral("profile-a"), &answered), secret);
        QVERIFY(loadNow(again, QStringLiteral("profile-b"), &answered).isEmpty());
        QVERIFY(again.isPersistent()); // "not found" is not a keychain failure
        again.remove(QStringLiteral("profile-a"));
        QTest::qWait(300);
        TokenStore third(service);
        QVERIFY(loadNow(third, QStringLiteral("profile-a"), &answered).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TstTokenStore)
#include "tst_tokenstore.moc"
