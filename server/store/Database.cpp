#include "server/store/Database.h"

#include "core/base/Log.h"

#include "core/base/ApiError.h"

#include <QFile>
#include <QSqlError>
#include <QUuid>
#include <array>
#include <stdexcept>

namespace clusterra::server {

namespace {
// Each entry moves the schema one version up. Never edit a shipped entry: add a new one.
const std::array kMigrations{
    R"SQL(
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    uid INTEGER NOT NULL,
    role TEXT NOT NULL,
    org TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE refresh_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id),
    token_hash BLOB NOT NULL UNIQUE,
    family TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used INTEGER NOT NULL DEFAULT 0,
    revoked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX refresh_tokens_family ON refresh_tokens(family);
CREATE TABLE clusters (
    id TEXT PRIMARY KEY,
    org TEXT NOT NULL,
    name TEXT NOT NULL,
    provider TEXT NOT NULL,
    state TEXT NOT NULL,
    state_reason TEXT NOT NULL DEFAULT '',
    connection_state TEXT NOT NULL,
    spec TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (org, name)
);
CREATE TABLE nodes (
    cluster_id TEXT NOT NULL,
    name TEXT NOT NULL,
    cpus INTEGER NOT NULL,
    memory_mb INTEGER NOT NULL,
    gpus INTEGER NOT NULL,
    node_type TEXT NOT NULL,
    state TEXT NOT NULL,
    PRIMARY KEY (cluster_id, name)
);
CREATE TABLE jobs (
    job_id INTEGER PRIMARY KEY AUTOINCREMENT,
    cluster_id TEXT NOT NULL,
    name TEXT NOT NULL,
    user_email TEXT NOT NULL,
    user_id INTEGER NOT NULL,
    uid INTEGER NOT NULL,
    partition TEXT NOT NULL,
    state TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    exit_code INTEGER,
    exit_signal INTEGER,
    priority INTEGER NOT NULL,
    tasks INTEGER NOT NULL,
    cpus_per_task INTEGER NOT NULL,
    nodes_min INTEGER NOT NULL,
    nodes_max INTEGER NOT NULL,
    memory_mb INTEGER NOT NULL,
    gpus INTEGER NOT NULL,
    time_limit_min INTEGER,
    submit_time INTEGER NOT NULL,
    start_time INTEGER,
    end_time INTEGER,
    updated_at INTEGER NOT NULL,
    node_list TEXT NOT NULL DEFAULT '',
    work_dir TEXT NOT NULL,
    output_path TEXT NOT NULL,
    array_job_id INTEGER,
    array_task_id INTEGER,
    array_max_concurrent INTEGER NOT NULL DEFAULT 0,
    request TEXT NOT NULL,
    runner_pid INTEGER,
    job_pid INTEGER,
    cancel_requested_at INTEGER,
    kill_deadline INTEGER
);
CREATE INDEX jobs_cluster_updated ON jobs(cluster_id, updated_at);
CREATE INDEX jobs_state ON jobs(state);
CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    cluster_id TEXT NOT NULL,
    time INTEGER NOT NULL,
    kind TEXT NOT NULL,
    severity TEXT NOT NULL,
    message TEXT NOT NULL,
    actor TEXT NOT NULL DEFAULT '',
    data TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX events_cluster_seq ON events(cluster_id, seq);
)SQL",
    R"SQL(
CREATE TABLE buckets (
    name TEXT PRIMARY KEY,
    cluster_id TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE objects (
    bucket TEXT NOT NULL,
    key TEXT NOT NULL,
    size INTEGER NOT NULL,
    etag TEXT NOT NULL,
    content_type TEXT NOT NULL,
    modified_at INTEGER NOT NULL,
    PRIMARY KEY (bucket, key)
);
CREATE TABLE uploads (
    id TEXT PRIMARY KEY,
    bucket TEXT NOT NULL,
    key TEXT NOT NULL,
    content_type TEXT NOT NULL,
    owner_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE upload_parts (
    upload_id TEXT NOT NULL,
    part_number INTEGER NOT NULL,
    size INTEGER NOT NULL,
    etag TEXT NOT NULL,
    PRIMARY KEY (upload_id, part_number)
);
)SQL",
    // Schedulers other than the local one: the job's id there, and the node usage they report.
    R"SQL(
ALTER TABLE jobs ADD COLUMN scheduler_job_id INTEGER;
CREATE INDEX jobs_scheduler_job ON jobs(cluster_id, scheduler_job_id);
ALTER TABLE nodes ADD COLUMN alloc_cpus INTEGER;
ALTER TABLE nodes ADD COLUMN alloc_memory_mb INTEGER;
ALTER TABLE nodes ADD COLUMN reason TEXT NOT NULL DEFAULT ''
)SQL",
    // OIDC sign-in: the identity provider's stable subject, and the last sign-in time.
    R"SQL(
ALTER TABLE users ADD COLUMN subject TEXT;
CREATE UNIQUE INDEX users_subject ON users(subject);
ALTER TABLE users ADD COLUMN last_sign_in INTEGER NOT NULL DEFAULT 0
)SQL",
    // The Linux account a user's Slurm jobs run under (per_user mapping), one user per account;
    // each job keeps the name it was submitted under, for cancelling it later. Signed-out
    // access tokens stay refused across restarts until they expire.
    R"SQL(
ALTER TABLE users ADD COLUMN linux_user TEXT;
CREATE UNIQUE INDEX users_linux_user ON users(linux_user);
ALTER TABLE jobs ADD COLUMN linux_user TEXT NOT NULL DEFAULT '';
CREATE TABLE revoked_access (
    token_hash BLOB PRIMARY KEY,
    expires_at INTEGER NOT NULL
)
)SQL",
    // Where the job's own bytes start in its output file (OutputOrigin as JSON); NULL for jobs
    // from before, which read their file from the start as they always did.
    R"SQL(
ALTER TABLE jobs ADD COLUMN output_origin TEXT
)SQL",
    // Jobs a Slurm-backed cluster's queue holds that were submitted outside this server (sbatch):
    // shown as squeue shows them, acted on by their mapped owner or an administrator.
    R"SQL(
ALTER TABLE jobs ADD COLUMN submitted_outside INTEGER NOT NULL DEFAULT 0
)SQL",
    // A Slurm array's own row: the tasks of it still pending, as Slurm writes them ("5-9%2").
    R"SQL(
ALTER TABLE jobs ADD COLUMN array_task_string TEXT NOT NULL DEFAULT ''
)SQL",
    // A Slurm-backed cluster's slurmrestd token had been kept where the cluster's own secret goes
    // (and its ends shown as that secret's hint): it gets its own column, never shown.
    R"SQL(
ALTER TABLE clusters ADD COLUMN slurm_token TEXT NOT NULL DEFAULT '';
UPDATE clusters SET slurm_token = secret, secret = '' WHERE provider = 'slurm'
)SQL",
    // The local scheduler reads a cluster's queue in order and stops at the first job that
    // cannot start: an index in that order makes the read as short as the stop.
    R"SQL(
CREATE INDEX jobs_queue ON jobs(cluster_id, state, priority DESC, job_id)
)SQL",
    // What Slurm reports of a node's GPUs in use and the partitions it is in, so Overview can
    // say "allocated of total" and each partition's available nodes.
    R"SQL(
ALTER TABLE nodes ADD COLUMN alloc_gpus INTEGER;
ALTER TABLE nodes ADD COLUMN partitions TEXT NOT NULL DEFAULT ''
)SQL",
};
} // namespace

Database::~Database() {
    if (m_db.isValid()) {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connectionName);
    }
}

bool Database::open(const QString &path, QString *error, int upToVersion) {
    m_connectionName =
        QStringLiteral("clusterra-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    m_db.setDatabaseName(path);
    if (!m_db.open()) {
        *error = m_db.lastError().text();
        return false;
    }
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    try {
        exec(QStringLiteral("PRAGMA journal_mode=WAL"));
        exec(QStringLiteral("PRAGMA synchronous=NORMAL"));
        exec(QStringLiteral("PRAGMA foreign_keys=ON"));
        exec(QStringLiteral("PRAGMA busy_timeout=5000"));
    } catch (const std::exception &e) {
        *error = QString::fromUtf8(e.what());
        return false;
    }
    return migrate(error, upToVersion < 0 ? latestSchemaVersion() : upToVersion);
}

int Database::latestSchemaVersion() {
    return int(kMigrations.size());
}

int Database::schemaVersion() const {
    QSqlQuery q(m_db);
    q.exec(QStringLiteral("PRAGMA user_version"));
    return q.next() ? q.value(0).toInt() : 0;
}

bool Database::migrate(QString *error, int upToVersion) {
    const int current = schemaVersion();
    if (current > int(kMigrations.size())) {
        *error = QStringLiteral("the database schema (version %1) is newer than this server "
                                "understands (%2)")
                     .arg(current)
                     .arg(kMigrations.size());
        return false;
    }
    for (int v = current; v < qMin(upToVersion, int(kMigrations.size())); ++v) {
        m_db.transaction();
        const QStringList statements =
            QString::fromUtf8(kMigrations[size_t(v)]).split(QLatin1Char(';'), Qt::SkipEmptyParts);
        for (const QString &sql : statements) {
            if (sql.trimmed().isEmpty())
                continue;
            QSqlQuery q(m_db);
            if (!q.exec(sql)) {
                *error =
                    QStringLiteral("migration %1 failed: %2").arg(v + 1).arg(q.lastError().text());
                m_db.rollback();
                return false;
            }
        }
        QSqlQuery q(m_db);
        q.exec(QStringLiteral("PRAGMA user_version = %1").arg(v + 1));
        m_db.commit();
    }
    return true;
}

[[noreturn]] void Database::fail(const QSqlQuery &q) {
    // Locked, read-only or full: the request can be tried again later, the server goes on.
    qCWarning(lcStore, "%s", qPrintable(q.lastError().text()));
    throw ApiException(ApiError::make(
        ErrorType::ServiceUnavailable,
        QStringLiteral("The server's database cannot be written right now (%1); try again.")
            .arg(q.lastError().databaseText())));
}

QString Database::placeholders(qsizetype n) {
    QStringList marks;
    marks.fill(QStringLiteral("?"), n);
    return marks.join(QStringLiteral(", "));
}

QSqlQuery Database::exec(const QString &sql, std::initializer_list<QVariant> binds) {
    QSqlQuery q(m_db);
    if (!q.prepare(sql))
        fail(q);
    for (const QVariant &b : binds) {
        // A null QString would bind as SQL NULL; text columns mean "empty" by it.
        const bool nullText = b.typeId() == QMetaType::QString && b.toString().isNull();
        q.addBindValue(nullText ? QVariant(QStringLiteral("")) : b);
    }
    if (!q.exec())
        fail(q);
    return q;
}

Database::Transaction::Transaction(Database &db)
    : m_db(db) {
    m_db.m_db.transaction();
}

Database::Transaction::~Transaction() {
    if (!m_done)
        m_db.m_db.rollback();
}

void Database::Transaction::commit() {
    m_db.m_db.commit();
    m_done = true;
}

} // namespace clusterra::server
