#include "objects/StorageService.h"

#include "rules/StorageRules.h"
#include "util/Json.h"
#include "util/Time.h"

#include <QSet>

namespace clusterra::server {

using rules::StorageAccess;

namespace {
ApiError refused(const QString &why) {
    return ApiError::make(ErrorType::Forbidden, why, QStringLiteral("key"));
}

nlohmann::json fileJson(const ObjectInfo &o) {
    return {{"key", toStd(o.key)},
            {"size", o.size},
            {"etag", o.etag.toStdString()},
            {"content_type", toStd(o.contentType)},
            {"modified", toStd(toRfc3339(o.modifiedMs))}};
}
} // namespace

StorageService::StorageService(ObjectStore &store, S3Endpoint &endpoint,
                               std::function<QUrl()> publicUrl)
    : m_store(store)
    , m_endpoint(endpoint)
    , m_publicUrl(std::move(publicUrl)) {}

QString StorageService::bucketFor(const ClusterRecord &cluster) {
    const QString bucket = QStringLiteral("clusterra-") + cluster.id;
    m_store.ensureBucket(bucket, cluster.id);
    return bucket;
}

bool StorageService::importFile(const ClusterRecord &cluster, const QString &key,
                                const QString &path, const QString &contentType) {
    return m_store.importFile(bucketFor(cluster), key, path, contentType).has_value();
}

void StorageService::dropBucket(const QString &clusterId) {
    m_store.dropBucket(QStringLiteral("clusterra-") + clusterId);
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

nlohmann::json StorageService::list(const http::Principal &who, const ClusterRecord &cluster,
                                    const http::Request &req, ApiError *error) {
    const QString prefix = req.query.value(QStringLiteral("prefix"));
    const bool folders = req.query.value(QStringLiteral("delimiter")) == QLatin1String("/");
    QString after = req.query.value(QStringLiteral("start_after"));
    const int limit =
        qBound(1, req.query.value(QStringLiteral("limit"), QStringLiteral("1000")).toInt(), 10000);
    if (prefix.contains(QLatin1String("..")) || prefix.startsWith(QLatin1Char('/'))) {
        *error = ApiError::validation(
            QStringLiteral("prefix"),
            QStringLiteral("must be a folder such as data/ without .. or a leading /."));
        return {};
    }
    const QString bucket = bucketFor(cluster);
    auto files = nlohmann::json::array();
    QStringList folderList;
    if (folders && prefix.isEmpty()) {
        // The four top folders always exist, even empty.
        folderList = {QStringLiteral("data/"), QStringLiteral("outputs/"),
                      QStringLiteral("scripts/"), QStringLiteral("shared/")};
    } else {
        int seen = 0;
        bool more = true;
        while (more && seen < limit) {
            const QList<ObjectInfo> batch = m_store.list(bucket, prefix, after, 500);
            more = batch.size() == 500;
            for (const ObjectInfo &o : batch) {
                after = o.key;
                if (!rules::mayList(o.key, who.email, who.isAdmin()))
                    continue;
                const qsizetype slash =
                    folders ? o.key.indexOf(QLatin1Char('/'), prefix.size()) : -1;
                if (slash >= 0) {
                    const QString folder = o.key.left(slash + 1);
                    if (!folderList.contains(folder))
                        folderList << folder;
                    after = folder + QChar(0xFFFF); // skip the folder's contents
                    more = true;
                    break;
                }
                files.push_back(fileJson(o));
                if (++seen == limit)
                    break;
            }
        }
        if (seen < limit)
            after.clear();
        // A per-user area's top always offers the caller's own folder, even before it has files.
        for (const QString &area : rules::kUserAreas) {
            const QString own = rules::userPrefix(area, who.email);
            if (folders && prefix == area + QLatin1Char('/') && !folderList.contains(own) &&
                rules::storageRefusal(own + QStringLiteral("x"), StorageAccess::Write, who.email,
                                      who.isAdmin())
                    .isEmpty())
                folderList.prepend(own);
        }
        std::sort(folderList.begin(), folderList.end());
    }
    return {{"prefix", toStd(prefix)},
            {"files", std::move(files)},
            {"folders", toJsonArray(folderList)},
            {"next_start_after", toStd(after)}};
}

nlohmann::json StorageService::presign(const http::Principal &who, const ClusterRecord &cluster,
                                       const nlohmann::json &body, ApiError *error) {
    const QString key = stringOr(body, "key");
    const QString method = stringOr(body, "method", QStringLiteral("GET")).toUpper();
    if (method != QLatin1String("GET") && method != QLatin1String("PUT")) {
        *error =
            ApiError::validation(QStringLiteral("method"), QStringLiteral("must be GET or PUT."));
        return {};
    }
    const int expires = expiresIn(body, error);
    if (error->isError())
        return {};
    const QString why = rules::storageRefusal(
        key, method == QLatin1String("PUT") ? StorageAccess::Write : StorageAccess::Read, who.email,
        who.isAdmin());
    if (!why.isEmpty()) {
        *error = refused(why);
        return {};
    }
    const QString bucket = bucketFor(cluster);
    if (method == QLatin1String("GET") && !m_store.stat(bucket, key)) {
        *error = ApiError::make(ErrorType::NotFound, QStringLiteral("No file %1.").arg(key),
                                QStringLiteral("key"));
        return {};
    }
    sigv4::Pairs signedHeaders;
    const QString contentType = stringOr(body, "content_type");
    if (method == QLatin1String("PUT") && !contentType.isEmpty())
        signedHeaders.append({"content-type", contentType.toUtf8()});
    const auto p = m_endpoint.presign(m_publicUrl(), method.toLatin1(), bucket, key, {},
                                      signedHeaders, expires);
    nlohmann::json headers = nlohmann::json::object();
    for (const auto &[k, v] : p.headers)
        headers[k.toStdString()] = v.toStdString();
    return {{"url", p.url.toString(QUrl::FullyEncoded).toStdString()},
            {"method", toStd(method)},
            {"headers", std::move(headers)},
            {"expires_at", toStd(toRfc3339(p.expiresAtSecs * 1000))}};
}

nlohmann::json StorageService::remove(const http::Principal &who, const ClusterRecord &cluster,
                                      const QString &key, ApiError *error) {
    const QString why = rules::storageRefusal(key, StorageAccess::Write, who.email, who.isAdmin());
    if (!why.isEmpty()) {
        *error = refused(why);
        return {};
    }
    if (!m_store.remove(bucketFor(cluster), key)) {
        *error = ApiError::make(ErrorType::NotFound, QStringLiteral("No file %1.").arg(key),
                                QStringLiteral("key"));
        return {};
    }
    return {{"deleted", true}, {"key", toStd(key)}};
}

nlohmann::json StorageService::createUpload(const http::Principal &who,
                                            const ClusterRecord &cluster,
                                            const nlohmann::json &body, ApiError *error) {
    const QString key = stringOr(body, "key");
    const QString why = rules::storageRefusal(key, StorageAccess::Write, who.email, who.isAdmin());
    if (!why.isEmpty()) {
        *error = refused(why);
        return {};
    }
    const UploadInfo u =
        m_store.createUpload(bucketFor(cluster), key, stringOr(body, "content_type"), who.userId);
    return {{"upload_id", toStd(u.id)},
            {"key", toStd(u.key)},
            {"min_part_size", m_store.limits().minPartBytes},
            {"max_part_size", m_store.limits().maxPartBytes},
            {"max_parts", m_store.limits().maxParts}};
}

std::optional<UploadInfo> StorageService::ownUpload(const http::Principal &who,
                                                    const ClusterRecord &cluster,
                                                    const QString &uploadId, ApiError *error) {
    const auto u = m_store.upload(uploadId);
    if (!u || u->bucket != bucketFor(cluster) || (u->ownerId != who.userId && !who.isAdmin())) {
        *error = ApiError::make(ErrorType::NotFound, QStringLiteral("No upload %1.").arg(uploadId));
        return std::nullopt;
    }
    return u;
}

nlohmann::json StorageService::listParts(const http::Principal &who, const ClusterRecord &cluster,
                                         const QString &uploadId, ApiError *error) {
    const auto u = ownUpload(who, cluster, uploadId, error);
    if (!u)
        return {};
    auto parts = nlohmann::json::array();
    for (const PartInfo &p : m_store.parts(uploadId))
        parts.push_back(
            {{"part_number", p.number}, {"size", p.size}, {"etag", p.etag.toStdString()}});
    return {{"upload_id", toStd(u->id)}, {"key", toStd(u->key)}, {"parts", std::move(parts)}};
}

nlohmann::json StorageService::presignParts(const http::Principal &who,
                                            const ClusterRecord &cluster, const QString &uploadId,
                                            const nlohmann::json &body, ApiError *error) {
    const auto u = ownUpload(who, cluster, uploadId, error);
    if (!u)
        return {};
    const int expires = expiresIn(body, error);
    if (error->isError())
        return {};
    const auto numbers = body.value("part_numbers", nlohmann::json::array());
    if (!numbers.is_array() || numbers.empty() || numbers.size() > 1000) {
        *error = ApiError::validation(QStringLiteral("part_numbers"),
                                      QStringLiteral("must list 1 to 1000 part numbers."));
        return {};
    }
    auto parts = nlohmann::json::array();
    qint64 expiresAt = 0;
    for (size_t i = 0; i < numbers.size(); ++i) {
        const auto &n = numbers[i];
        if (!n.is_number_integer() || n.get<int>() < 1 ||
            n.get<int>() > m_store.limits().maxParts) {
            *error = ApiError::validation(
                QStringLiteral("part_numbers[%1]").arg(i),
                QStringLiteral("must be 1 to %1.").arg(m_store.limits().maxParts));
            return {};
        }
        const QByteArray number = QByteArray::number(n.get<int>());
        const auto p =
            m_endpoint.presign(m_publicUrl(), "PUT", u->bucket, u->key,
                               {{"partNumber", number}, {"uploadId", u->id.toUtf8()}}, {}, expires);
        expiresAt = p.expiresAtSecs;
        parts.push_back({{"part_number", n.get<int>()},
                         {"url", p.url.toString(QUrl::FullyEncoded).toStdString()}});
    }
    return {{"parts", std::move(parts)}, {"expires_at", toStd(toRfc3339(expiresAt * 1000))}};
}

nlohmann::json StorageService::complete(const http::Principal &who, const ClusterRecord &cluster,
                                        const QString &uploadId, const nlohmann::json &body,
                                        ApiError *error) {
    const auto u = ownUpload(who, cluster, uploadId, error);
    if (!u)
        return {};
    QList<PartInfo> wanted;
    const auto parts = body.value("parts", nlohmann::json::array());
    for (size_t i = 0; i < parts.size(); ++i) {
        const auto number = intMember(parts[i], "part_number");
        const QString etag = stringOr(parts[i], "etag");
        if (!number || etag.isEmpty()) {
            *error = ApiError::validation(QStringLiteral("parts[%1]").arg(i),
                                          QStringLiteral("needs part_number and etag."));
            return {};
        }
        wanted.append({int(*number), 0, etag.toUtf8()});
    }
    QString code, text;
    const auto object = m_store.complete(*u, wanted, &code, &text);
    if (!object) {
        *error =
            ApiError::validation(QStringLiteral("parts"), QStringLiteral("%1: %2").arg(code, text));
        return {};
    }
    return {
        {"key", toStd(object->key)}, {"size", object->size}, {"etag", object->etag.toStdString()}};
}

nlohmann::json StorageService::abort(const http::Principal &who, const ClusterRecord &cluster,
                                     const QString &uploadId, ApiError *error) {
    if (!ownUpload(who, cluster, uploadId, error))
        return {};
    m_store.abort(uploadId);
    return {{"aborted", true}, {"upload_id", toStd(uploadId)}};
}

} // namespace clusterra::server
