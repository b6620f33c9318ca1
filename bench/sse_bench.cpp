// The console's SSE parser (core/sse/SseParser) side by side with eventsource-parser (npm,
// through a streaming TextDecoder as browsers read a response) on the same bytes cut into the
// same chunks, in one run. Three streams: small events (80 bytes each), large lines (1 MB
// data lines), and the server's own job-output format (formatLogEvents over a log with
// progress bars). Prints MB/s for both, the ratio, and memchr's pass over the same bytes as a
// ceiling. The reference needs `npm ci --prefix bench/sse` once.
// Usage: sse_bench [megabytes per stream=64] [runs=7]
#include "bench/BenchTools.h"
#include "core/sse/LogEvents.h"
#include "core/sse/SseParser.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>

using namespace clusterra;

namespace {
constexpr qsizetype kChunk = 64 * 1024; // what one network read hands the parser

QByteArray smallEvents(qsizetype size) {
    QByteArray out;
    out.reserve(size + 128);
    for (qint64 n = 0; out.size() < size; ++n) {
        QByteArray event = "id: " + QByteArray::number(n) + "\ndata: ";
        const qsizetype pad = 80 - event.size() - 3; // "\n\n" and the data's own end
        for (qsizetype i = 0; i < pad; ++i)
            event += char('a' + (n + i) % 26);
        event += "\n\n";
        out += event;
    }
    return out;
}

QByteArray largeLines(qsizetype size) {
    QByteArray line(1 << 20, Qt::Uninitialized);
    for (qsizetype i = 0; i < line.size(); ++i)
        line[i] = char(' ' + (i * 31) % 94);
    QByteArray out;
    out.reserve(size + line.size() + 16);
    while (out.size() < size)
        out += "data: " + line + "\n\n";
    return out;
}

// A build log as a job writes it: lines of 20 to 140 characters, a few in UTF-8, and now and
// then a progress bar redrawn with carriage returns; framed as the server frames 64 KiB reads.
QByteArray serverFormat(qsizetype size) {
    QByteArray log;
    quint64 x = 0x9E3779B97F4A7C15ULL;
    while (log.size() < size) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        if (x % 50 == 0) {
            for (int p = 0; p <= 100; p += 10)
                log += "progress " + QByteArray::number(p) + "%\r";
            log += '\n';
            continue;
        }
        const int length = 20 + int(x % 120);
        QByteArray line = "[step " + QByteArray::number(qulonglong(x % 1000)) + "] ";
        while (line.size() < length)
            line += x % 7 == 0 ? QByteArray("größe ") : QByteArray("compiling ");
        log += line + '\n';
    }
    QByteArray out;
    for (qsizetype at = 0; at < log.size(); at += kChunk) {
        QByteArrayView piece = QByteArrayView(log).sliced(at, qMin(kChunk, log.size() - at));
        out += formatLogEvents(piece, at);
    }
    return out;
}

struct Figures {
    double mbPerSec = 0;
    qint64 events = 0;
    qint64 dataChars = 0;
};

Figures ours(const QByteArray &stream, int runs) {
    Figures f;
    QList<double> seconds;
    for (int r = 0; r <= runs; ++r) { // the first run warms the caches, as node's does its JIT
        SseParser parser;
        qint64 events = 0, chars = 0;
        QElapsedTimer clock;
        clock.start();
        for (qsizetype at = 0; at < stream.size(); at += kChunk) {
            for (const SseEvent &e :
                 parser.feed(QByteArrayView(stream).sliced(at, qMin(kChunk, stream.size() - at)))) {
                ++events;
                chars += e.data.size();
            }
        }
        const double s = double(clock.nsecsElapsed()) / 1e9;
        if (r > 0)
            seconds << s;
        f.events = events;
        f.dataChars = chars;
    }
    f.mbPerSec = double(stream.size()) / 1e6 / bench::median(seconds);
    return f;
}

// memchr for a byte the stream does not hold: one pass at memory speed, the ceiling.
double memchrCeiling(const QByteArray &stream, int runs) {
    QList<double> seconds;
    for (int r = 0; r < runs; ++r) {
        QElapsedTimer clock;
        clock.start();
        const void *hit = std::memchr(stream.constData(), '\x01', size_t(stream.size()));
        seconds << double(clock.nsecsElapsed()) / 1e9;
        if (hit)
            std::fprintf(stderr, "unexpected byte\n");
    }
    return double(stream.size()) / 1e6 / bench::median(seconds);
}

std::optional<Figures> reference(const QString &file, int runs) {
    const QString script = QStringLiteral(CLUSTERRA_SOURCE_DIR "/bench/sse/parse.mjs");
    QProcess node;
    node.start(QStringLiteral("node"),
               {script, file, QString::number(kChunk), QString::number(runs)});
    if (!node.waitForFinished(600000) || node.exitCode() != 0) {
        std::fprintf(stderr, "eventsource-parser did not run (npm ci --prefix bench/sse?): %s\n",
                     node.readAllStandardError().constData());
        return std::nullopt;
    }
    const QJsonObject o = QJsonDocument::fromJson(node.readAllStandardOutput()).object();
    return Figures{o.value(QStringLiteral("mb_per_s")).toDouble(),
                   qint64(o.value(QStringLiteral("events")).toDouble()),
                   qint64(o.value(QStringLiteral("data_chars")).toDouble())};
}
} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    const qsizetype size = qsizetype(argc > 1 ? std::atoi(argv[1]) : 64) << 20;
    const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 7;
    QTemporaryDir dir;
    struct Stream {
        const char *name;
        QByteArray bytes;
    };
    const Stream streams[] = {{"small events (80 B)", smallEvents(size)},
                              {"large lines (1 MB)", largeLines(size)},
                              {"server log format", serverFormat(size)}};
    std::printf("SSE parsing, %d MB per stream in %lld KiB chunks, median of %d runs\n",
                int(size >> 20), qlonglong(kChunk >> 10), runs);
    std::printf("%-22s %12s %22s %8s %14s\n", "stream", "SseParser", "eventsource-parser", "ratio",
                "memchr");
    int status = 0;
    for (const Stream &s : streams) {
        const QString file = dir.filePath(QString::fromLatin1(s.name).section(u' ', 0, 0));
        QFile out(file);
        out.open(QIODevice::WriteOnly);
        out.write(s.bytes);
        out.close();
        const Figures mine = ours(s.bytes, runs);
        const auto ref = reference(file, runs);
        const double ceiling = memchrCeiling(s.bytes, runs);
        if (!ref) {
            std::printf("%-22s %8.0f MB/s %22s %8s %9.0f MB/s\n", s.name, mine.mbPerSec, "-", "-",
                        ceiling);
            status = 1;
            continue;
        }
        std::printf("%-22s %8.0f MB/s %17.0f MB/s %7.2fx %9.0f MB/s\n", s.name, mine.mbPerSec,
                    ref->mbPerSec, mine.mbPerSec / ref->mbPerSec, ceiling);
        if (ref->events != mine.events || ref->dataChars != mine.dataChars) {
            std::printf(
                "  the parsers disagree: %lld events / %lld chars here, %lld / %lld there\n",
                qlonglong(mine.events), qlonglong(mine.dataChars), qlonglong(ref->events),
                qlonglong(ref->dataChars));
            status = 1;
        }
    }
    return status;
}
