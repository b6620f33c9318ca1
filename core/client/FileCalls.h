#pragma once

#include "core/api/Types.h"
#include "core/base/ApiError.h"

#include <QObject>
#include <functional>

namespace clusterra {

class ApiClient;

// A cluster's bucket: listings, deletes and the presigned URLs the bytes travel by.
class FileCalls {
public:
    explicit FileCalls(ApiClient &api)
        : m_api(api) {}

    // One page of a listing; `folders` groups keys at the next "/" below prefix.
    void list(const QString &clusterId, const QString &prefix, bool folders,
              const QString &startAfter, QObject *ctx,
              std::function<void(const FileListing &, const ApiError &)> done);
    // Every file under prefix (all pages), for folder downloads, deletes and overwrite checks.
    void listAll(const QString &clusterId, const QString &prefix, QObject *ctx,
                 std::function<void(const QList<FileEntry> &, const ApiError &)> done);
    void remove(const QString &clusterId, const QString &key, QObject *ctx,
                std::function<void(const ApiError &)> done);
    void presign(const QString &clusterId, const QString &key, const QByteArray &method,
                 const QString &contentType, QObject *ctx,
                 std::function<void(const PresignedUrl &, const ApiError &)> done);

private:
    ApiClient &m_api;
};

} // namespace clusterra
