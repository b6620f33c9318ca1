#pragma once

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariant>
#include <initializer_list>

namespace clusterra::server {

// The server's SQLite database (WAL) under the data directory, with versioned migrations.
// Everything runs on the server's one thread, so one connection is enough.
class Database {
public:
    Database() = default;
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    bool open(const QString &path, QString *error);
    int schemaVersion() const;

    // Runs one statement with positional binds; throws std::runtime_error on failure, which
    // the router turns into a 500 for that request only.
    // Throws ApiException (ServiceUnavailable) when SQLite refuses: locked, read-only, full.
    QSqlQuery exec(const QString &sql, std::initializer_list<QVariant> binds = {});
    [[noreturn]] static void fail(const QSqlQuery &q);
    // "?, ?, ?" for an IN (...) list of n binds.
    static QString placeholders(qsizetype n);
    QSqlDatabase &db() { return m_db; }

    class Transaction {
    public:
        explicit Transaction(Database &db);
        ~Transaction();
        void commit();

    private:
        Database &m_db;
        bool m_done = false;
    };

private:
    bool migrate(QString *error);

    QSqlDatabase m_db;
    QString m_connectionName;
};

} // namespace clusterra::server
