#include "server/objects/ObjectStore.h"
#include "server/objects/S3Endpoint.h"

#include "core/crypto/Crypto.h"
#include "core/util/Time.h"
#include "server/sys/Platform.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <openssl/evp.h>
#include <optional>
#include <unistd.h>

namespace clusterra::server {

namespace {
// Streams a body to a temporary file with its MD5 (S3's ETag), then renames it into place.
class FileSink : public http::BodySink {
public:
    using Commit =
        std::function<http::Response(const QString &temp, qint64 size, const QByteArray &md5)>;

    FileSink(QString temp, qint64 limit, Commit commit)
        : m_file(std::move(temp))
        , m_limit(limit)
        , m_commit(std::move(commit))
        , m_md5(EVP_MD_CTX_new()) {
        EVP_DigestInit_ex(m_md5, EVP_md5(), nullptr);
        m_ok = m_file.open(QIODevice::WriteOnly | QIODevice::Unbuffered);
    }
    ~FileSink() override {
        EVP_MD_CTX_free(m_md5);
        if (!m_committed)
            QFile::remove(m_file.fileName()); // an interrupted upload leaves nothing behind
    }

    bool write(const char *data, qsizetype size) override {
        m_size += size;
        if (m_size > m_limit)
            return false;
        if (!m_ok || !m_writeError.isEmpty())
            return true; // nowhere to write: read the rest so the client gets the answer
        EVP_DigestUpdate(m_md5, data, size_t(size));
        if (m_file.write(data, size) != size) {
            m_writeError = m_file.errorString();
            m_file.close();
            QFile::remove(m_file.fileName());
        }
        return true;
    }

    http::Response finish() override {
        if (!m_ok || !m_writeError.isEmpty())
            return unwritable(m_ok ? m_writeError : m_file.errorString());
        m_file.close();
        unsigned char digest[16];
        unsigned int len = 0;
        EVP_DigestFinal_ex(m_md5, digest, &len);
        m_committed = true;
        return m_commit(m_file.fileName(), m_size,
                        QByteArray(reinterpret_cast<const char *>(digest), int(len)));
    }

private:
    static http::Response unwritable(const QString &why) {
        return s3Error("ServiceUnavailable",
                       QStringLiteral("The object store cannot store this upload now (%1); "
                                      "nothing was written.")
                           .arg(why),
                       QString());
    }

    QFile m_file;
    QString m_writeError;
    qint64 m_limit;
    Commit m_commit;
    EVP_MD_CTX *m_md5;
    qint64 m_size = 0;
    bool m_ok = false;
    bool m_committed = false;
};

// Appends a file to `out`: in the kernel (copy_file_range, a reflink where the filesystem can)
// so joining a multi-gigabyte upload costs no trip through user space; read/write otherwise.
qint64 appendFile(QFile &out, const QString &path) {
    QFile in(path);
    if (!in.open(QIODevice::ReadOnly))
        return -1;
    const qint64 size = in.size();
    qint64 copied = 0;
    out.flush();
    copied = sys::copyInKernel(in.handle(), out.handle(), size);
    if (copied == size) {
        out.seek(out.size()); // QFile's position follows the descriptor's again
        return size;
    }
    in.seek(copied);
    out.seek(out.size());
    QByteArray buffer(1 << 20, Qt::Uninitialized);
    for (qint64 n; (n = in.read(buffer.data(), buffer.size())) > 0; copied += n)
        if (out.write(buffer.constData(), n) != n)
            return -1;
    return copied;
}

ObjectInfo fromRow(const QSqlQuery &q, const QString &bucket, const ObjectStore &store) {
    ObjectInfo o;
    o.bucket = bucket;
    o.key = q.value(0).toString();
    o.size = q.value(1).toLongLong();
    o.etag = q.value(2).toByteArray();
    o.contentType = q.value(3).toString();
    o.modifiedMs = q.value(4).toLongLong();
    o.file = store.objectFile(bucket, o.key);
    return o;
}
} // namespace

ObjectStore::ObjectStore(Database &db, QString root, ObjectLimits limits)
    : m_db(db)
    , m_root(std::move(root))
    , m_limits(limits) {
    QDir().mkpath(m_root + QStringLiteral("/.tmp"));
    QDir().mkpath(m_root + QStringLiteral("/.uploads"));
    // Leftovers of uploads cut off by a crash or restart.
    QDir tmp(m_root + QStringLiteral("/.tmp"));
    for (const QString &f : tmp.entryList(QDir::Files))
        tmp.remove(f);
}

QString ObjectStore::objectFile(const QString &bucket, const QString &key) const {
    return m_root + QLatin1Char('/') + bucket + QLatin1Char('/') +
           QString::fromLatin1(crypto::sha256(key.toUtf8()).toHex());
}

QString ObjectStore::partFile(const QString &uploadId, int number) const {
    return m_root + QStringLiteral("/.uploads/") + uploadId + QLatin1Char('/') +
           QString::number(number);
}

QString ObjectStore::tempFile() const {
    return m_root + QStringLiteral("/.tmp/") + QString::fromLatin1(crypto::randomToken(12));
}

void ObjectStore::ensureBucket(const QString &bucket, const QString &clusterId) {
    QDir().mkpath(m_root + QLatin1Char('/') + bucket);
    m_db.exec(QStringLiteral(
                  "INSERT OR IGNORE INTO buckets (name, cluster_id, created_at) VALUES (?, ?, ?)"),
              {bucket, clusterId, nowMs()});
}

bool ObjectStore::bucketExists(const QString &bucket) {
    QSqlQuery q = m_db.exec(QStringLiteral("SELECT 1 FROM buckets WHERE name = ?"), {bucket});
    return q.next();
}

void ObjectStore::dropBucket(const QString &bucket) {
    m_db.exec(QStringLiteral("DELETE FROM objects WHERE bucket = ?"), {bucket});
    m_db.exec(QStringLiteral("DELETE FROM buckets WHERE name = ?"), {bucket});
    QDir(m_root + QLatin1Char('/') + bucket).removeRecursively();
}

std::optional<ObjectInfo> ObjectStore::stat(const QString &bucket, const QString &key) {
    QSqlQuery q = m_db.exec(QStringLiteral("SELECT key, size, etag, content_type, modified_at FROM "
                                           "objects WHERE bucket = ? AND key = ?"),
                            {bucket, key});
    if (!q.next())
        return std::nullopt;
    return fromRow(q, bucket, *this);
}

namespace {
// The least key above every key that starts with `prefix`: its last code point, plus one.
// SQLite compares keys as UTF-8 bytes, which orders them by code point, so no bound made of
// one fixed character (U+FFFF) holds for keys above the Basic Multilingual Plane (an emoji).
std::optional<QString> pastPrefix(const QString &prefix) {
    QList<uint> points = prefix.toUcs4();
    while (!points.isEmpty()) {
        uint next = points.takeLast() + 1;
        if (next == 0xD800) // surrogates are no characters
            next = 0xE000;
        if (next <= 0x10FFFF) {
            points.append(next);
            return QString::fromUcs4(reinterpret_cast<const char32_t *>(points.constData()),
                                     points.size());
        }
    }
    return std::nullopt; // empty, or only U+10FFFF: every key above it
}
} // namespace

QList<ObjectInfo> ObjectStore::list(const QString &bucket, const QString &prefix,
                                    const QString &startAfter, int limit) {
    // A range scan on the primary key, no LIKE escaping.
    const auto end = pastPrefix(prefix);
    const QString sql =
        QStringLiteral("SELECT key, size, etag, content_type, modified_at FROM objects WHERE "
                       "bucket = ? AND key >= ? AND key > ? AND key < ? ORDER BY key LIMIT ?");
    const QString unbounded = QString(sql).replace(QStringLiteral(" AND key < ?"), QString());
    QSqlQuery q = end ? m_db.exec(sql, {bucket, prefix, startAfter, *end, limit})
                      : m_db.exec(unbounded, {bucket, prefix, startAfter, limit});
    QList<ObjectInfo> out;
    while (q.next())
        out.append(fromRow(q, bucket, *this));
    return out;
}

bool ObjectStore::remove(const QString &bucket, const QString &key) {
    if (!stat(bucket, key))
        return false;
    m_db.exec(QStringLiteral("DELETE FROM objects WHERE bucket = ? AND key = ?"), {bucket, key});
    QFile::remove(objectFile(bucket, key));
    return true;
}

std::optional<ObjectStore::ImportedCopy> ObjectStore::copyForImport(const QString &path,
                                                                    qint64 from, qint64 length,
                                                                    const QString &temp,
                                                                    const std::atomic_bool &stop) {
    QFile in(path);
    if (!in.open(QIODevice::ReadOnly) || !in.seek(from))
        return std::nullopt;
    QDir().mkpath(QFileInfo(temp).absolutePath());
    QFile out(temp);
    if (!out.open(QIODevice::WriteOnly))
        return std::nullopt;
    crypto::Md5 md5;
    QByteArray buf(1 << 20, Qt::Uninitialized);
    ImportedCopy copy;
    bool ok = true;
    while (ok && copy.size < length && !stop.load()) {
        const qint64 n = in.read(buf.data(), qMin<qint64>(buf.size(), length - copy.size));
        if (n <= 0)
            break; // shorter than it was: what there is
        md5.add(QByteArrayView(buf.constData(), n));
        ok = out.write(buf.constData(), n) == n;
        copy.size += n;
    }
    out.close();
    if (!ok || stop.load()) {
        QFile::remove(temp);
        return std::nullopt;
    }
    copy.etag = '"' + md5.hex() + '"';
    return copy;
}

std::optional<ObjectInfo> ObjectStore::finishImport(const QString &bucket, const QString &key,
                                                    const QString &temp, const ImportedCopy &copy,
                                                    const QString &contentType) {
    const QString target = objectFile(bucket, key);
    QFile::remove(target);
    if (!QFile::rename(temp, target)) {
        QFile::remove(temp);
        return std::nullopt;
    }
    ObjectInfo o{bucket, key, copy.size, copy.etag, contentType, nowMs(), target};
    recordObject(o);
    return o;
}

void ObjectStore::recordObject(const ObjectInfo &o) {
    m_db.exec(QStringLiteral("INSERT OR REPLACE INTO objects (bucket, key, size, etag, "
                             "content_type, modified_at) VALUES (?, ?, ?, ?, ?, ?)"),
              {o.bucket, o.key, o.size, QString::fromLatin1(o.etag), o.contentType, o.modifiedMs});
}

void ObjectStore::recordPart(const QString &uploadId, const PartInfo &p) {
    m_db.exec(QStringLiteral("INSERT OR REPLACE INTO upload_parts (upload_id, part_number, size, "
                             "etag) VALUES (?, ?, ?, ?)"),
              {uploadId, p.number, p.size, QString::fromLatin1(p.etag)});
}

std::unique_ptr<http::BodySink> ObjectStore::putObject(const QString &bucket, const QString &key,
                                                       const QString &contentType) {
    return std::make_unique<FileSink>(
        tempFile(), m_limits.maxPutBytes,
        [this, bucket, key, contentType](const QString &temp, qint64 size, const QByteArray &md5) {
            ObjectInfo o{bucket,
                         key,
                         size,
                         '"' + md5.toHex() + '"',
                         contentType.isEmpty() ? QStringLiteral("application/octet-stream")
                                               : contentType,
                         nowMs(),
                         objectFile(bucket, key)};
            QFile::remove(o.file);
            if (!QFile::rename(temp, o.file))
                return http::Response::text("cannot store the object", "text/plain", 500);
            recordObject(o);
            return http::Response::text({}, "text/plain").withHeader("ETag", o.etag);
        });
}

std::unique_ptr<http::BodySink> ObjectStore::putPart(const UploadInfo &upload, int number) {
    return std::make_unique<FileSink>(
        tempFile(), m_limits.maxPartBytes,
        [this, upload, number](const QString &temp, qint64 size, const QByteArray &md5) {
            const QString target = partFile(upload.id, number);
            QDir().mkpath(QFileInfo(target).absolutePath());
            QFile::remove(target);
            if (!QFile::rename(temp, target))
                return http::Response::text("cannot store the part", "text/plain", 500);
            const PartInfo part{number, size, '"' + md5.toHex() + '"'};
            recordPart(upload.id, part);
            return http::Response::text({}, "text/plain").withHeader("ETag", part.etag);
        });
}

UploadInfo ObjectStore::createUpload(const QString &bucket, const QString &key,
                                     const QString &contentType, qint64 ownerId) {
    UploadInfo u{QString::fromLatin1(crypto::randomToken(18)), bucket, key,
                 contentType.isEmpty() ? QStringLiteral("application/octet-stream") : contentType,
                 ownerId};
    m_db.exec(QStringLiteral("INSERT INTO uploads (id, bucket, key, content_type, owner_id, "
                             "created_at) VALUES (?, ?, ?, ?, ?, ?)"),
              {u.id, u.bucket, u.key, u.contentType, u.ownerId, nowMs()});
    return u;
}

void ObjectStore::recordUpload(const UploadInfo &u) {
    m_db.exec(QStringLiteral("INSERT OR REPLACE INTO uploads (id, bucket, key, content_type, "
                             "owner_id, created_at) VALUES (?, ?, ?, ?, ?, ?)"),
              {u.id, u.bucket, u.key, u.contentType, u.ownerId, nowMs()});
}

std::optional<UploadInfo> ObjectStore::upload(const QString &id) {
    QSqlQuery q = m_db.exec(
        QStringLiteral("SELECT id, bucket, key, content_type, owner_id FROM uploads WHERE id = ?"),
        {id});
    if (!q.next())
        return std::nullopt;
    return UploadInfo{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                      q.value(3).toString(), q.value(4).toLongLong()};
}

QList<PartInfo> ObjectStore::parts(const QString &uploadId) {
    QSqlQuery q = m_db.exec(QStringLiteral("SELECT part_number, size, etag FROM upload_parts WHERE "
                                           "upload_id = ? ORDER BY part_number"),
                            {uploadId});
    QList<PartInfo> out;
    while (q.next())
        out.append({q.value(0).toInt(), q.value(1).toLongLong(), q.value(2).toByteArray()});
    return out;
}

std::optional<ObjectInfo> ObjectStore::complete(const UploadInfo &upload,
                                                const QList<PartInfo> &wanted, QString *errorCode,
                                                QString *errorText) {
    const QList<PartInfo> stored = parts(upload.id);
    auto fail = [&](const char *code, const QString &text) -> std::optional<ObjectInfo> {
        *errorCode = QString::fromLatin1(code);
        *errorText = text;
        return std::nullopt;
    };
    if (wanted.isEmpty())
        return fail("MalformedXML", QStringLiteral("list at least one part"));
    QList<PartInfo> chosen;
    int previous = 0;
    for (const PartInfo &w : wanted) {
        if (w.number <= previous)
            return fail("InvalidPartOrder",
                        QStringLiteral("parts must be listed in ascending order"));
        previous = w.number;
        const auto it = std::find_if(stored.begin(), stored.end(),
                                     [&](const PartInfo &p) { return p.number == w.number; });
        if (it == stored.end() ||
            QByteArray(it->etag).replace('"', "") != QByteArray(w.etag).replace('"', ""))
            return fail(
                "InvalidPart",
                QStringLiteral("part %1 was not uploaded or its ETag differs").arg(w.number));
        chosen.append(*it);
    }
    for (qsizetype i = 0; i + 1 < chosen.size(); ++i) {
        if (chosen[i].size < m_limits.minPartBytes)
            return fail("EntityTooSmall", QStringLiteral("part %1 is smaller than %2 bytes")
                                              .arg(chosen[i].number)
                                              .arg(m_limits.minPartBytes));
    }
    // Concatenate into a temporary file, then rename: readers never see a half-joined object.
    const QString temp = tempFile();
    QFile out(temp);
    if (!out.open(QIODevice::WriteOnly))
        return fail("InternalError", QStringLiteral("cannot write the object"));
    QByteArray md5s;
    qint64 size = 0;
    for (const PartInfo &p : std::as_const(chosen)) {
        const qint64 n = appendFile(out, partFile(upload.id, p.number));
        if (n < 0)
            return fail("InternalError",
                        QStringLiteral("part %1 is missing on disk").arg(p.number));
        size += n;
        md5s += QByteArray::fromHex(QByteArray(p.etag).replace('"', ""));
    }
    out.close();
    const QByteArray etag = '"' + QCryptographicHash::hash(md5s, QCryptographicHash::Md5).toHex() +
                            '-' + QByteArray::number(chosen.size()) + '"';
    ObjectInfo o{upload.bucket,
                 upload.key,
                 size,
                 etag,
                 upload.contentType,
                 nowMs(),
                 objectFile(upload.bucket, upload.key)};
    QFile::remove(o.file);
    if (!QFile::rename(temp, o.file))
        return fail("InternalError", QStringLiteral("cannot store the object"));
    recordObject(o);
    abort(upload.id);
    return o;
}

void ObjectStore::abort(const QString &uploadId) {
    m_db.exec(QStringLiteral("DELETE FROM upload_parts WHERE upload_id = ?"), {uploadId});
    m_db.exec(QStringLiteral("DELETE FROM uploads WHERE id = ?"), {uploadId});
    QDir(m_root + QStringLiteral("/.uploads/") + uploadId).removeRecursively();
}

} // namespace clusterra::server
