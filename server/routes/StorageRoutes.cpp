// The storage routes translate JSON and query strings into StorageService's types and its
// answers back into JSON; what may be done is the service's to decide.
#include "core/util/Json.h"
#include "core/util/Time.h"
#include "server/clusters/ClusterService.h"
#include "server/objects/StorageService.h"
#include "server/routes/Routes.h"

#include <limits>

namespace clusterra::server {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

namespace {
nlohmann::json fileJson(const ObjectInfo &o) {
    return {{"key", toStd(o.key)},
            {"size", o.size},
            {"etag", o.etag.toStdString()},
            {"content_type", toStd(o.contentType)},
            {"modified", toStd(toRfc3339(o.modifiedMs))}};
}

nlohmann::json listingJson(const Listing &l) {
    auto files = nlohmann::json::array();
    for (const ObjectInfo &o : l.files)
        files.push_back(fileJson(o));
    return {{"prefix", toStd(l.prefix)},
            {"files", std::move(files)},
            {"folders", toJsonArray(l.folders)},
            {"next_start_after", toStd(l.nextStartAfter)}};
}

nlohmann::json presignedJson(const PresignedLink &p) {
    nlohmann::json headers = nlohmann::json::object();
    for (const auto &[k, v] : p.link.headers)
        headers[k.toStdString()] = v.toStdString();
    return {{"url", p.link.url.toString(QUrl::FullyEncoded).toStdString()},
            {"method", toStd(p.method)},
            {"headers", std::move(headers)},
            {"expires_at", toStd(toRfc3339(p.link.expiresAtSecs * 1000))}};
}

nlohmann::json uploadJson(const UploadStarted &u) {
    return {{"upload_id", toStd(u.uploadId)},
            {"key", toStd(u.key)},
            {"min_part_size", u.limits.minPartBytes},
            {"max_part_size", u.limits.maxPartBytes},
            {"max_parts", u.limits.maxParts}};
}

nlohmann::json partsJson(const UploadParts &u) {
    auto parts = nlohmann::json::array();
    for (const PartInfo &p : u.parts)
        parts.push_back(
            {{"part_number", p.number}, {"size", p.size}, {"etag", p.etag.toStdString()}});
    return {{"upload_id", toStd(u.uploadId)}, {"key", toStd(u.key)}, {"parts", std::move(parts)}};
}

nlohmann::json partLinksJson(const PartLinks &links) {
    auto parts = nlohmann::json::array();
    for (const auto &[number, url] : links.parts)
        parts.push_back(
            {{"part_number", number}, {"url", url.toString(QUrl::FullyEncoded).toStdString()}});
    return {{"parts", std::move(parts)},
            {"expires_at", toStd(toRfc3339(links.expiresAtSecs * 1000))}};
}

// An integer member as an int; `absent` when missing, 0 when it is no integer an int holds
// (so the service refuses it by its range).
int intOr(const nlohmann::json &obj, const char *key, int absent) {
    if (!obj.is_object() || !obj.contains(key))
        return absent;
    const auto v = intMember(obj, key);
    return v && *v >= std::numeric_limits<int>::min() && *v <= std::numeric_limits<int>::max()
               ? int(*v)
               : 0;
}

int integerOr0(const nlohmann::json &value) {
    const auto v = value.is_number_integer() ? integerOf(value) : std::nullopt;
    return v && *v > 0 && *v <= std::numeric_limits<int>::max() ? int(*v) : 0;
}

} // namespace

void registerStorageRoutes(http::Router &r, RouteContext &ctx) {
    StorageService &s = ctx.storage;
    const QString base = QStringLiteral("/v1/clusters/{id}/storage");
    r.add(Method::Get, base + QStringLiteral("/files"), Access::User, [&ctx, &s](Request &req) {
        ListingQuery query;
        query.prefix = req.query.value(QStringLiteral("prefix"));
        query.folders = req.query.value(QStringLiteral("delimiter")) == QLatin1String("/");
        query.startAfter = req.query.value(QStringLiteral("start_after"));
        query.limit = req.query.value(QStringLiteral("limit"), QStringLiteral("1000")).toInt();
        return clusterCall(ctx, req, false, 200,
                           [&](const ClusterRecord &c, const nlohmann::json &, http::Reply reply) {
                               s.list(req.principal, c, query,
                                      asJson<Listing>(std::move(reply), listingJson));
                           });
    });
    r.add(Method::Delete, base + QStringLiteral("/files"), Access::User, [&ctx, &s](Request &req) {
        return clusterCall(
            ctx, req, false, 200,
            [&](const ClusterRecord &c, const nlohmann::json &, http::Reply reply) {
                s.remove(req.principal, c, req.query.value(QStringLiteral("key")),
                         asJson<QString>(std::move(reply), [](const QString &key) {
                             return nlohmann::json{{"deleted", true}, {"key", toStd(key)}};
                         }));
            });
    });
    r.add(Method::Post, base + QStringLiteral("/presigned-url"), Access::User,
          [&ctx, &s](Request &req) {
              return clusterCall(
                  ctx, req, true, 200,
                  [&](const ClusterRecord &c, const nlohmann::json &b, http::Reply reply) {
                      PresignRequest request;
                      request.key = stringOr(b, "key");
                      request.method = stringOr(b, "method", QStringLiteral("GET"));
                      request.expiresIn = intOr(b, "expires_in", 3600);
                      request.contentType = stringOr(b, "content_type");
                      s.presign(req.principal, c, request,
                                asJson<PresignedLink>(std::move(reply), presignedJson));
                  });
          });
    r.add(Method::Post, base + QStringLiteral("/multipart"), Access::User,
          [&ctx, &s](Request &req) {
              return clusterCall(
                  ctx, req, true, 201,
                  [&](const ClusterRecord &c, const nlohmann::json &b, http::Reply reply) {
                      s.createUpload(req.principal, c, stringOr(b, "key"),
                                     stringOr(b, "content_type"),
                                     asJson<UploadStarted>(std::move(reply), uploadJson));
                  });
          });
    r.add(Method::Get, base + QStringLiteral("/multipart/{upload_id}"), Access::User,
          [&ctx, &s](Request &req) {
              return clusterCall(
                  ctx, req, false, 200,
                  [&](const ClusterRecord &c, const nlohmann::json &, http::Reply reply) {
                      s.listParts(req.principal, c, req.param(QStringLiteral("upload_id")),
                                  asJson<UploadParts>(std::move(reply), partsJson));
                  });
          });
    r.add(Method::Post, base + QStringLiteral("/multipart/{upload_id}/parts"), Access::User,
          [&ctx, &s](Request &req) {
              return clusterCall(
                  ctx, req, true, 200,
                  [&](const ClusterRecord &c, const nlohmann::json &b, http::Reply reply) {
                      QList<int> numbers;
                      for (const auto &n : arrayMember(b, "part_numbers"))
                          numbers.append(integerOr0(n));
                      s.presignParts(req.principal, c, req.param(QStringLiteral("upload_id")),
                                     numbers, intOr(b, "expires_in", 3600),
                                     asJson<PartLinks>(std::move(reply), partLinksJson));
                  });
          });
    r.add(
        Method::Post, base + QStringLiteral("/multipart/{upload_id}/complete"), Access::User,
        [&ctx, &s](Request &req) {
            return clusterCall(
                ctx, req, true, 200,
                [&](const ClusterRecord &c, const nlohmann::json &b, http::Reply reply) {
                    QList<PartInfo> parts;
                    for (const auto &p : arrayMember(b, "parts"))
                        parts.append({intOr(p, "part_number", 0), 0, stringOr(p, "etag").toUtf8()});
                    s.complete(req.principal, c, req.param(QStringLiteral("upload_id")), parts,
                               asJson<ObjectInfo>(std::move(reply), [](const ObjectInfo &o) {
                                   return nlohmann::json{{"key", toStd(o.key)},
                                                         {"size", o.size},
                                                         {"etag", o.etag.toStdString()}};
                               }));
                });
        },
        4 * 1024 * 1024);
    r.add(Method::Delete, base + QStringLiteral("/multipart/{upload_id}"), Access::User,
          [&ctx, &s](Request &req) {
              return clusterCall(
                  ctx, req, false, 200,
                  [&](const ClusterRecord &c, const nlohmann::json &, http::Reply reply) {
                      s.abort(
                          req.principal, c, req.param(QStringLiteral("upload_id")),
                          asJson<QString>(std::move(reply), [](const QString &id) {
                              return nlohmann::json{{"aborted", true}, {"upload_id", toStd(id)}};
                          }));
                  });
          });
}

} // namespace clusterra::server
