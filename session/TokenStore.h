#pragma once

#include <QHash>
#include <QObject>
#include <functional>

namespace clusterra {

// Refresh tokens in the OS keychain (Secret Service, macOS Keychain, Windows Credential
// Store) through QtKeychain, one entry per profile. Never a plaintext fallback: when no
// keychain answers, the token lives in this object only, `unavailable` says why, and the
// person signs in again on the next start.
class TokenStore : public QObject {
    Q_OBJECT
public:
    explicit TokenStore(QString service = QStringLiteral("Clusterra Console"),
                        QObject *parent = nullptr);

    using Loaded = std::function<void(const QByteArray &secret)>; // empty: none stored
    void save(const QString &account, const QByteArray &secret);
    void load(const QString &account, Loaded done);
    void remove(const QString &account);
    // False once the keychain failed: tokens are kept for this run only.
    bool isPersistent() const { return m_persistent; }
    QString unavailableReason() const { return m_reason; }

Q_SIGNALS:
    void unavailable(const QString &why);
    void saved(const QString &account);

private:
    void keychainFailed(const QString &why);

    QString m_service;
    QHash<QString, QByteArray> m_memory;
    bool m_persistent = true;
    QString m_reason;
};

} // namespace clusterra
