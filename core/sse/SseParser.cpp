#include "core/sse/SseParser.h"

#include <QStringDecoder>

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
    qsizetype start = 0;
    if (!m_bomChecked) {
        // A BOM may itself arrive split over chunks: hold bytes until we can tell.
        m_line.append(bytes);
        bytes = {};
        if (m_line.size() < kBom.size() && kBom.startsWith(m_line))
            return out;
        m_bomChecked = true;
        QByteArray pending = m_line.startsWith(kBom) ? m_line.mid(kBom.size()) : m_line;
        m_line.clear();
        return feed(pending);
    }
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const char c = bytes[i];
        if (c == '\n' && m_afterCr) {
            // The LF of a CRLF whose CR ended the previous line.
            m_afterCr = false;
            start = i + 1;
            continue;
        }
        m_afterCr = false;
        if (c == '\r' || c == '\n') {
            m_line.append(bytes.sliced(start, i - start));
            processLine(m_line, out);
            m_line.clear();
            m_afterCr = (c == '\r');
            start = i + 1;
        }
    }
    m_line.append(bytes.sliced(start));
    return out;
}

void SseParser::reset() {
    m_line.clear();
    m_data.clear();
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
    if (field == "event") {
        m_eventType = exactUtf8(value);
    } else if (field == "data") {
        m_data += exactUtf8(value);
        m_data += QLatin1Char('\n');
        m_dataSeen = true;
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
        m_data.clear();
        m_eventType.clear();
        return;
    }
    SseEvent ev;
    if (!m_eventType.isEmpty())
        ev.type = m_eventType;
    m_data.chop(1); // the LF appended after the last data line
    ev.data = m_data;
    ev.lastEventId = m_lastEventId;
    out.append(ev);
    m_data.clear();
    m_eventType.clear();
    m_dataSeen = false;
}

QByteArray formatSseEvent(const QString &type, const QString &id, QByteArrayView data) {
    QByteArray out;
    out.reserve(data.size() + 64);
    if (!type.isEmpty())
        out += "event: " + type.toUtf8() + '\n';
    if (!id.isEmpty())
        out += "id: " + id.toUtf8() + '\n';
    qsizetype start = 0;
    for (qsizetype i = 0; i <= data.size(); ++i) {
        const bool end = i == data.size();
        const char c = end ? '\n' : data[i];
        if (c != '\n' && c != '\r')
            continue;
        out += "data: ";
        out.append(data.sliced(start, i - start));
        out += '\n';
        if (!end && c == '\r' && i + 1 < data.size() && data[i + 1] == '\n')
            ++i;
        start = i + 1;
    }
    out += '\n';
    return out;
}

QByteArray formatSseComment(QByteArrayView text) {
    return ": " + text.toByteArray() + "\n\n";
}

} // namespace clusterra
