#include "models/JobLogFeed.h"

#include "core/client/ApiClient.h"
#include "core/sse/LogEvents.h"
#include "core/util/Json.h"

#include <QRegularExpression>
#include <QSaveFile>

namespace clusterra {

namespace {
constexpr qint64 kChunk = 4 * 1024 * 1024;
} // namespace

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
    , m_api(api)
    , m_sse(api) {
    connect(&m_sse, &SseClient::stateChanged, this, &JobLogFeed::connectionChanged);
    connect(&m_sse, &SseClient::failed, this, &JobLogFeed::failed);
    connect(&m_sse, &SseClient::eventReceived, this, [this](const SseEvent &e) {
        m_offset = e.lastEventId.toLongLong();
        if (const auto text = logEventText(e)) {
            Q_EMIT textAppended(stripAnsi(*text));
        } else if (e.type == QLatin1String(kResetEvent)) {
            m_startOffset = 0;
            Q_EMIT restarted(stringOr(parseJson(e.data.toUtf8()), "reason"));
        } else if (e.type == QLatin1String("end")) {
            m_finished = true;
            m_sse.stop();
            const auto j = parseJson(e.data.toUtf8());
            const auto code = intMember(j, "exit_code");
            Q_EMIT finished(stringOr(j, "state"),
                            code ? std::optional<int>(int(*code)) : std::nullopt);
        }
    });
}

QString JobLogFeed::outputPath() const {
    return ApiClient::clusterPath(m_clusterId) + QStringLiteral("/jobs/%1/output").arg(m_jobId);
}

void JobLogFeed::follow(const QString &clusterId, qint64 jobId, int tailLines) {
    m_sse.stop();
    const int generation = ++m_generation;
    m_clusterId = clusterId;
    m_jobId = jobId;
    m_offset = m_startOffset = 0;
    m_finished = false;
    const QString query = tailLines >= 0 ? QStringLiteral("?tail_lines=%1").arg(tailLines)
                                         : QStringLiteral("?offset=0");
    m_api->sendRaw(outputPath() + query, this,
                   [this, generation](const QByteArray &body,
                                      const QHash<QByteArray, QByteArray> &headers,
                                      const ApiError &error) {
                       if (generation != m_generation)
                           return;
                       if (error.isError()) {
                           Q_EMIT failed(error);
                           return;
                       }
                       m_startOffset = headers.value("x-output-offset").toLongLong();
                       m_offset = m_startOffset + body.size();
                       if (!body.isEmpty())
                           Q_EMIT textAppended(stripAnsi(QString::fromUtf8(body)));
                       startStream();
                   });
}

void JobLogFeed::startStream() {
    m_sse.start(outputPath() + QStringLiteral("/stream"), QString::number(m_offset));
}

void JobLogFeed::stop() {
    ++m_generation;
    m_sse.stop();
}

void JobLogFeed::loadEarlier(qint64 bytes) {
    if (m_startOffset <= 0)
        return;
    const qint64 from = qMax<qint64>(0, m_startOffset - bytes);
    const qint64 length = m_startOffset - from;
    const int generation = m_generation;
    m_api->sendRaw(
        outputPath() + QStringLiteral("?offset=%1&length=%2").arg(from).arg(length), this,
        [this, generation, from](const QByteArray &body, const QHash<QByteArray, QByteArray> &,
                                 const ApiError &error) {
            if (generation != m_generation || error.isError())
                return;
            // Start at a line boundary unless we reached the top of the file.
            qsizetype cut = 0;
            if (from > 0) {
                cut = body.indexOf('\n') + 1;
                if (cut <= 0)
                    cut = 0;
            }
            m_startOffset = from + cut;
            Q_EMIT textPrepended(stripAnsi(QString::fromUtf8(body.mid(cut))));
        });
}

void JobLogFeed::saveTo(const QString &path) {
    auto file = std::make_shared<QSaveFile>(path);
    if (!file->open(QIODevice::WriteOnly)) {
        Q_EMIT saveFailed(file->errorString());
        return;
    }
    saveChunk(file, 0);
}

void JobLogFeed::saveChunk(std::shared_ptr<QSaveFile> file, qint64 offset) {
    m_api->sendRaw(
        outputPath() + QStringLiteral("?offset=%1&length=%2").arg(offset).arg(kChunk), this,
        [this, file, offset](const QByteArray &body, const QHash<QByteArray, QByteArray> &headers,
                             const ApiError &error) {
            if (error.isError()) {
                file->cancelWriting();
                Q_EMIT saveFailed(error.message);
                return;
            }
            file->write(body);
            const qint64 size = headers.value("x-output-size").toLongLong();
            const qint64 next = offset + body.size();
            if (!body.isEmpty() && next < size) {
                saveChunk(file, next);
                return;
            }
            if (!file->commit()) {
                Q_EMIT saveFailed(file->errorString());
                return;
            }
            Q_EMIT saved(file->fileName(), next);
        });
}

} // namespace clusterra
