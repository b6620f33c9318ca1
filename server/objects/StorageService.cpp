#include "objects/StorageService.h"

#include "clusters/ClusterService.h"
#include "rules/StorageRules.h"
#include "util/Json.h"
#include "util/Time.h"

namespace clusterra::server {

using rules::StorageAccess;

namespace {
ApiError refused(const QString &why) {
    return ApiError::make(ErrorType::Forbidden, why, QStringLiteral("key"));
}

ApiError storeError(const QString &what) {
    return ApiError::make(ErrorType::ServiceUnavailable,
                          QStringLiteral("The object store did not answer: %1").arg(what));
}

ApiError noFile(const QString &key) {
    return ApiError::make(ErrorType::NotFound, QStringLiteral("No file %1.").arg(key),
                          QStringLiteral("key"));
}

nlohmann::json fileJson(const ObjectInfo &o) {
    return {{"key", toStd(o.key)},
            {"size", o.size},
            {"etag", o.etag.toStdString()},
            {"content_type", toStd(o.contentType)},
            {"modified", toStd(toRfc3339(o.modifiedMs))}};
}

nlohmann::json presignedJson(const sigv4::Presigned &p, const QString &method) {
    nlohmann::json headers = nlohmann::json::object();
    for (const auto &[k, v] : p.headers)
        headers[k.toStdString()] = v.toStdString();
    return {{"url", p.url.toString(QUrl::FullyEncoded).toStdString()},
            {"method", toStd(method)},
            {"headers", std::move(headers)},
            {"expires_at", toStd(toRfc3339(p.expiresAtSecs * 1000))}};
}
} // namespace

StorageService::StorageService(ObjectBackend &backend, ObjectStore &uploads)
    : m_backend(backend)
    , m_uploads(uploads) {}

void StorageService::withBucket(const ClusterRecord &cluster, const Reply &done,
                                std::function<void(const QString &)> then) {
    const QString bucket = m_backend.bucketFor(cluster.id);
    if (m_readyBuckets.contains(bucket))
        return then(bucket);
    m_backend.ensureBucket(bucket, cluster.id, [=, this](const QString &error) {
        if (!error.isEmpty())
            return done({}, storeError(error));
        m_readyBuckets.insert(bucket);
        then(bucket);
    });
}

int StorageService::expiresIn(const nlohmann::json &body, ApiError *error) const {
    const qint64 secs = intMember(body, "expires_in").value_or(3600);
    if (secs < 1 || secs > sigv4::kMaxPresignSeconds) {
        *error = ApiError::validation(
            QStringLiteral("expires_in"),
            QStringLiteral("must be between 1 and %1 seconds.").arg(sigv4::kMaxPresignSeconds));
        return 0;
    }
    return int(secs);
}

void StorageService::list(const Principal &who, const ClusterRecord &cluster,
                          const http::Request &req, Reply done) {
    if (const auto refused = refuseOtherOrg(who, cluster))
        return done({}, *refused);
    const QString prefix = req.query.value(QStringLiteral("prefix"));
    const bool folders = req.query.value(QStringLiteral("delimiter")) == QLatin1String("/");
    const QString after = req.query.value(QStringLiteral("start_after"));
    const int limit =
        qBound(1, req.query.value(QStringLiteral("limit"), QStringLiteral("1000")).toInt(), 10000);
    if (prefix.contains(QLatin1String("..")) || prefix.startsWith(QLatin1Char('/')))
        return done({}, ApiError::validation(
                            QStringLiteral("prefix"),
                            QStringLiteral("must be a folder such as data/ without .. or a "
                                           "leading /.")));
    if (folders && prefix.isEmpty()) {
        // The four top folders always exist, even empty.
        return done({{"prefix", ""},
                     {"files", nlohmann::json::array()},
                     {"folders", {"data/", "outputs/", "scripts/", "shared/"}},
                     {"next_start_after", ""}},
                    {});
    }
    withBucket(cluster, done, [=, this](const QString &bucket) {
        collect(who, bucket, prefix, folders, after, limit,
                std::make_shared<nlohmann::json>(nlohmann::json::array()),
                std::make_shared<QStringList>(), done);
    });
}

void StorageService::collect(const Principal &who, const QString &bucket, const QString &prefix,
                             bool folders, QString after, int limit,
                             std::shared_ptr<nlohmann::json> files,
                             std::shared_ptr<QStringList> folderList, Reply done) {
    m_backend.list(
        bucket, prefix, after, 500,
        [=, this](const QList<ObjectInfo> &batch, bool more, const QString &error) mutable {
            if (!error.isEmpty())
                return done({}, storeError(error));
            bool full = false;
            for (const ObjectInfo &o : batch) {
                after = o.key;
                if (!rules::mayList(o.key, who.email, who.isAdmin()))
                    continue;
                const qsizetype slash =
                    folders ? o.key.indexOf(QLatin1Char('/'), prefix.size()) : -1;
                if (slash >= 0) {
                    const QString folder = o.key.left(slash + 1);
                    // Skip the folder's contents: past its greatest character the first time;
                    // key by key should a store order keys otherwise (JavaScript's UTF-16
                    // order puts U+FF01 above U+10FFFF), so every round moves on.
                    const bool seen = folderList->contains(folder);
                    if (!seen)
                        *folderList << folder;
                    after = seen ? o.key : folder + QStringLiteral("\U0010FFFF");
                    more = true;
                    break;
                }
                files->push_back(fileJson(o));
                if (int(files->size()) == limit) {
                    full = true;
                    break;
                }
            }
            if (more && !full)
                return collect(who, bucket, prefix, folders, after, limit, files, folderList, done);
            if (!full)
                after.clear();
            // A per-user area's top always offers the caller's own folder, even before it has
            // files.
            for (const QString &area : rules::kUserAreas) {
                const QString own = rules::userPrefix(area, who.email);
                if (folders && prefix == area + QLatin1Char('/') && !folderList->contains(own) &&
                    rules::storageRefusal(own + QStringLiteral("x"), StorageAccess::Write,
                                          who.email, who.isAdmin())
                        .isEmpty())
                    folderList->append(own);
            }
            std::sort(folderList->begin(), folderList->end());
            done({{"prefix", toStd(prefix)},
                  {"files", std::move(*files)},
                  {"folders", toJsonArray(*folderList)},
                  {"next_start_after", toStd(after)}},
                 {});
        });
}

void StorageService::presign(const Principal &who, const ClusterRecord &cluster,
                             const nlohmann::json &body, Reply done) {
    if (const auto refused = refuseOtherOrg(who, cluster))
        return done({}, *refused);
    const QString key = stringOr(body, "key");
    const QString method = stringOr(body, "method", QStringLiteral("GET")).toUpper();
    if (method != QLatin1String("GET") && method != QLatin1String("PUT"))
        return done({}, ApiError::validation(QStringLiteral("method"),
                                             QStringLiteral("must be GET or PUT.")));
    ApiError error;
    const int expires = expiresIn(body, &error);
    if (error.isError())
        return done({}, error);
    const bool put = method == QLatin1String("PUT");
    const QString why = rules::storageRefusal(key, put ? StorageAccess::Write : StorageAccess::Read,
                                              who.email, who.isAdmin());
    if (!why.isEmpty())
        return done({}, refused(why));
    sigv4::Pairs signedHeaders;
    const QString contentType = stringOr(body, "content_type");
    if (put && !contentType.isEmpty())
        signedHeaders.append({"content-type", contentType.toUtf8()});
    withBucket(cluster, done, [=, this](const QString &bucket) {
        auto mint = [=, this] {
            done(presignedJson(
                     m_backend.presign(method.toLatin1(), bucket, key, {}, signedHeaders, expires),
                     method),
                 {});
        };
        if (put)
            return mint();
        // A link to nothing would only fail later, in someone's browser: say so now.
        m_backend.stat(bucket, key,
                       [=](const std::optional<ObjectInfo> &o, const QString &statError) {
                           if (!statError.isEmpty())
                               return done({}, storeError(statError));
                           if (!o)
                               return done({}, noFile(key));
                           mint();
                       });
    });
}

void StorageService::remove(const Principal &who, const ClusterRecord &cluster, const QString &key,
                            Reply done) {
    if (const auto refused = refuseOtherOrg(who, cluster))
        return done({}, *refused);
    const QString why = rules::storageRefusal(key, StorageAccess::Write, who.email, who.isAdmin());
    if (!why.isEmpty())
        return done({}, refused(why));
    withBucket(cluster, done, [=, this](const QString &bucket) {
        m_backend.stat(bucket, key,
                       [=, this](const std::optional<ObjectInfo> &o, const QString &statError) {
                           if (!statError.isEmpty())
                               return done({}, storeError(statError));
                           if (!o)
                               return done({}, noFile(key));
                           m_backend.remove(bucket, key, [=](const QString &error) {
                               if (!error.isEmpty())
                                   return done({}, storeError(error));
                               done({{"deleted", true}, {"key", toStd(key)}}, {});
                           });
                       });
    });
}

void StorageService::createUpload(const Principal &who, const ClusterRecord &cluster,
                                  const nlohmann::json &body, Reply done) {
    if (const auto refused = refuseOtherOrg(who, cluster))
        return done({}, *refused);
    const QString key = stringOr(body, "key");
    const QString why = rules::storageRefusal(key, StorageAccess::Write, who.email, who.isAdmin());
    if (!why.isEmpty())
        return done({}, refused(why));
    QString contentType = stringOr(body, "content_type");
    if (contentType.isEmpty())
        contentType = QStringLiteral("application/octet-stream");
    withBucket(cluster, done, [=, this](const QString &bucket) {
        m_backend.createUpload(
            bucket, key, contentType, [=, this](const QString &id, const QString &error) {
                if (!error.isEmpty())
                    return done({}, storeError(error));
                m_uploads.recordUpload({id, bucket, key, contentType, who.userId});
                const ObjectLimits limits = m_backend.limits();
                done({{"upload_id", toStd(id)},
                      {"key", toStd(key)},
                      {"min_part_size", limits.minPartBytes},
                      {"max_part_size", limits.maxPartBytes},
                      {"max_parts", limits.maxParts}},
                     {});
            });
    });
}

void StorageService::withOwnUpload(const Principal &who, const ClusterRecord &cluster,
                                   const QString &uploadId, const Reply &done,
                                   std::function<void(const QString &, const UploadInfo &)> then) {
    withBucket(cluster, done, [=, this](const QString &bucket) {
        const auto u = m_uploads.upload(uploadId);
        // Someone else's upload is as unknown as a missing one: 404, not 403.
        if (!u || u->bucket != bucket || u->ownerId != who.userId)
            return done({}, ApiError::make(ErrorType::NotFound,
                                           QStringLiteral("No upload %1.").arg(uploadId)));
        then(bucket, *u);
    });
}

void StorageService::listParts(const Principal &who, const ClusterRecord &cluster,
                               const QString &uploadId, Reply done) {
    if (const auto refused = refuseOtherOrg(who, cluster))
        return done({}, *refused);
    withOwnUpload(
        who, cluster, uploadId, done, [=, this](const QString &bucket, const UploadInfo &u) {
            m_backend.listParts(bucket, u.key, uploadId,
                                [=](const QList<PartInfo> &list, const QString &listError) {
                                    if (!listError.isEmpty())
                                        return done({}, storeError(listError));
                                    auto parts = nlohmann::json::array();
                                    for (const PartInfo &p : list)
                                        parts.push_back({{"part_number", p.number},
                                                         {"size", p.size},
                                                         {"etag", p.etag.toStdString()}});
                                    done({{"upload_id", toStd(u.id)},
                                          {"key", toStd(u.key)},
                                          {"parts", std::move(parts)}},
                                         {});
                                });
        });
}

void StorageService::presignParts(const Principal &who, const ClusterRecord &cluster,
                                  const QString &uploadId, const nlohmann::json &body, Reply done) {
    if (const auto refused = refuseOtherOrg(who, cluster))
        return done({}, *refused);
    withOwnUpload(
        who, cluster, uploadId, done, [=, this](const QString &bucket, const UploadInfo &u) {
            ApiError error;
            const int expires = expiresIn(body, &error);
            if (error.isError())
                return done({}, error);
            const auto numbers = arrayMember(body, "part_numbers");
            if (!numbers.is_array() || numbers.empty() || numbers.size() > 1000)
                return done({}, ApiError::validation(QStringLiteral("part_numbers"),
                                                     QStringLiteral("must list 1 to 1000 part "
                                                                    "numbers.")));
            const int maxParts = m_backend.limits().maxParts;
            auto parts = nlohmann::json::array();
            qint64 expiresAt = 0;
            for (size_t i = 0; i < numbers.size(); ++i) {
                const auto &n = numbers[i];
                if (!n.is_number_integer() || n.get<int>() < 1 || n.get<int>() > maxParts)
                    return done(
                        {}, ApiError::validation(QStringLiteral("part_numbers[%1]").arg(i),
                                                 QStringLiteral("must be 1 to %1.").arg(maxParts)));
                const auto p = m_backend.presign(
                    "PUT", bucket, u.key,
                    {{"partNumber", QByteArray::number(n.get<int>())}, {"uploadId", u.id.toUtf8()}},
                    {}, expires);
                expiresAt = p.expiresAtSecs;
                parts.push_back({{"part_number", n.get<int>()},
                                 {"url", p.url.toString(QUrl::FullyEncoded).toStdString()}});
            }
            done({{"parts", std::move(parts)}, {"expires_at", toStd(toRfc3339(expiresAt * 1000))}},
                 {});
        });
}

void StorageService::complete(const Principal &who, const ClusterRecord &cluster,
                              const QString &uploadId, const nlohmann::json &body, Reply done) {
    if (const auto refused = refuseOtherOrg(who, cluster))
        return done({}, *refused);
    QList<PartInfo> wanted;
    const auto parts = arrayMember(body, "parts");
    for (size_t i = 0; i < parts.size(); ++i) {
        const auto number = intMember(parts[i], "part_number");
        const QString etag = stringOr(parts[i], "etag");
        if (!number || etag.isEmpty())
            return done({}, ApiError::validation(QStringLiteral("parts[%1]").arg(i),
                                                 QStringLiteral("needs part_number and etag.")));
        wanted.append({int(*number), 0, etag.toUtf8()});
    }
    withOwnUpload(
        who, cluster, uploadId, done, [=, this](const QString &bucket, const UploadInfo &u) {
            m_backend.complete(
                bucket, u.key, uploadId, wanted,
                [=, this](const std::optional<ObjectInfo> &object, const QString &code,
                          const QString &text) {
                    if (!object)
                        return done({},
                                    ApiError::validation(QStringLiteral("parts"),
                                                         QStringLiteral("%1: %2").arg(code, text)));
                    m_uploads.abort(uploadId); // done: forget who owned it
                    done({{"key", toStd(object->key)},
                          {"size", object->size},
                          {"etag", object->etag.toStdString()}},
                         {});
                });
        });
}

void StorageService::abort(const Principal &who, const ClusterRecord &cluster,
                           const QString &uploadId, Reply done) {
    if (const auto refused = refuseOtherOrg(who, cluster))
        return done({}, *refused);
    withOwnUpload(
        who, cluster, uploadId, done, [=, this](const QString &bucket, const UploadInfo &u) {
            m_backend.abort(bucket, u.key, uploadId, [=, this](const QString &abortError) {
                if (!abortError.isEmpty())
                    return done({}, storeError(abortError));
                m_uploads.abort(uploadId);
                done({{"aborted", true}, {"upload_id", toStd(uploadId)}}, {});
            });
        });
}

void StorageService::importFile(const ClusterRecord &cluster, const QString &key,
                                std::shared_ptr<QFile> source, qint64 from,
                                const QString &contentType) {
    withBucket(
        cluster, [](const nlohmann::json &, const ApiError &) {},
        [=, this](const QString &bucket) {
            // Through the open descriptor's /proc link the backend reads the very file that was
            // checked, whatever happens to its path meanwhile; `source` stays open until done.
            const QString path = QStringLiteral("/proc/self/fd/%1").arg(source->handle());
            m_backend.importFile(
                bucket, key, path, from, contentType, [key, source](const QString &e) {
                    if (!e.isEmpty())
                        qWarning("cannot publish %s: %s", qPrintable(key), qPrintable(e));
                });
        });
}

void StorageService::dropBucket(const QString &clusterId) {
    const QString bucket = m_backend.bucketFor(clusterId);
    m_readyBuckets.remove(bucket);
    m_backend.dropBucket(bucket);
}

} // namespace clusterra::server
