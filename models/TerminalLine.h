#pragma once

#include <QString>

namespace clusterra {

// Output as a terminal shows it: a carriage return moves back to the start of the line and
// what follows overwrites it, so the progress bars of tqdm, wget or rsync read as their last
// state rather than as a line per update. Holds the line still being written; completed
// lines are handed back. A line longer than kMaxLineChars is broken there, as a terminal
// wraps it, so a job writing without newlines cannot grow the line without bound.
class TerminalLine {
public:
    static constexpr qsizetype kMaxLineChars = 1024 * 1024;

    // Feeds text; returns the lines it completed, each with its '\n' (CRLF ends a line too).
    QString feed(QStringView text);
    // The line being written, as a terminal would show it now.
    const QString &current() const { return m_line; }
    // True when the next text simply goes at the end (no carriage return pending).
    bool atEnd() const { return m_column == m_line.size(); }
    void clear();

private:
    QString m_line;
    qsizetype m_column = 0;
};

// Every line of `text` as a terminal would show it (a last line without '\n' included).
QString foldCarriageReturns(QStringView text);

} // namespace clusterra
