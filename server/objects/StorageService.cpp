#include "server/objects/StorageService.h"

#include "core/base/Log.h"

#include "core/rules/StorageRules.h"
#include "core/util/Time.h"
#include "server/clusters/ClusterService.h"
#include "server/sys/Platform.h"

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

} // namespace

StorageService::StorageService(ObjectBackend &backend, ObjectStore &uploads)
    : m_backend(backend)
    , m_uploads(uploads) {}

void StorageService::withBucket(const ClusterRecord &cluster,
                                std::function<void(const ApiError &)> fail,
                                std::function<void(const QString &)> then) {
    const QString bucket = m_backend.bucketFor(cluster.id);
    if (m_readyBuckets.contains(bucket))
        return then(bucket);
    m_backend.ensureBucket(bucket, cluster.id, [=, this](const QString &error) {
        if (!error.isEmpty())
            return fail(storeError(error));
        m_readyBuckets.insert(bucket);
        then(bucket);
    });
}

namespace {
std::optional<ApiError> refuseExpiry(int secs) {
    if (secs >= 1 && secs <= sigv4::kMaxPresignSeconds)
        return std::nullopt;
    return ApiError::validation(
        QStringLiteral("expires_in"),
        QStringLiteral("must be between 1 and %1 seconds.").arg(sigv4::kMaxPresignSeconds));
}

// The failure path of a `Done<T>`, for helpers that only ever fail through it.
template <typename T> std::function<void(const ApiError &)> failing(const Done<T> &done) {
    return [done](const ApiError &e) {
        done({}, e);
    };
}
} // namespace

void StorageService::list(const Principal &who, const ClusterRecord &cluster,
                          const ListingQuery &query, Done<Listing> done) {
    if (const auto refused = refuseOtherOrg(who, cluster))
        return done({}, *refused);
    const QString &prefix = query.prefix;
    if (prefix.contains(QLatin1String("..")) || prefix.startsWith(QLatin1Char('/')))
        return done({}, ApiError::validation(
                            QStringLiteral("prefix"),
                            QStringLiteral("must be a folder such as data/ without .. or a "
                                           "leading /.")));
    if (query.folders && prefix.isEmpty()) {
        // The four top folders always exist, even empty.
        Listing top;
        top.folders = {QStringLiteral("data/"), QStringLiteral("outputs/"),
                       QStringLiteral("scripts/"), QStringLiteral("shared/")};
        return done(top, {});
    }
    ListingQuery bounded = query;
    bounded.limit = qBound(1, query.limit, 10000);
    withBucket(cluster, failing(done), [=, this](const QString &bucket) {
        auto listing = std::make_shared<Listing>();
        listing->prefix = prefix;
        collect(who, bucket, bounded, bounded.startAfter, listing, done);
    });
}

void StorageService::collect(const Principal &who, const QString &bucket, const ListingQuery &query,
                             QString after, std::shared_ptr<Listing> listing, Done<Listing> done) {
    m_backend.list(
        bucket, query.prefix, after, 500,
        [=, this](const QList<ObjectInfo> &batch, bool more, const QString &error) mutable {
            if (!error.isEmpty())
                return done({}, storeError(error));
            const QString &prefix = query.prefix;
            QStringList &folderList = listing->folders;
            bool full = false;
            for (const ObjectInfo &o : batch) {
                after = o.key;
                if (!rules::mayList(o.key, who.email, who.isAdmin()))
                    continue;
                const qsizetype slash =
                    query.folders ? o.key.indexOf(QLatin1Char('/'), prefix.size()) : -1;
                if (slash >= 0) {
                    const QString folder = o.key.left(slash + 1);
                    // Skip the folder's contents: past its greatest character the first time;
                    // key by key should a store order keys otherwise (JavaScript's UTF-16
                    // order puts U+FF01 above U+10FFFF), so every round moves on.
                    const bool seen = folderList.contains(folder);
                    if (!seen)
                        folderList << folder;
                    after = seen ? o.key : folder + QStringLiteral("\U0010FFFF");
                    more = true;
                    break;
                }
                listing->files.append(o);
                if (int(listing->files.size()) == query.limit) {
                    full = true;
                    break;
                }
            }
            if (more && !full)
                return collect(who, bucket, query, after, listing, done);
            if (!full)
                after.clear();
            // A per-user area's top always offers the caller's own folder, even before it has
            // files.
            for (const QString &area : rules::kUserAreas) {
                const QString own = rules::userPrefix(area, who.email);
                if (query.folders && prefix == area + QLatin1Char('/') &&
                    !folderList.contains(own) &&
                    rules::storageRefusal(own + QStringLiteral("x"), StorageAccess::Write,
                                          who.email, who.isAdmin())
                        .isEmpty())
                    folderList.append(own);
            }
            std::sort(folderList.begin(), folderList.end());
            listing->nextStartAfter = after;
            done(*listing, {});
        });
}

void StorageService::presign(const Principal &who, const ClusterRecord &cluster,
                             const PresignRequest &request, Done<PresignedLink> done) {
    if (const auto refused = refuseOtherOrg(who, cluster))
        return done({}, *refused);
    const QString key = request.key;
    const QString method = request.method.toUpper();
    if (method != QLatin1String("GET") && method != QLatin1String("PUT"))
        return done({}, ApiError::validation(QStringLiteral("method"),
                                             QStringLiteral("must be GET or PUT.")));
    if (const auto bad = refuseExpiry(request.expiresIn))
        return done({}, *bad);
    const int expires = request.expiresIn;
    const bool put = method == QLatin1String("PUT");
    const QString why = rules::storageRefusal(key, put ? StorageAccess::Write : StorageAccess::Read,
                                              who.email, who.isAdmin());
    if (!why.isEmpty())
        return done({}, refused(why));
    sigv4::Pairs signedHeaders;
    if (put && !request.contentType.isEmpty())
        signedHeaders.append({"content-type", request.contentType.toUtf8()});
    withBucket(cluster, failing(done), [=, this](const QString &bucket) {
        auto mint = [=, this] {
            done({method,
                  m_backend.presign(method.toLatin1(), bucket, key, {}, signedHeaders, expires)},
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
                            Done<QString> done) {
    if (const auto refused = refuseOtherOrg(who, cluster))
        return done({}, *refused);
    const QString why = rules::storageRefusal(key, StorageAccess::Write, who.email, who.isAdmin());
    if (!why.isEmpty())
        return done({}, refused(why));
    withBucket(cluster, failing(done), [=, this](const QString &bucket) {
        m_backend.stat(bucket, key,
                       [=, this](const std::optional<ObjectInfo> &o, const QString &statError) {
                           if (!statError.isEmpty())
                               return done({}, storeError(statError));
                           if (!o)
                               return done({}, noFile(key));
                           m_backend.remove(bucket, key, [=](const QString &error) {
                               if (!error.isEmpty())
                                   return done({}, storeError(error));
                               done(key, {});
                           });
                       });
    });
}

void StorageService::createUpload(const Principal &who, const ClusterRecord &cluster,
                                  const QString &key, const QString &requestedType,
                                  Done<UploadStarted> done) {
    if (const auto refused = refuseOtherOrg(who, cluster))
        return done({}, *refused);
    const QString why = rules::storageRefusal(key, StorageAccess::Write, who.email, who.isAdmin());
    if (!why.isEmpty())
        return done({}, refused(why));
    const QString contentType =
        requestedType.isEmpty() ? QStringLiteral("application/octet-stream") : requestedType;
    withBucket(cluster, failing(done), [=, this](const QString &bucket) {
        m_backend.createUpload(
            bucket, key, contentType, [=, this](const QString &id, const QString &error) {
                if (!error.isEmpty())
                    return done({}, storeError(error));
                m_uploads.recordUpload({id, bucket, key, contentType, who.userId});
                done({id, key, m_backend.limits()}, {});
            });
    });
}

void StorageService::withOwnUpload(const Principal &who, const ClusterRecord &cluster,
                                   const QString &uploadId,
                                   std::function<void(const ApiError &)> fail,
                                   std::function<void(const QString &, const UploadInfo &)> then) {
    withBucket(cluster, fail, [=, this](const QString &bucket) {
        const auto u = m_uploads.upload(uploadId);
        // Someone else's upload is as unknown as a missing one: 404, not 403.
        if (!u || u->bucket != bucket || u->ownerId != who.userId)
            return fail(
                ApiError::make(ErrorType::NotFound, QStringLiteral("No upload %1.").arg(uploadId)));
        then(bucket, *u);
    });
}

void StorageService::listParts(const Principal &who, const ClusterRecord &cluster,
                               const QString &uploadId, Done<UploadParts> done) {
    if (const auto refused = refuseOtherOrg(who, cluster))
        return done({}, *refused);
    withOwnUpload(who, cluster, uploadId, failing(done),
                  [=, this](const QString &bucket, const UploadInfo &u) {
                      m_backend.listParts(
                          bucket, u.key, uploadId,
                          [=](const QList<PartInfo> &list, const QString &listError) {
                              if (!listError.isEmpty())
                                  return done({}, storeError(listError));
                              done({u.id, u.key, list}, {});
                          });
                  });
}

void StorageService::presignParts(const Principal &who, const ClusterRecord &cluster,
                                  const QString &uploadId, const QList<int> &numbers, int expiresIn,
                                  Done<PartLinks> done) {
    if (const auto refused = refuseOtherOrg(who, cluster))
        return done({}, *refused);
    withOwnUpload(
        who, cluster, uploadId, failing(done),
        [=, this](const QString &bucket, const UploadInfo &u) {
            if (const auto bad = refuseExpiry(expiresIn))
                return done({}, *bad);
            if (numbers.isEmpty() || numbers.size() > 1000)
                return done({}, ApiError::validation(QStringLiteral("part_numbers"),
                                                     QStringLiteral("must list 1 to 1000 part "
                                                                    "numbers.")));
            const int maxParts = m_backend.limits().maxParts;
            PartLinks links;
            for (qsizetype i = 0; i < numbers.size(); ++i) {
                const int n = numbers[i];
                if (n < 1 || n > maxParts)
                    return done(
                        {}, ApiError::validation(QStringLiteral("part_numbers[%1]").arg(i),
                                                 QStringLiteral("must be 1 to %1.").arg(maxParts)));
                const auto p = m_backend.presign(
                    "PUT", bucket, u.key,
                    {{"partNumber", QByteArray::number(n)}, {"uploadId", u.id.toUtf8()}}, {},
                    expiresIn);
                links.expiresAtSecs = p.expiresAtSecs;
                links.parts.append({n, p.url});
            }
            done(links, {});
        });
}

void StorageService::complete(const Principal &who, const ClusterRecord &cluster,
                              const QString &uploadId, const QList<PartInfo> &wanted,
                              Done<ObjectInfo> done) {
    if (const auto refused = refuseOtherOrg(who, cluster))
        return done({}, *refused);
    for (qsizetype i = 0; i < wanted.size(); ++i) {
        if (wanted[i].number < 1 || wanted[i].etag.isEmpty())
            return done({}, ApiError::validation(QStringLiteral("parts[%1]").arg(i),
                                                 QStringLiteral("needs part_number and etag.")));
    }
    withOwnUpload(who, cluster, uploadId, failing(done),
                  [=, this](const QString &bucket, const UploadInfo &u) {
                      m_backend.complete(
                          bucket, u.key, uploadId, wanted,
                          [=, this](const std::optional<ObjectInfo> &object, const QString &code,
                                    const QString &text) {
                              if (!object)
                                  return done({}, ApiError::validation(
                                                      QStringLiteral("parts"),
                                                      QStringLiteral("%1: %2").arg(code, text)));
                              m_uploads.abort(uploadId); // done: forget who owned it
                              done(*object, {});
                          });
                  });
}

void StorageService::abort(const Principal &who, const ClusterRecord &cluster,
                           const QString &uploadId, Done<QString> done) {
    if (const auto refused = refuseOtherOrg(who, cluster))
        return done({}, *refused);
    withOwnUpload(who, cluster, uploadId, failing(done),
                  [=, this](const QString &bucket, const UploadInfo &u) {
                      m_backend.abort(bucket, u.key, uploadId,
                                      [=, this](const QString &abortError) {
                                          if (!abortError.isEmpty())
                                              return done({}, storeError(abortError));
                                          m_uploads.abort(uploadId);
                                          done(uploadId, {});
                                      });
                  });
}

void StorageService::importFile(const ClusterRecord &cluster, const QString &key,
                                std::shared_ptr<QFile> source, qint64 from, qint64 length,
                                const QString &contentType) {
    withBucket(
        cluster,
        [key](const ApiError &e) {
            qCWarning(lcObjects, "cannot publish %s: %s", qPrintable(key), qPrintable(e.message));
        },
        [=, this](const QString &bucket) {
            // Through the open descriptor's own path the backend reads the very file that was
            // checked, whatever happens to its path meanwhile; `source` stays open until done.
            const QString path = sys::pathOfOpenFile(source->handle());
            m_backend.importFile(bucket, key, path, from, length, contentType,
                                 [key, source](const QString &e) {
                                     if (!e.isEmpty())
                                         qCWarning(lcObjects, "cannot publish %s: %s",
                                                   qPrintable(key), qPrintable(e));
                                 });
        });
}

void StorageService::dropBucket(const QString &clusterId) {
    const QString bucket = m_backend.bucketFor(clusterId);
    m_readyBuckets.remove(bucket);
    m_backend.dropBucket(bucket);
}

} // namespace clusterra::server
