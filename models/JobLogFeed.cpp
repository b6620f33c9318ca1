#include "JobLogFeed.h"

#include "client/ApiClient.h"
#include "util/Json.h"

#include <QRegularExpression>

namespace clusterra {

QString stripAnsi(const QString &text) {
    static const QRegularExpression re(QStringLiteral(
        "\x1B(?:\\[[0-9;?]*[ -/]*[@-~]|\\][^\x07\x1B]*(?:\x07|\x1B\\\\)|[@-Z\\\\-_])"));
    if (!text.contains(QChar(0x1B)))
        return text;
    QString out = text;
    out.remove(re);
    return out;
}

JobLogFeed::JobLogFeed(ApiClient *api, QObject *parent)
    : QObject(parent)
    , m_sse(api) {
    connect(&m_sse, &SseClient::stateChanged, this, &JobLogFeed::connectionChanged);
    connect(&m_sse, &SseClient::failed, this, &JobLogFeed::failed);
    connect(&m_sse, &SseClient::eventReceived, this, [this](const SseEvent &e) {
        m_offset = e.lastEventId.toLongLong();
        if (e.type == QLatin1String("log")) {
            Q_EMIT textAppended(stripAnsi(e.data));
        } else if (e.type == QLatin1String("end")) {
            m_finished = true;
            m_sse.stop();
            const auto j = parseJson(e.data.toUtf8());
            Q_EMIT finished(stringOr(j, "state"),
                            intMember(j, "exit_code").has_value()
                                ? std::optional<int>(int(*intMember(j, "exit_code")))
                                : std::nullopt);
        }
    });
}

void JobLogFeed::follow(const QString &clusterId, qint64 jobId, int tailLines) {
    m_jobId = jobId;
    m_offset = 0;
    m_finished = false;
    QString path =
        ApiClient::clusterPath(clusterId) + QStringLiteral("/jobs/%1/output/stream").arg(jobId);
    if (tailLines >= 0)
        path += QStringLiteral("?tail_lines=%1").arg(tailLines);
    m_sse.start(path);
}

void JobLogFeed::stop() {
    m_sse.stop();
}

} // namespace clusterra
