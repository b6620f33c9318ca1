#pragma once

#include "api/ApiError.h"
#include "client/SseClient.h"

#include <QObject>
#include <optional>

namespace clusterra {

class ApiClient;

// Removes ANSI escape sequences (colours, cursor moves) from log text.
QString stripAnsi(const QString &text);

// One job's output, live: the SSE stream from a starting point (the last N lines or the
// beginning), resumed by byte offset after any drop, so no line is lost or repeated.
class JobLogFeed : public QObject {
    Q_OBJECT
public:
    explicit JobLogFeed(ApiClient *api, QObject *parent = nullptr);

    // tailLines < 0: from the start of the file.
    void follow(const QString &clusterId, qint64 jobId, int tailLines);
    void stop();
    qint64 jobId() const { return m_jobId; }
    qint64 offset() const { return m_offset; }
    bool isFinished() const { return m_finished; }

Q_SIGNALS:
    void textAppended(const QString &text);
    void finished(const QString &state, std::optional<int> exitCode);
    void failed(const clusterra::ApiError &error);
    void connectionChanged(clusterra::SseClient::State state);

private:
    SseClient m_sse;
    qint64 m_jobId = 0;
    qint64 m_offset = 0;
    bool m_finished = false;
};

} // namespace clusterra
