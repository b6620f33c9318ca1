#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <optional>

namespace clusterra {

struct SseEvent {
    QString type = QStringLiteral("message");
    QString data;
    QString lastEventId;
};

// Incremental parser for text/event-stream following the WHATWG HTML rules: CR, LF and CRLF
// line ends (also split across chunks), one leading BOM, comments, `retry`, `id` values with
// NUL ignored, and no dispatch of an unterminated final event. Lines are found with memchr and
// parsed where they lie in the chunk (only a line cut by a chunk end is copied), and an event's
// data is decoded from UTF-8 once, not line by line.
class SseParser {
public:
    // Feeds raw bytes as they arrive; returns the events completed by them.
    QList<SseEvent> feed(QByteArrayView bytes);

    // The id a reconnect should send as Last-Event-ID (survives reset()).
    QString lastEventId() const { return m_lastEventId; }
    std::optional<int> retryMs() const { return m_retryMs; }
    int commentCount() const { return m_comments; }

    // Forgets a partial line and event, as a new connection must; keeps the last event id.
    void reset();

private:
    void processLine(QByteArrayView line, QList<SseEvent> &out);
    void dispatch(QList<SseEvent> &out);

    QByteArray m_line;      // a line begun in an earlier chunk; its capacity is kept
    QByteArray m_dataBytes; // the event's data lines, LF after each, decoded once at dispatch
    QString m_eventType;
    // The last `event` value and its text: a stream's events mostly repeat one type.
    QByteArray m_typeCacheBytes;
    QString m_typeCache;
    QString m_idBuffer;
    QString m_lastEventId;
    std::optional<int> m_retryMs;
    int m_comments = 0;
    bool m_afterCr = false;
    bool m_bomChecked = false;
    bool m_dataSeen = false;
};

// Finds line ends (LF or a lone CR, as SSE and a terminal both end lines) in a byte range with
// memchr, remembering where the next CR is, so a long range with a CR far off or none is not
// scanned again for every line.
class LineEnds {
public:
    explicit LineEnds(QByteArrayView bytes)
        : m_bytes(bytes) {}
    // The first line end at or after `from`, or -1.
    qsizetype next(qsizetype from);
    // The last line end of `bytes`, or -1.
    static qsizetype last(QByteArrayView bytes);

private:
    QByteArrayView m_bytes;
    qsizetype m_cr = -2; // the next CR at or after where we looked last; -1: none left
    qsizetype m_crFrom = 0;
};

// Server side: one event in wire form. Line ends in `data` (LF, CRLF or a lone CR) become
// separate `data:` lines, so the parser above returns `data` with LF line ends.
QByteArray formatSseEvent(const QString &type, const QString &id, QByteArrayView data);
QByteArray formatSseComment(QByteArrayView text);

} // namespace clusterra
