#include "core/transfer/FileUpload.h"

#include "core/client/ApiClient.h"
#include "core/util/Json.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMimeDatabase>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSaveFile>
#include <QTimer>
#include <openssl/evp.h>

namespace clusterra {

namespace {
// A window [offset, offset + length) of a file as a device QNAM can stream from and rewind.
// It hashes the bytes as they are sent, so checking the stored part costs no second read.
class FileSlice : public QIODevice {
public:
    FileSlice(const QString &path, qint64 offset, qint64 length, QObject *parent)
        : QIODevice(parent)
        , m_file(path)
        , m_offset(offset)
        , m_length(length)
        , m_md5(EVP_MD_CTX_new()) {
        EVP_DigestInit_ex(m_md5, EVP_md5(), nullptr);
    }
    ~FileSlice() override { EVP_MD_CTX_free(m_md5); }
    bool open(OpenMode mode) override {
        return m_file.open(QIODevice::ReadOnly) && QIODevice::open(mode);
    }
    bool isSequential() const override { return false; }
    qint64 size() const override { return m_length; }
    // MD5 (hex) of the slice when it was read exactly once from start to end, else empty.
    QByteArray md5() const {
        if (m_hashed != m_length || m_broken)
            return {};
        EVP_MD_CTX *copy = EVP_MD_CTX_new();
        EVP_MD_CTX_copy_ex(copy, m_md5);
        unsigned char digest[16];
        unsigned int len = 0;
        EVP_DigestFinal_ex(copy, digest, &len);
        EVP_MD_CTX_free(copy);
        return QByteArray(reinterpret_cast<const char *>(digest), int(len)).toHex();
    }

protected:
    qint64 readData(char *data, qint64 max) override {
        const qint64 left = m_length - pos();
        if (left <= 0)
            return -1;
        if (!m_file.seek(m_offset + pos()))
            return -1;
        const qint64 n = m_file.read(data, qMin(max, left));
        if (n > 0) {
            if (pos() == 0 && m_hashed > 0) { // rewound for a resend: hash afresh
                EVP_DigestInit_ex(m_md5, EVP_md5(), nullptr);
                m_hashed = 0;
                m_broken = false;
            }
            if (pos() == m_hashed) {
                EVP_DigestUpdate(m_md5, data, size_t(n));
                m_hashed += n;
            } else {
                m_broken = true;
            }
        }
        return n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QFile m_file;
    qint64 m_offset;
    qint64 m_length;
    EVP_MD_CTX *m_md5;
    qint64 m_hashed = 0;
    bool m_broken = false;
};

QByteArray sentMd5(QNetworkReply *reply) {
    const auto *slice = reply->findChild<FileSlice *>();
    return slice ? slice->md5() : QByteArray();
}

QByteArray md5Of(const QString &path, qint64 offset, qint64 length) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly) || !f.seek(offset))
        return {};
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_md5(), nullptr);
    QByteArray buf(1 << 20, Qt::Uninitialized);
    qint64 left = length;
    while (left > 0) {
        const qint64 n = f.read(buf.data(), qMin<qint64>(buf.size(), left));
        if (n <= 0)
            break;
        EVP_DigestUpdate(ctx, buf.constData(), size_t(n));
        left -= n;
    }
    unsigned char digest[16];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx, digest, &len);
    EVP_MD_CTX_free(ctx);
    return left == 0 ? QByteArray(reinterpret_cast<const char *>(digest), int(len)) : QByteArray();
}

QByteArray unquoted(QByteArray etag) {
    return etag.replace('"', "");
}

ApiError transferError(const QString &message) {
    return ApiError::make(ErrorType::NetworkError, message);
}
} // namespace

UploadPlan planUpload(qint64 size, qint64 threshold, qint64 minPart, int maxParts) {
    if (size < threshold)
        return {false, size, 1};
    const qint64 mib = 1 << 20;
    qint64 part = qMax(minPart, size / 1000);
    part = qMax(part, (size + maxParts - 1) / maxParts);
    part = (part + mib - 1) / mib * mib;
    return {true, part, int((size + part - 1) / part)};
}

ResumeStore::ResumeStore(QString path)
    : m_path(std::move(path)) {
    QFile f(m_path);
    if (!f.open(QIODevice::ReadOnly))
        return;
    const auto j = parseJson(f.readAll());
    if (!j.is_object())
        return;
    for (auto it = j.begin(); it != j.end(); ++it) {
        Entry e;
        if (it->is_string()) { // the first format: just the upload id
            e.uploadId = toQ(it->get<std::string>());
        } else if (it->is_object()) {
            e.uploadId = stringOr(*it, "upload_id");
            const auto parts = it->value("parts", nlohmann::json::object());
            for (auto p = parts.begin(); p != parts.end(); ++p)
                if (p->is_string())
                    e.parts.insert(std::atoi(p.key().c_str()),
                                   QByteArray::fromStdString(p->get<std::string>()));
        }
        if (!e.uploadId.isEmpty())
            m_entries.insert(toQ(it.key()), e);
    }
}

QString ResumeStore::find(const QString &fingerprint) const {
    return m_entries.value(fingerprint).uploadId;
}

QHash<int, QByteArray> ResumeStore::parts(const QString &fingerprint) const {
    return m_entries.value(fingerprint).parts;
}

void ResumeStore::remember(const QString &fingerprint, const QString &uploadId) {
    m_entries.insert(fingerprint, {uploadId, {}});
    save();
}

void ResumeStore::rememberPart(const QString &fingerprint, int number, const QByteArray &etag) {
    auto it = m_entries.find(fingerprint);
    if (it == m_entries.end())
        return;
    it->parts.insert(number, etag);
    // At most once a second: 10,000 parts must not mean 10,000 rewrites of a growing file. A
    // crash loses at most a second of part records, which are then simply sent again.
    m_dirty = true;
    if (!m_lastSave.isValid() || m_lastSave.elapsed() > 1000)
        save();
}

void ResumeStore::forget(const QString &fingerprint) {
    if (m_entries.remove(fingerprint))
        save();
}

void ResumeStore::flush() {
    if (m_dirty)
        save();
}

void ResumeStore::save() {
    m_lastSave.start();
    m_dirty = false;
    nlohmann::json j = nlohmann::json::object();
    for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
        nlohmann::json parts = nlohmann::json::object();
        for (auto p = it->parts.begin(); p != it->parts.end(); ++p)
            parts[std::to_string(p.key())] = p.value().toStdString();
        j[toStd(it.key())] = {{"upload_id", toStd(it->uploadId)}, {"parts", std::move(parts)}};
    }
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSaveFile f(m_path);
    if (f.open(QIODevice::WriteOnly)) {
        f.write(dumpJson(j));
        f.commit();
    }
}

FileUpload::FileUpload(ApiClient *api, QString clusterId, QString localPath, QString key,
                       ResumeStore *resume, QObject *parent)
    : Transfer(parent)
    , m_api(api)
    , m_nam(api->network()) // the client's one manager: no connection pool per file
    , m_clusterId(std::move(clusterId))
    , m_path(std::move(localPath))
    , m_key(std::move(key))
    , m_resume(resume) {}

FileUpload::~FileUpload() {
    cancel();
}

QString FileUpload::fingerprint() const {
    // The same file (path, size, mtime) to the same place: a different file never resumes.
    return QStringLiteral("%1|%2|%3|%4|%5")
        .arg(m_clusterId, m_key, m_path)
        .arg(m_size)
        .arg(m_mtime);
}

qint64 FileUpload::bytesSent() const {
    qint64 inFlight = 0;
    for (qint64 p : m_partProgress)
        inFlight += p;
    return m_sentDone + inFlight;
}

void FileUpload::emitProgress() {
    Q_EMIT progress(m_resumedBytes + bytesSent(), m_size);
}

void FileUpload::start() {
    const QFileInfo info(m_path);
    if (!info.isFile() || !info.isReadable()) {
        fail(ApiError::make(ErrorType::ValidationError, tr("Cannot read %1.").arg(m_path)));
        return;
    }
    m_size = info.size();
    m_mtime = info.lastModified().toMSecsSinceEpoch();
    m_plan = planUpload(m_size, m_threshold);
    if (m_plan.multipart)
        beginMultipart();
    else
        single();
}

void FileUpload::abortInFlight() {
    if (m_resume)
        m_resume->flush();
    const auto replies = m_inFlight.keys();
    m_inFlight.clear();
    for (QNetworkReply *r : replies) {
        r->disconnect(this);
        r->abort();
        r->deleteLater();
    }
}

void FileUpload::cancel() {
    abortInFlight();
    if (!m_finished) {
        m_finished = true;
        Q_EMIT finished(
            ApiError::make(ErrorType::NetworkError,
                           tr("The upload was cancelled; it resumes from the stored parts.")));
    }
}

void FileUpload::fail(const ApiError &error) {
    if (m_finished)
        return;
    m_finished = true;
    abortInFlight();
    Q_EMIT finished(error);
}

QNetworkReply *FileUpload::putSlice(const QUrl &url, qint64 offset, qint64 length,
                                    const QList<QPair<QByteArray, QByteArray>> &headers) {
    QNetworkRequest req(url);
    req.setHeader(QNetworkRequest::ContentLengthHeader, length);
    for (const auto &[k, v] : headers)
        req.setRawHeader(k, v);
    auto *slice = new FileSlice(m_path, offset, length, nullptr);
    slice->open(QIODevice::ReadOnly);
    QNetworkReply *reply = m_nam->put(req, slice);
    slice->setParent(reply);
    return reply;
}

void FileUpload::single() {
    const QString type = QMimeDatabase().mimeTypeForFile(m_path).name();
    m_api->send("POST",
                ApiClient::clusterPath(m_clusterId) + QStringLiteral("/storage/presigned-url"),
                {{"key", toStd(m_key)}, {"method", "PUT"}, {"content_type", toStd(type)}}, this,
                [this, type](const nlohmann::json &j, const ApiError &e) {
                    if (e.isError())
                        return fail(e);
                    QNetworkReply *reply = putSlice(QUrl(stringOr(j, "url"), QUrl::StrictMode), 0,
                                                    m_size, {{"Content-Type", type.toUtf8()}});
                    m_inFlight.insert(reply, 1);
                    connect(reply, &QNetworkReply::uploadProgress, this, [this](qint64 sent) {
                        m_partProgress[1] = sent;
                        emitProgress();
                    });
                    connect(reply, &QNetworkReply::finished, this, [this, reply] {
                        m_inFlight.remove(reply);
                        reply->deleteLater();
                        const ApiError error = errorFromReply(reply, reply->readAll());
                        if (error.isError())
                            return fail(error);
                        QByteArray sent = sentMd5(reply);
                        if (sent.isEmpty())
                            sent = md5Of(m_path, 0, m_size).toHex();
                        if (unquoted(reply->rawHeader("ETag")) != sent)
                            return fail(transferError(
                                tr("The stored file does not match the local one (checksum).")));
                        m_finished = true;
                        Q_EMIT finished({});
                    });
                });
}

void FileUpload::beginMultipart() {
    const QString existing = m_resume ? m_resume->find(fingerprint()) : QString();
    if (existing.isEmpty()) {
        resumeOrCreate();
        return;
    }
    m_api->send(
        "GET",
        ApiClient::clusterPath(m_clusterId) + QStringLiteral("/storage/multipart/") + existing,
        nullptr, this, [this, existing](const nlohmann::json &j, const ApiError &e) {
            if (e.type == ErrorType::NotFound) {
                m_resume->forget(fingerprint()); // the upload is gone: start afresh
                resumeOrCreate();
                return;
            }
            if (e.isError() && e.type != ErrorType::ServiceUnavailable)
                return fail(e);
            m_uploadId = existing;
            // The store's list when it has one; otherwise the parts this console
            // remembers storing (a store that cannot list them checks them on complete).
            QHash<int, QPair<qint64, QByteArray>> stored;
            if (!e.isError()) {
                for (const auto &p : arrayMember(j, "parts"))
                    stored.insert(
                        int(intMember(p, "part_number").value_or(0)),
                        {intMember(p, "size").value_or(-1), stringOr(p, "etag").toUtf8()});
            } else {
                const auto remembered = m_resume->parts(fingerprint());
                for (auto it = remembered.begin(); it != remembered.end(); ++it)
                    stored.insert(it.key(), {-1, it.value()});
            }
            for (auto it = stored.begin(); it != stored.end(); ++it) {
                const int n = it.key();
                const qint64 expected = n == m_plan.partCount
                                            ? m_size - qint64(n - 1) * m_plan.partSize
                                            : m_plan.partSize;
                if (n >= 1 && n <= m_plan.partCount && (it->first == expected || it->first < 0)) {
                    m_done.insert(n, it->second);
                    m_resumedBytes += expected;
                }
            }
            resumeOrCreate();
        });
}

void FileUpload::resumeOrCreate() {
    if (!m_uploadId.isEmpty()) {
        for (int n = 1; n <= m_plan.partCount; ++n)
            if (!m_done.contains(n))
                m_todo.append(n);
        emitProgress();
        fetchUrls();
        return;
    }
    m_api->send("POST", ApiClient::clusterPath(m_clusterId) + QStringLiteral("/storage/multipart"),
                {{"key", toStd(m_key)},
                 {"content_type", toStd(QMimeDatabase().mimeTypeForFile(m_path).name())}},
                this, [this](const nlohmann::json &j, const ApiError &e) {
                    if (e.isError())
                        return fail(e);
                    m_uploadId = stringOr(j, "upload_id");
                    if (m_resume)
                        m_resume->remember(fingerprint(), m_uploadId);
                    resumeOrCreate();
                });
}

void FileUpload::fetchUrls() {
    if (m_fetchingUrls || m_finished)
        return;
    nlohmann::json numbers = nlohmann::json::array();
    for (int n : std::as_const(m_todo)) {
        if (!m_urls.contains(n) && numbers.size() < 100)
            numbers.push_back(n);
    }
    if (numbers.empty()) {
        pump();
        return;
    }
    m_fetchingUrls = true;
    m_api->send("POST",
                ApiClient::clusterPath(m_clusterId) +
                    QStringLiteral("/storage/multipart/%1/parts").arg(m_uploadId),
                {{"part_numbers", numbers}}, this,
                [this](const nlohmann::json &j, const ApiError &e) {
                    m_fetchingUrls = false;
                    if (e.isError())
                        return fail(e);
                    for (const auto &p : arrayMember(j, "parts"))
                        m_urls.insert(int(intMember(p, "part_number").value_or(0)),
                                      QUrl(stringOr(p, "url"), QUrl::StrictMode));
                    pump();
                });
}

void FileUpload::pump() {
    if (m_finished)
        return;
    while (m_inFlight.size() < m_parallel && !m_todo.isEmpty()) {
        const int n = m_todo.first();
        if (!m_urls.contains(n)) {
            fetchUrls();
            return;
        }
        m_todo.removeFirst();
        putPart(n);
    }
    if (m_todo.isEmpty() && m_inFlight.isEmpty())
        complete();
}

void FileUpload::putPart(int n) {
    const qint64 offset = qint64(n - 1) * m_plan.partSize;
    const qint64 length = qMin(m_plan.partSize, m_size - offset);
    QNetworkReply *reply = putSlice(m_urls.take(n), offset, length, {});
    m_inFlight.insert(reply, n);
    connect(reply, &QNetworkReply::uploadProgress, this, [this, n](qint64 sent) {
        m_partProgress[n] = sent;
        emitProgress();
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply, n, length] {
        m_inFlight.remove(reply);
        reply->deleteLater();
        m_partProgress.remove(n);
        const ApiError error = errorFromReply(reply, reply->readAll());
        if (error.isError()) {
            // A part is idempotent: retry it a few times before giving up (the upload stays
            // resumable either way).
            if (++m_attempts[n] <= 3) {
                m_todo.prepend(n);
                QTimer::singleShot(500 * m_attempts[n], this, &FileUpload::fetchUrls);
                return;
            }
            return fail(error);
        }
        m_done.insert(n, reply->rawHeader("ETag"));
        if (m_resume)
            m_resume->rememberPart(fingerprint(), n, reply->rawHeader("ETag"));
        m_sentMd5.insert(n, QByteArray::fromHex(sentMd5(reply)));
        m_sentDone += length;
        emitProgress();
        pump();
    });
}

void FileUpload::complete() {
    nlohmann::json parts = nlohmann::json::array();
    QByteArray md5s;
    for (int n = 1; n <= m_plan.partCount; ++n) {
        parts.push_back({{"part_number", n}, {"etag", m_done.value(n).toStdString()}});
        const qint64 offset = qint64(n - 1) * m_plan.partSize;
        // Parts sent by this run were hashed on the way; resumed ones are read again.
        const QByteArray sent = m_sentMd5.value(n);
        md5s += sent.size() == 16 ? sent
                                  : md5Of(m_path, offset, qMin(m_plan.partSize, m_size - offset));
    }
    // S3's multipart ETag: MD5 of the parts' MD5s, "-N". Computed from the local file, so a
    // part that changed or was corrupted on the way cannot pass.
    QByteArray digest(16, Qt::Uninitialized);
    unsigned int len = 0;
    EVP_Digest(md5s.constData(), size_t(md5s.size()),
               reinterpret_cast<unsigned char *>(digest.data()), &len, EVP_md5(), nullptr);
    const QByteArray expected = digest.toHex() + '-' + QByteArray::number(m_plan.partCount);
    m_api->send("POST",
                ApiClient::clusterPath(m_clusterId) +
                    QStringLiteral("/storage/multipart/%1/complete").arg(m_uploadId),
                {{"parts", parts}}, this,
                [this, expected](const nlohmann::json &j, const ApiError &e) {
                    if (e.isError())
                        return fail(e);
                    if (m_resume)
                        m_resume->forget(fingerprint());
                    const qint64 size = intMember(j, "size").value_or(-1);
                    const QByteArray etag = unquoted(stringOr(j, "etag").toUtf8());
                    // Some stores (s3rver) give a joined object the MD5 of its bytes rather than
                    // S3's MD5-of-parts form: that one is checked against the whole file instead.
                    const bool whole = !etag.contains('-') && etag.size() == 32;
                    if (size != m_size ||
                        (whole ? etag != md5Of(m_path, 0, m_size).toHex() : etag != expected))
                        return fail(transferError(
                            tr("The stored file does not match the local one: %1 bytes and "
                               "checksum %2 stored, %3 bytes and %4 here.")
                                .arg(size)
                                .arg(QString::fromLatin1(etag))
                                .arg(m_size)
                                .arg(QString::fromLatin1(expected))));
                    m_finished = true;
                    Q_EMIT finished({});
                });
}

} // namespace clusterra
