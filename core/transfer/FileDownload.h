#pragma once

#include "core/crypto/Crypto.h"
#include "core/transfer/Transfer.h"

#include <QFile>
#include <QPointer>

class QNetworkAccessManager;
class QNetworkReply;

namespace clusterra {

class ApiClient;

// Downloads one object of a cluster's bucket to a local file over a presigned GET. Bytes go
// straight to "<target>.part" as they arrive (a bounded read buffer, never the whole file in
// memory); an interrupted download resumes with a Range request; the size, and the checksum
// when the ETag is a plain MD5, are checked before the file is renamed into place.
class FileDownload : public Transfer {
    Q_OBJECT
public:
    FileDownload(ApiClient *api, QString clusterId, QString key, QString target,
                 QObject *parent = nullptr);
    ~FileDownload() override;

    void start() override;
    void cancel() override;
    QString partialPath() const { return m_target + QStringLiteral(".part"); }

private:
    void get(const QUrl &url);
    void onHeaders();
    void onData();
    void onFinished();
    void fail(const ApiError &error);

    ApiClient *m_api;
    QNetworkAccessManager *m_nam;
    QString m_clusterId;
    QString m_key;
    QString m_target;
    QFile m_file;
    QPointer<QNetworkReply> m_reply;
    qint64 m_offset = 0;
    qint64 m_total = -1;
    QByteArray m_etag;
    crypto::Md5 m_md5; // of the bytes in the partial file, as they are written
    bool m_finished = false;
};

} // namespace clusterra
