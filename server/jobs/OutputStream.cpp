#include "server/jobs/OutputStream.h"

#include "core/base/Guard.h"
#include "server/jobs/JobService.h"

#include "core/sse/LogEvents.h"
#include "core/sse/SseParser.h"
#include "core/util/Json.h"

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

qint64 offsetOfLastLines(QFile &f, int lines, qint64 floor) {
    if (!f.isOpen() || lines <= 0)
        return qMax(floor, f.size());
    qint64 pos = f.size();
    // A final line end does not start another line.
    int newlines = 0;
    bool first = true;
    while (pos > floor) {
        const qint64 step = qMin<qint64>(pos - floor, 64 * 1024);
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
    return floor;
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
    const auto pumpGuarded = [this] {
        runGuarded("output stream", [this] { pump(); });
    };
    connect(m_body.get(), &http::StreamBody::drained, this, pumpGuarded);
    connect(&m_jobs, &JobStore::jobChanged, this, [this](qint64 jobId, JobState state) {
        runGuarded("output stream", [&] { onJobChanged(jobId, state); });
    });
    connect(&m_poll, &QTimer::timeout, this, pumpGuarded);
    // inotify wakes us as soon as the job writes; the poll covers what it misses (a file
    // created after we started, filesystems without inotify).
    // The wake-ups of a few milliseconds are gathered into one read: a job writing 4 KiB at a
    // time would otherwise cost a stat, a read, an event and a send per 4 KiB, the CPU the job
    // and the reader need on a small machine.
    m_wake.setSingleShot(true);
    m_wake.setInterval(kWakeDelayMs);
    connect(&m_wake, &QTimer::timeout, this, pumpGuarded);
    connect(&m_files, &FileChangeHub::changed, this, [this](const QString &path) {
        if (path == m_path && !m_wake.isActive())
            m_wake.start();
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
    const auto job = m_jobs.get(m_jobId);
    OutputWindow window;
    if (!job || !m_service.openOwnOutput(*job, &m_file, &window))
        return false;
    m_opened = identifyOpen(m_file.handle());
    m_base = window.base;
    if (window.restarted && m_offset > 0)
        sendReset("replaced"); // while this client was away
    return true;
}

// The path names another file than the one open (a `mv` over it, a delete and a re-create).
bool OutputStream::fileMoved() {
    const FileIdentity now = identifyPath(m_path);
    return now.exists() && !now.sameFile(m_opened);
}

void OutputStream::sendReset(const char *reason) {
    m_offset = 0;
    m_body->write(formatSseEvent(QLatin1String(kResetEvent), QStringLiteral("0"),
                                 dumpJson({{"reason", reason}})));
}

// What was sent is no longer in the file: say so, and follow it from its new start.
void OutputStream::restart(const char *reason) {
    m_file.close();
    sendReset(reason);
    openFile();
}

void OutputStream::pump() {
    if (m_body->isClosed() || m_body->isFinished())
        return;
    if (m_file.isOpen() && fileMoved())
        restart("replaced");
    if (!m_file.isOpen() && !openFile()) {
        if (!m_finished)
            return; // not created yet, or only an earlier run's bytes: the job has not written
    }
    if (!m_watching && m_file.isOpen())
        m_watching = m_files.watch(m_path);
    if (m_file.isOpen() && m_file.size() < m_base + m_offset) {
        // Truncated under us (`> run.log`, a rotation), or a client resuming past the end: the
        // stream starts again at the job's first byte. Reopening resolves the origin again, so
        // only a file now shorter than where the job's bytes began moves that start; a resume
        // offset never does, and no request can uncover an earlier run's bytes.
        restart("truncated");
    }
    const qint64 size = m_file.isOpen() ? qMax<qint64>(0, m_file.size() - m_base) : 0;
    bool sent = false;
    while (m_body->pending() < kHighWater && m_offset < size) {
        // One chunk is read, and more only while no line has ended in what was read, so the
        // file is read about once (the unsent end of a chunk's last line is read again), not
        // a whole line's limit per chunk sent.
        m_file.seek(m_base + m_offset);
        QByteArray buf = m_file.read(qMin(size - m_offset, kChunk));
        if (buf.isEmpty())
            break; // shorter than its size said (written to as we read): the next pump
        // A carriage return ends a piece too: a progress bar shows as it moves.
        qsizetype cut = LineEnds::last(buf);
        while (cut < 0 && buf.size() < kMaxLine && m_offset + buf.size() < size) {
            const qsizetype from = buf.size();
            buf += m_file.read(qMin(size - m_offset - from, qMin(kChunk, kMaxLine - from)));
            if (buf.size() == from)
                break; // the file stopped short of its size: read again next time
            cut = LineEnds(buf).next(from); // a line longer than a chunk still goes whole
        }
        qsizetype length = cut + 1;
        if (cut < 0) {
            if (buf.size() >= kMaxLine)
                length = utf8Boundary(buf, buf.size());
            else if (m_finished)
                length = buf.size();
            else
                break; // wait for the line to end
        }
        m_body->write(formatLogEvents(QByteArrayView(buf).first(length), m_offset));
        m_offset += length;
        sent = true;
    }
    if (sent)
        m_keepAlive.start();
    if (m_finished && m_offset >= size && m_body->pending() < kHighWater) {
        const auto job = m_jobs.get(m_jobId);
        nlohmann::json data{{"job_id", job ? job->publicId() : m_jobId}};
        if (job) {
            data["state"] = toStd(jobStateName(job->state));
            data["exit_code"] = job->exitCode ? nlohmann::json(*job->exitCode) : nlohmann::json();
        }
        m_body->write(
            formatSseEvent(QStringLiteral("end"), QString::number(m_offset), dumpJson(data)));
        m_body->finish();
        m_poll.stop();
        m_wake.stop();
        m_keepAlive.stop();
    }
}

} // namespace clusterra::server
