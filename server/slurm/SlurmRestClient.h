#pragma once

#include <QNetworkRequest>
#include <QObject>
#include <QUrl>
#include <functional>
#include <nlohmann/json.hpp>

class QNetworkAccessManager;
class QNetworkReply;

namespace clusterra::server {

struct SlurmReply {
    int status = 0; // HTTP status; 0 when slurmrestd could not be reached
    nlohmann::json body;
    QString transportError;

    bool reachable() const { return status > 0; }
    // 200 with an empty errors[] (slurmrestd may fill errors[] with any status).
    bool ok() const;
    // For people: Slurm's own messages, or why nothing answered.
    QString problem() const;
};

// One slurmrestd, called with JWT headers. The token goes in X-SLURM-USER-TOKEN and is never
// logged; the user name is per call, so a root token can act for each submitter.
class SlurmRestClient : public QObject {
    Q_OBJECT
public:
    using Done = std::function<void(const SlurmReply &)>;

    SlurmRestClient(QNetworkAccessManager &nam, QUrl base, QString token,
                    QObject *parent = nullptr);

    void get(const QString &path, const QString &userName, Done done);
    void post(const QString &path, const QString &userName, const nlohmann::json &body, Done done);
    void remove(const QString &path, const QString &userName, Done done);

    QUrl base() const { return m_base; }

    static constexpr int kTimeoutMs = 15000;

private:
    QNetworkRequest request(const QString &path, const QString &userName) const;
    void finish(QNetworkReply *reply, Done done);

    QNetworkAccessManager &m_nam;
    QUrl m_base;
    QByteArray m_token;
};

} // namespace clusterra::server
