#include "jobs/OutputStream.h"

#include "jobs/JobService.h"

#include "sse/SseParser.h"
#include "util/Json.h"

namespace clusterra::server {

namespace {
// The largest prefix length <= n that does not end inside a UTF-8 sequence.
qsizetype utf8Boundary(const QByteArray &buf, qsizetype n) {
    qsizetype pos = n;
    while (pos > 0 && (uchar(buf[pos - 1]) & 0xC0) == 0x80)
        --pos;
    if (pos == 0)
        return n;
    const uchar lead = uchar(buf[pos - 1]);
    const int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return (n - (pos - 1) >= need) ? n : pos - 1;
}
} // namespace

qint64 offsetOfLastLines(QFile &f, int lines) {
    if (!f.isOpen() || lines <= 0)
        return f.size();
    qint64 pos = f.size();
    // A final line end does not start another line.
    int newlines = 0;
    bool first = true;
    while (pos > 0) {
        const qint64 step = qMin<qint64>(pos, 64 * 1024);
        pos -= step;
        f.seek(pos);
        const QByteArray block = f.read(step);
        for (qsizetype i = block.size() - 1; i >= 0; --i) {
            if (block[i] != '\n')
                continue;
            if (first && pos + i == f.size() - 1) {
                first = false;
                continue;
            }
            if (++newlines == lines)
                return pos + i + 1;
        }
        first = false;
    }
    return 0;
}

OutputStream::OutputStream(std::shared_ptr<http::StreamBody> body, JobStore &jobs,
                           const JobService &service, FileChangeHub &files, const JobRecord &job,
                           qint64 startOffset, int pollMs, int keepAliveMs, QObject *parent)
    : QObject(parent)
    , m_body(std::move(body))
    , m_jobs(jobs)
    , m_service(service)
    , m_files(files)
    , m_jobId(job.jobId)
    , m_path(job.outputPath)
    , m_offset(startOffset)
    , m_finished(isFinished(job.state)) {
    // Let go of the file watch as soon as the peer is gone: at shutdown the streams are
    // closed while FileChangeHub still exists, and deleted (later) after it is gone.
    connect(m_body.get(), &http::StreamBody::closed, this, [this] {
        stopWatching();
        deleteLater();
    });
    connect(m_body.get(), &http::StreamBody::drained, this, &OutputStream::pump);
    connect(&m_jobs, &JobStore::jobChanged, this, &OutputStream::onJobChanged);
    connect(&m_poll, &QTimer::timeout, this, &OutputStream::pump);
    // inotify wakes us as soon as the job writes; the poll covers what it misses (a file
    // created after we started, filesystems without inotify).
    connect(&m_files, &FileChangeHub::changed, this, [this](const QString &path) {
        if (path == m_path)
            pump();
    });
    connect(&m_keepAlive, &QTimer::timeout, this,
            [this] { m_body->write(formatSseComment("keep-alive")); });
    m_body->write("retry: 2000\n\n");
    m_poll.start(pollMs);
    m_keepAlive.start(keepAliveMs);
    pump();
}

OutputStream::~OutputStream() {
    stopWatching();
}

void OutputStream::stopWatching() {
    if (m_watching)
        m_files.unwatch(m_path);
    m_watching = false;
}

void OutputStream::onJobChanged(qint64 jobId, JobState state) {
    if (jobId != m_jobId || !isFinished(state))
        return;
    m_finished = true;
    pump();
}

bool OutputStream::openFile() {
    if (const auto job = m_jobs.get(m_jobId))
        return m_service.openOutput(*job, &m_file);
    return false;
}

void OutputStream::pump() {
    if (m_body->isClosed() || m_body->isFinished())
        return;
    if (!m_file.isOpen() && !openFile()) {
        if (!m_finished)
            return; // not created yet: the job has not started writing
    }
    if (!m_watching && m_file.isOpen())
        m_watching = m_files.watch(m_path);
    const qint64 size = m_file.isOpen() ? m_file.size() : 0;
    bool sent = false;
    while (m_body->pending() < kHighWater && m_offset < size) {
        m_file.seek(m_offset);
        const QByteArray buf = m_file.read(qMin(size - m_offset, kMaxLine));
        qsizetype cut = buf.lastIndexOf('\n', qMin<qsizetype>(kChunk, buf.size()) - 1);
        if (cut < 0)
            cut = buf.indexOf('\n'); // a line longer than a chunk still goes whole
        qsizetype length = cut + 1;
        if (cut < 0) {
            if (buf.size() >= kMaxLine)
                length = utf8Boundary(buf, buf.size());
            else if (m_finished)
                length = buf.size();
            else
                break; // wait for the line to end
        }
        m_offset += length;
        m_body->write(formatSseEvent(QStringLiteral("log"), QString::number(m_offset),
                                     QByteArrayView(buf).first(length)));
        sent = true;
    }
    if (sent)
        m_keepAlive.start();
    if (m_finished && m_offset >= size && m_body->pending() < kHighWater) {
        const auto job = m_jobs.get(m_jobId);
        nlohmann::json data{{"job_id", m_jobId}};
        if (job) {
            data["state"] = toStd(jobStateName(job->state));
            data["exit_code"] = job->exitCode ? nlohmann::json(*job->exitCode) : nlohmann::json();
        }
        m_body->write(
            formatSseEvent(QStringLiteral("end"), QString::number(m_offset), dumpJson(data)));
        m_body->finish();
        m_poll.stop();
        m_keepAlive.stop();
    }
}

} // namespace clusterra::server
