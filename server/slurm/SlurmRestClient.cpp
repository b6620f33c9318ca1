#include "server/slurm/SlurmRestClient.h"

#include "core/base/Guard.h"
#include "core/slurm/SlurmDialect.h"
#include "core/util/Json.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace clusterra::server {

bool SlurmReply::ok() const {
    return status == 200 && SlurmDialect::errors(body).isEmpty();
}

QString SlurmReply::problem() const {
    if (!reachable())
        return transportError;
    // Slurm's own messages only from something that answers as slurmrestd does (with "meta"),
    // and short: a URL that points elsewhere must not have its replies repeated back.
    const QStringList messages = body.contains("meta") ? SlurmDialect::errors(body) : QStringList();
    if (!messages.isEmpty())
        return messages.join(QStringLiteral("; ")).left(300);
    return QStringLiteral("slurmrestd answered HTTP %1").arg(status);
}

SlurmRestClient::SlurmRestClient(QNetworkAccessManager &nam, QUrl base, QString token,
                                 QObject *parent)
    : QObject(parent)
    , m_nam(nam)
    , m_base(std::move(base))
    , m_token(token.toUtf8()) {}

QNetworkRequest SlurmRestClient::request(const QString &path, const QString &userName) const {
    QUrl url = m_base;
    const QString basePath =
        url.path().endsWith(QLatin1Char('/')) ? url.path().chopped(1) : url.path();
    const qsizetype query = path.indexOf(QLatin1Char('?'));
    url.setPath(basePath + path.left(query));
    if (query >= 0)
        url.setQuery(path.mid(query + 1));
    QNetworkRequest r(url);
    r.setRawHeader("X-SLURM-USER-NAME", userName.toUtf8());
    r.setRawHeader("X-SLURM-USER-TOKEN", m_token);
    r.setRawHeader("Accept", "application/json");
    r.setTransferTimeout(kTimeoutMs);
    return r;
}

void SlurmRestClient::get(const QString &path, const QString &userName, Done done) {
    finish(m_nam.get(request(path, userName)), std::move(done));
}

void SlurmRestClient::post(const QString &path, const QString &userName, const nlohmann::json &body,
                           Done done) {
    QNetworkRequest r = request(path, userName);
    r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    finish(m_nam.post(r, dumpJson(body)), std::move(done));
}

void SlurmRestClient::remove(const QString &path, const QString &userName, Done done) {
    finish(m_nam.deleteResource(request(path, userName)), std::move(done));
}

void SlurmRestClient::finish(QNetworkReply *reply, Done done) {
    connect(reply, &QNetworkReply::finished, this, [reply, done = std::move(done)] {
        reply->deleteLater();
        SlurmReply out;
        out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray bytes = reply->readAll();
        if (out.status == 0) {
            out.transportError =
                QStringLiteral("slurmrestd at %1 did not answer (%2)")
                    .arg(reply->url().adjusted(QUrl::RemovePath | QUrl::RemoveQuery).toString(),
                         reply->errorString());
        } else if (!bytes.isEmpty()) {
            out.body = parseJson(bytes);
            if (out.body.is_discarded())
                out.body = nlohmann::json::object();
        }
        if (!out.body.is_object())
            out.body = nlohmann::json::object();
        runGuarded("Slurm reply", [&] { done(out); });
    });
}

} // namespace clusterra::server
