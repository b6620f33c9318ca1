#include "core/sse/SseParser.h"

#include <QStringDecoder>
#include <cstring>

namespace clusterra {

namespace {
const QByteArray kBom("\xEF\xBB\xBF");

// QString::fromUtf8 drops a BOM at the start of what it decodes; inside a stream only the very
// first one is the stream's (handled in feed), and a line that starts with one keeps it.
QString exactUtf8(QByteArrayView bytes) {
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless |
                                                     QStringDecoder::Flag::ConvertInitialBom);
    return decoder.decode(bytes);
}
} // namespace

QList<SseEvent> SseParser::feed(QByteArrayView bytes) {
    QList<SseEvent> out;
    if (!m_bomChecked) {
        // A BOM may itself arrive split over chunks: hold bytes until we can tell.
        m_line.append(bytes);
        if (m_line.size() < kBom.size() && kBom.startsWith(m_line))
            return out;
        m_bomChecked = true;
        const QByteArray pending = m_line.startsWith(kBom) ? m_line.mid(kBom.size()) : m_line;
        m_line.resize(0);
        return feed(pending);
    }
    const char *p = bytes.data();
    const char *const end = p + bytes.size();
    if (m_afterCr && p < end) {
        m_afterCr = false;
        if (*p == '\n')
            ++p; // the LF of a CRLF whose CR ended the previous chunk's last line
    }
    // Carriage returns are rare: one search finds the next, and it is looked for again only
    // once passed, so the scan stays one pass over the bytes however many lines they hold.
    const char *cr =
        p < end ? static_cast<const char *>(std::memchr(p, '\r', size_t(end - p))) : nullptr;
    while (p < end) {
        if (cr && cr < p)
            cr = static_cast<const char *>(std::memchr(p, '\r', size_t(end - p)));
        const char *stop = cr ? cr : end;
        const char *lf = static_cast<const char *>(std::memchr(p, '\n', size_t(stop - p)));
        const char *eol = lf ? lf : cr;
        if (!eol) {
            m_line.append(p, end - p);
            break;
        }
        if (m_line.isEmpty()) {
            processLine(QByteArrayView(p, eol), out);
        } else {
            m_line.append(p, eol - p);
            processLine(m_line, out);
            m_line.resize(0);
        }
        p = eol + 1;
        if (*eol == '\r') {
            if (p == end)
                m_afterCr = true;
            else if (*p == '\n')
                ++p;
        }
    }
    return out;
}

void SseParser::reset() {
    m_line.resize(0);
    m_dataBytes.resize(0);
    m_eventType.clear();
    m_dataSeen = false;
    m_afterCr = false;
    m_bomChecked = false;
    m_idBuffer = m_lastEventId;
}

void SseParser::processLine(QByteArrayView line, QList<SseEvent> &out) {
    if (line.isEmpty()) {
        dispatch(out);
        return;
    }
    if (line.front() == ':') {
        ++m_comments;
        return;
    }
    QByteArrayView field = line;
    QByteArrayView value;
    if (const qsizetype colon = line.indexOf(':'); colon >= 0) {
        field = line.first(colon);
        value = line.sliced(colon + 1);
        if (value.startsWith(' '))
            value = value.sliced(1);
    }
    if (field == "data") {
        m_dataBytes.append(value);
        m_dataBytes.append('\n');
        m_dataSeen = true;
    } else if (field == "event") {
        if (value != m_typeCacheBytes) {
            m_typeCacheBytes = value.toByteArray();
            m_typeCache = exactUtf8(value);
        }
        m_eventType = m_typeCache; // shared, not copied
    } else if (field == "id") {
        if (!value.contains('\0'))
            m_idBuffer = exactUtf8(value);
    } else if (field == "retry") {
        bool allDigits = !value.isEmpty();
        for (const char c : value)
            allDigits = allDigits && c >= '0' && c <= '9';
        if (allDigits) {
            bool ok = false;
            const int ms = value.toByteArray().toInt(&ok);
            if (ok)
                m_retryMs = ms;
        }
    }
}

void SseParser::dispatch(QList<SseEvent> &out) {
    m_lastEventId = m_idBuffer;
    if (!m_dataSeen) {
        m_dataBytes.resize(0);
        m_eventType.clear();
        return;
    }
    SseEvent ev;
    if (!m_eventType.isEmpty())
        ev.type = m_eventType;
    // Without the LF appended after the last data line. Line by line or at once, UTF-8 decodes
    // the same: every line ends in an LF, which no multi-byte sequence can run across.
    ev.data = exactUtf8(QByteArrayView(m_dataBytes).chopped(1));
    ev.lastEventId = m_lastEventId;
    out.append(std::move(ev));
    m_dataBytes.resize(0);
    m_eventType.clear();
    m_dataSeen = false;
}

namespace {
qsizetype findByte(QByteArrayView bytes, char c, qsizetype from) {
    if (from >= bytes.size())
        return -1;
    const void *hit = std::memchr(bytes.data() + from, c, size_t(bytes.size() - from));
    return hit ? static_cast<const char *>(hit) - bytes.data() : -1;
}

qsizetype findLastByte(QByteArrayView bytes, char c) {
#ifdef __GLIBC__
    const void *hit = ::memrchr(bytes.data(), c, size_t(bytes.size()));
    return hit ? static_cast<const char *>(hit) - bytes.data() : -1;
#else
    for (qsizetype i = bytes.size() - 1; i >= 0; --i)
        if (bytes[i] == c)
            return i;
    return -1;
#endif
}
} // namespace

qsizetype LineEnds::next(qsizetype from) {
    const qsizetype lf = findByte(m_bytes, '\n', from);
    if (m_cr == -2 || from < m_crFrom || (m_cr >= 0 && m_cr < from)) {
        m_cr = findByte(m_bytes, '\r', from);
        m_crFrom = from;
    }
    if (m_cr < 0)
        return lf;
    return lf < 0 ? m_cr : qMin(lf, m_cr);
}

qsizetype LineEnds::last(QByteArrayView bytes) {
    const qsizetype lf = findLastByte(bytes, '\n');
    // A CR after the last LF is all that can beat it: look only there.
    const qsizetype cr = findLastByte(bytes.sliced(lf + 1), '\r');
    return cr >= 0 ? lf + 1 + cr : lf;
}

QByteArray formatSseEvent(const QString &type, const QString &id, QByteArrayView data) {
    QByteArray head;
    if (!type.isEmpty())
        head += "event: " + type.toUtf8() + '\n';
    if (!id.isEmpty())
        head += "id: " + id.toUtf8() + '\n';
    // Written through a pointer, not appended: an output stream formats every line of a job's
    // log here, and QByteArray::append per line was the largest cost of a replay.
    constexpr qsizetype kPrefix = 6; // "data: "
    QByteArray out(head.size() + data.size() + data.size() / 8 + 64, Qt::Uninitialized);
    char *p = out.data();
    if (!head.isEmpty())
        std::memcpy(p, head.constData(), size_t(head.size()));
    p += head.size();
    // Every line end (LF, CR or CRLF) starts a new data line.
    LineEnds ends(data);
    qsizetype start = 0;
    while (true) {
        const qsizetype at = ends.next(start);
        const qsizetype stop = at < 0 ? data.size() : at;
        const qsizetype need = kPrefix + (stop - start) + 2; // its LF, and the event's last
        if (out.constData() + out.size() - p < need) {
            const qsizetype used = p - out.constData();
            out.resize(
                qMax(out.size() * 2, used + need + 64)); // short lines: doubling stays linear
            p = out.data() + used;
        }
        std::memcpy(p, "data: ", kPrefix);
        if (stop > start) // an empty view's data() may be null, which memcpy must not see
            std::memcpy(p + kPrefix, data.data() + start, size_t(stop - start));
        p += kPrefix + (stop - start);
        *p++ = '\n';
        if (at < 0)
            break;
        start = at + 1;
        if (data[at] == '\r' && start < data.size() && data[start] == '\n')
            ++start;
    }
    *p++ = '\n';
    out.truncate(p - out.constData());
    if (out.capacity() > out.size() + out.size() / 4 + 64)
        out.squeeze(); // grown for short lines: a stream's pending bytes count what it holds
    return out;
}

QByteArray formatSseComment(QByteArrayView text) {
    return ": " + text.toByteArray() + "\n\n";
}

} // namespace clusterra
