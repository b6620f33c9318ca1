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

    // Opens the file and brings its schema to the latest version, or to `upToVersion` (a test
    // making the database an older server left, to check the migrations after it).
    bool open(const QString &path, QString *error, int upToVersion = -1);
    int schemaVersion() const;
    static int latestSchemaVersion();

    // Runs one statement with positional binds. When SQLite refuses (locked, read-only,
    // full) it throws ApiException (ServiceUnavailable): the one exception of the server, which
    // abandons the piece of work it hit, like a rolled-back transaction. It never crosses Qt's
    // event loop: the router answers that request with it, runGuarded (core/base/Guard.h)
    // logs it for a timer tick or a reply. Everything else answers with ApiError values.
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
    bool migrate(QString *error, int upToVersion);

    QSqlDatabase m_db;
    QString m_connectionName;
};

} // namespace clusterra::server
