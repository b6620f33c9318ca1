#pragma once

#include "core/transfer/Transfer.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;

namespace clusterra {

class ApiClient;

struct UploadPlan {
    bool multipart = false;
    qint64 partSize = 0;
    int partCount = 1;
};

// Single PUT below `threshold`; above it, parts of at least `minPart` that grow with the file
// (about 1/1000 of it, rounded to MiB) and never exceed S3's 10,000 parts.
UploadPlan planUpload(qint64 size, qint64 threshold = 64LL << 20, qint64 minPart = 8LL << 20,
                      int maxParts = 10000);

// Remembers unfinished multipart uploads on disk, and the ETags of the parts this console
// stored, so an upload survives a console restart even where the store cannot list parts.
class ResumeStore {
public:
    explicit ResumeStore(QString path);
    QString find(const QString &fingerprint) const;
    QHash<int, QByteArray> parts(const QString &fingerprint) const;
    void remember(const QString &fingerprint, const QString &uploadId);
    void rememberPart(const QString &fingerprint, int number, const QByteArray &etag);
    void forget(const QString &fingerprint);
    // Writes part records held back by the once-a-second limit (on cancel and failure).
    void flush();

private:
    struct Entry {
        QString uploadId;
        QHash<int, QByteArray> parts;
    };
    void save();
    QString m_path;
    QHash<QString, Entry> m_entries;
    QElapsedTimer m_lastSave;
    bool m_dirty = false;
};

// Uploads one local file to a key of a cluster's bucket over presigned URLs. Bytes stream from
// disk (never the whole file in memory); large files go multipart with parallel parts and
// resume from the parts already stored; size and checksum (S3's ETag) are checked at the end.
class FileUpload : public Transfer {
    Q_OBJECT
public:
    FileUpload(ApiClient *api, QString clusterId, QString localPath, QString key,
               ResumeStore *resume, QObject *parent = nullptr);
    ~FileUpload() override;

    void setParallelParts(int n) { m_parallel = qMax(1, n); }
    void setThreshold(qint64 bytes) { m_threshold = bytes; }
    void start() override;
    void cancel() override;
    qint64 total() const { return m_size; }
    // Bytes this run actually sent (parts resumed from the server are not counted).
    qint64 bytesSent() const;

private:
    void fail(const ApiError &error);
    void abortInFlight();
    void single();
    void beginMultipart();
    void resumeOrCreate();
    void fetchUrls();
    void pump();
    void putPart(int number);
    void complete();
    void emitProgress();
    QNetworkReply *putSlice(const QUrl &url, qint64 offset, qint64 length,
                            const QList<QPair<QByteArray, QByteArray>> &headers);
    QString fingerprint() const;

    ApiClient *m_api;
    QNetworkAccessManager *m_nam;
    QString m_clusterId;
    QString m_path;
    QString m_key;
    ResumeStore *m_resume;
    qint64 m_size = 0;
    qint64 m_mtime = 0;
    qint64 m_threshold = 64LL << 20;
    int m_parallel = 4;
    UploadPlan m_plan;
    QString m_uploadId;
    QHash<int, QByteArray> m_done;    // part -> ETag
    QHash<int, QByteArray> m_sentMd5; // part -> MD5 of the bytes this run sent
    QHash<int, QUrl> m_urls;          // presigned, not yet used
    QList<int> m_todo;
    QHash<QNetworkReply *, int> m_inFlight;
    QHash<int, qint64> m_partProgress;
    QHash<int, int> m_attempts;
    qint64 m_sentDone = 0;
    qint64 m_resumedBytes = 0;
    bool m_fetchingUrls = false;
    bool m_finished = false;
};

} // namespace clusterra
