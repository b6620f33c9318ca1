#include "core/transfer/FileDownload.h"

#include "core/client/ApiClient.h"
#include "core/client/FileCalls.h"

#include <QDir>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>

namespace clusterra {

namespace {
constexpr qint64 kReadBuffer = 4 << 20;

ApiError downloadError(const QString &message) {
    return ApiError::make(ErrorType::NetworkError, message);
}
} // namespace

FileDownload::FileDownload(ApiClient *api, QString clusterId, QString key, QString target,
                           QObject *parent)
    : Transfer(parent)
    , m_api(api)
    , m_nam(api->network()) // the client's one manager: no connection pool per file
    , m_clusterId(std::move(clusterId))
    , m_key(std::move(key))
    , m_target(std::move(target)) {}

FileDownload::~FileDownload() {
    cancel();
}

void FileDownload::start() {
    if (!QDir().mkpath(QFileInfo(m_target).absolutePath())) {
        fail(ApiError::make(ErrorType::ValidationError,
                            tr("Cannot create the folder for %1.").arg(m_target)));
        return;
    }
    m_api->files().presign(m_clusterId, m_key, "GET", {}, this,
                           [this](const PresignedUrl &p, const ApiError &e) {
                               if (e.isError())
                                   return fail(e);
                               get(p.url);
                           });
}

void FileDownload::get(const QUrl &url) {
    m_file.setFileName(partialPath());
    if (!m_file.open(QIODevice::ReadWrite)) {
        fail(ApiError::make(ErrorType::ValidationError,
                            tr("Cannot write %1: %2").arg(partialPath(), m_file.errorString())));
        return;
    }
    m_offset = m_file.size(); // what an earlier run already stored
    m_file.seek(m_offset);
    QNetworkRequest req(url);
    if (m_offset > 0)
        req.setRawHeader("Range", "bytes=" + QByteArray::number(m_offset) + '-');
    m_reply = m_nam->get(req);
    m_reply->setReadBufferSize(kReadBuffer);
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &FileDownload::onHeaders);
    connect(m_reply, &QNetworkReply::readyRead, this, &FileDownload::onData);
    connect(m_reply, &QNetworkReply::finished, this, &FileDownload::onFinished);
}

void FileDownload::onHeaders() {
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    m_etag = m_reply->rawHeader("ETag");
    if (status == 206) {
        static const QRegularExpression range(QStringLiteral("^bytes (\\d+)-\\d+/(\\d+)$"));
        const auto m = range.match(QString::fromLatin1(m_reply->rawHeader("Content-Range")));
        if (!m.hasMatch() || m.captured(1).toLongLong() != m_offset) {
            fail(downloadError(tr("The server sent the wrong part of %1.").arg(m_key)));
            return;
        }
        m_total = m.captured(2).toLongLong();
        // The bytes an earlier run stored count towards the checksum: read them once now.
        m_md5.reset();
        m_file.seek(0);
        QByteArray buf(1 << 20, Qt::Uninitialized);
        for (qint64 left = m_offset; left > 0;) {
            const qint64 n = m_file.read(buf.data(), qMin<qint64>(left, buf.size()));
            if (n <= 0) {
                fail(downloadError(tr("Cannot read %1 to resume it.").arg(partialPath())));
                return;
            }
            m_md5.add(QByteArrayView(buf.constData(), n));
            left -= n;
        }
        m_file.seek(m_offset);
    } else if (status == 200) {
        // A full answer to a Range request (or a first request): start the file afresh.
        m_offset = 0;
        m_file.resize(0);
        m_file.seek(0);
        m_md5.reset();
        m_total = m_reply->header(QNetworkRequest::ContentLengthHeader).toLongLong();
    } else if (status == 416 && m_offset > 0) {
        // The partial file is longer than the object: it belongs to another version.
        m_file.resize(0);
        m_offset = 0;
    }
}

void FileDownload::onData() {
    if (m_finished || !m_reply)
        return;
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status != 200 && status != 206)
        return; // error bodies are read in onFinished
    const QByteArray chunk = m_reply->readAll();
    if (m_file.write(chunk) != chunk.size()) {
        fail(ApiError::make(ErrorType::ValidationError,
                            tr("Cannot write %1: %2").arg(partialPath(), m_file.errorString())));
        return;
    }
    m_md5.add(chunk);
    Q_EMIT progress(m_file.pos(), m_total);
}

void FileDownload::onFinished() {
    if (m_finished || !m_reply)
        return;
    QNetworkReply *reply = m_reply;
    reply->deleteLater();
    m_reply = nullptr;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 416) {
        m_file.close();
        QFile::remove(partialPath());
        start(); // the stale partial file is gone: fetch from the start
        return;
    }
    const ApiError error =
        errorFromReply(reply, status == 200 || status == 206 ? QByteArray() : reply->readAll());
    if (error.isError())
        return fail(error);
    onData();
    if (m_finished)
        return;
    m_file.close();
    const qint64 size = QFileInfo(partialPath()).size();
    if (m_total >= 0 && size != m_total)
        return fail(downloadError(tr("%1 arrived incomplete (%2 of %3 bytes); retry resumes it.")
                                      .arg(m_key)
                                      .arg(size)
                                      .arg(m_total)));
    const QByteArray etag = QByteArray(m_etag).replace('"', "");
    // A multipart ETag ("…-N") is not a checksum of the bytes; a plain one is their MD5.
    if (!etag.isEmpty() && !etag.contains('-') && m_md5.hex() != etag) {
        QFile::remove(partialPath());
        return fail(downloadError(
            tr("%1 arrived corrupted (checksum); retry fetches it again.").arg(m_key)));
    }
    QFile::remove(m_target);
    if (!QFile::rename(partialPath(), m_target))
        return fail(ApiError::make(ErrorType::ValidationError,
                                   tr("Cannot move the download into %1.").arg(m_target)));
    m_finished = true;
    Q_EMIT progress(size, size);
    Q_EMIT finished({});
}

void FileDownload::cancel() {
    fail(downloadError(tr("The download was cancelled; it resumes where it stopped.")));
}

void FileDownload::fail(const ApiError &error) {
    // The partial file stays: the next run asks for the rest with a Range request.
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
        m_reply = nullptr;
    }
    m_file.close();
    if (m_finished)
        return;
    m_finished = true;
    Q_EMIT finished(error);
}

} // namespace clusterra
