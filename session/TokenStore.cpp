#include "session/TokenStore.h"

#include <qt6keychain/keychain.h>

namespace clusterra {

TokenStore::TokenStore(QString service, QObject *parent)
    : QObject(parent)
    , m_service(std::move(service)) {}

void TokenStore::keychainFailed(const QString &why) {
    if (!m_persistent)
        return;
    m_persistent = false;
    m_reason = why;
    Q_EMIT unavailable(why);
}

void TokenStore::save(const QString &account, const QByteArray &secret) {
    m_memory.insert(account, secret);
    if (!m_persistent)
        return;
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(account);
    job->setBinaryData(secret);
    connect(job, &QKeychain::Job::finished, this, [this, account](QKeychain::Job *j) {
        if (j->error() != QKeychain::NoError)
            keychainFailed(j->errorString());
        else
            Q_EMIT saved(account);
    });
    job->start();
}

void TokenStore::load(const QString &account, Loaded done) {
    if (!m_persistent || m_memory.contains(account)) {
        done(m_memory.value(account));
        return;
    }
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(account);
    connect(job, &QKeychain::Job::finished, this,
            [this, account, done = std::move(done)](QKeychain::Job *j) {
                const auto *read = static_cast<QKeychain::ReadPasswordJob *>(j);
                if (j->error() == QKeychain::NoError) {
                    m_memory.insert(account, read->binaryData());
                    done(read->binaryData());
                    return;
                }
                if (j->error() != QKeychain::EntryNotFound)
                    keychainFailed(j->errorString());
                done({});
            });
    job->start();
}

void TokenStore::remove(const QString &account) {
    m_memory.remove(account);
    if (!m_persistent)
        return;
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(account);
    job->start();
}

} // namespace clusterra
