#pragma once

#include "core/base/ApiError.h"
#include "core/client/SseClient.h"

#include <QObject>
#include <optional>

class QSaveFile;

namespace clusterra {

class ApiClient;

// Removes ANSI escape sequences (colours, cursor moves) from log text.
QString stripAnsi(const QString &text);

// One job's output, live. It reads the last N lines (or everything) as a snapshot, learns
// the exact byte offset where that ends, and follows the SSE stream from there, resuming by
// offset after any drop: no line is lost or repeated. Older parts load on request.
class JobLogFeed : public QObject {
    Q_OBJECT
public:
    explicit JobLogFeed(ApiClient *api, QObject *parent = nullptr);

    // tailLines < 0: from the start of the file.
    void follow(const QString &clusterId, qint64 jobId, int tailLines);
    void stop();
    // Fetches up to `bytes` before what is shown, starting at a line boundary.
    void loadEarlier(qint64 bytes = 256 * 1024);
    // Writes the whole output to `path`, in chunks, never all in memory.
    void saveTo(const QString &path);

    qint64 jobId() const { return m_jobId; }
    qint64 startOffset() const { return m_startOffset; }
    qint64 offset() const { return m_offset; }
    bool isFinished() const { return m_finished; }
    bool hasEarlier() const { return m_startOffset > 0; }

Q_SIGNALS:
    // Output text as the job wrote it, carriage returns included (see TerminalLine).
    void textAppended(const QString &text);
    void textPrepended(const QString &text);
    // The file was truncated or replaced under the job: what was shown is gone, and the
    // output continues from its new start. `reason`: "truncated" or "replaced".
    void restarted(const QString &reason);
    void finished(const QString &state, std::optional<int> exitCode);
    void failed(const clusterra::ApiError &error);
    void connectionChanged(clusterra::SseClient::State state);
    void saved(const QString &path, qint64 bytes);
    void saveFailed(const QString &why);

private:
    void startStream();
    void saveChunk(std::shared_ptr<QSaveFile> file, qint64 offset);
    QString outputPath() const;

    ApiClient *m_api;
    SseClient m_sse;
    QString m_clusterId;
    qint64 m_jobId = 0;
    qint64 m_startOffset = 0;
    qint64 m_offset = 0;
    bool m_finished = false;
    int m_generation = 0;
};

} // namespace clusterra
