#pragma once

#include "server/http/HttpTypes.h"
#include "server/jobs/FileChangeHub.h"
#include "server/jobs/JobStore.h"

#include <QFile>
#include <QTimer>

namespace clusterra::server {

class JobService;

// Byte offset where the last `lines` lines of an open file start, not before `floor`.
qint64 offsetOfLastLines(QFile &f, int lines, qint64 floor = 0);

// Feeds one job's own output to an SSE stream as it grows, in the events of sse/LogEvents.h:
// `id` is the job-relative byte offset after each, so Last-Event-ID resumes exactly. Chunks end
// at a line end or a carriage return (a line longer than the chunk size is sent whole, up to
// 1 MiB, then cut between UTF-8 characters). A file truncated below what was sent, or replaced,
// is followed from its new start after an `event: reset`; `event: end` follows once the job
// has finished and every byte is out.
class OutputStream : public QObject {
    Q_OBJECT
public:
    OutputStream(std::shared_ptr<http::StreamBody> body, JobStore &jobs, const JobService &service,
                 FileChangeHub &files, const JobRecord &job, qint64 startOffset, int pollMs,
                 int keepAliveMs, QObject *parent = nullptr);
    ~OutputStream() override;

    static constexpr qint64 kChunk = 64 * 1024;
    static constexpr qint64 kMaxLine = 1024 * 1024;
    static constexpr qint64 kHighWater = 256 * 1024;
    // The HTTP server's send buffer for an output stream, held per open stream: 32 KiB (the
    // event feed's) made a replay one pass of the loop per 32 KiB; twice that is most of the
    // gain, and 4096 open streams hold 256 MB of it at most.
    static constexpr int kSendBlock = 64 * 1024;
    // How long a write by the job waits for more before it is read and sent: too short to see.
    static constexpr int kWakeDelayMs = 5;

private:
    bool openFile();
    bool fileMoved();
    void restart(const char *reason);
    void sendReset(const char *reason);
    void stopWatching();
    void pump();
    void onJobChanged(qint64 jobId, clusterra::JobState state);

    std::shared_ptr<http::StreamBody> m_body;
    JobStore &m_jobs;
    const JobService &m_service;
    FileChangeHub &m_files;
    bool m_watching = false;
    qint64 m_jobId;
    QString m_path;
    QFile m_file;
    FileIdentity m_opened; // the file m_file is
    qint64 m_base = 0;     // where the job's bytes start in it
    qint64 m_offset;       // job-relative: the next byte to send
    bool m_finished = false;
    QTimer m_poll;
    QTimer m_wake; // gathers the file's change notices
    QTimer m_keepAlive;
};

} // namespace clusterra::server
