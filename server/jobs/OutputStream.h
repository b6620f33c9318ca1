#pragma once

#include "http/HttpTypes.h"
#include "jobs/FileChangeHub.h"
#include "jobs/JobStore.h"

#include <QFile>
#include <QTimer>

namespace clusterra::server {

class JobService;

// Byte offset where the last `lines` lines of an open file start.
qint64 offsetOfLastLines(QFile &f, int lines);

// Feeds one job's output file to an SSE stream as it grows: `event: log` chunks whose `id` is
// the byte offset after the chunk, so Last-Event-ID resumes exactly. Chunks end at a line end
// (a line longer than the chunk size is sent whole, up to 1 MiB, then cut between UTF-8
// characters); `event: end` follows once the job has finished and every byte is out.
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

private:
    bool openFile();
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
    qint64 m_offset;
    bool m_finished = false;
    QTimer m_poll;
    QTimer m_keepAlive;
};

} // namespace clusterra::server
