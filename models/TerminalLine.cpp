#include "models/TerminalLine.h"

namespace clusterra {

QString TerminalLine::feed(QStringView text) {
    if (atEnd() && !text.contains(QLatin1Char('\r'))) { // the usual case, in bulk
        const qsizetype lf = text.lastIndexOf(QLatin1Char('\n'));
        QString done;
        if (lf >= 0) {
            done = m_line + text.first(lf + 1);
            m_line = text.sliced(lf + 1).toString();
        } else {
            m_line += text;
        }
        while (m_line.size() > kMaxLineChars) {
            done += QStringView(m_line).first(kMaxLineChars) + QLatin1Char('\n');
            m_line.remove(0, kMaxLineChars);
        }
        m_column = m_line.size();
        return done;
    }
    QString done;
    for (const QChar c : text) {
        if (c == QLatin1Char('\n')) {
            done += m_line;
            done += QLatin1Char('\n');
            m_line.clear();
            m_column = 0;
        } else if (c == QLatin1Char('\r')) {
            m_column = 0;
        } else if (m_column < m_line.size()) {
            m_line[m_column++] = c;
        } else if (m_line.size() < kMaxLineChars) {
            m_line += c;
            ++m_column;
        } else {
            done += m_line + QLatin1Char('\n');
            m_line = c;
            m_column = 1;
        }
    }
    return done;
}

void TerminalLine::clear() {
    m_line.clear();
    m_column = 0;
}

QString foldCarriageReturns(QStringView text) {
    if (!text.contains(QLatin1Char('\r')))
        return text.toString();
    TerminalLine line;
    QString out = line.feed(text);
    return out + line.current();
}

} // namespace clusterra
