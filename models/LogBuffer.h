#pragma once

#include <QString>
#include <QStringView>

#include <deque>
#include <vector>

namespace clusterra {

// The lines of a log as the log view shows them: the newest `maxLines` lines (and at most
// `maxChars` characters), kept in blocks of a few thousand lines so that appending is a copy
// and a scan for line ends, and dropping the oldest lines frees whole blocks. A text document
// does far more per line (layout, undo, a block object), which caps it at some thousands of
// lines a second; this takes millions.
//
// Lines have a number that never changes while they are held (`firstNumber()` is the number
// of line 0), so a position survives old lines being dropped above it. The line still being
// written (no newline yet) is the open line, shown last and counted when not empty.
class LogBuffer {
public:
    static constexpr qsizetype kDefaultMaxLines = 200000;
    static constexpr qsizetype kDefaultMaxChars = 16 * 1024 * 1024;

    explicit LogBuffer(qsizetype maxLines = kDefaultMaxLines,
                       qsizetype maxChars = kDefaultMaxChars);

    // Appends complete lines: everything up to the last '\n' of `text` (a rest after it is
    // ignored; it belongs in the open line).
    void appendLines(QStringView text);
    // Puts lines before the first one: `text` is whole lines, its last line may lack '\n'.
    void prependLines(QStringView text);
    void setOpenLine(const QString &line) { m_open = line; }
    const QString &openLine() const { return m_open; }
    void clear();

    // Lines held, the open line included when it is not empty.
    qsizetype lineCount() const { return m_lines + (m_open.isEmpty() ? 0 : 1); }
    // Line `index` (0 = the oldest held) without its '\n'.
    QStringView line(qsizetype index) const;
    qint64 firstNumber() const { return m_first; }
    // Characters held, line ends included; never above maxChars once appending returns.
    qsizetype charCount() const { return m_chars; }
    qsizetype maxLines() const { return m_maxLines; }
    qsizetype maxChars() const { return m_maxChars; }
    // Lines dropped at the top since the last clear.
    qint64 droppedLines() const { return m_dropped; }
    // The length of the longest line held since the last clear.
    qsizetype longestLine() const { return m_longest; }
    // Every line held, each ending with '\n' but the open line.
    QString text() const;

    struct Match {
        qsizetype line = -1;
        qsizetype column = -1;
    };
    // The first match of `needle` after (or, backwards, before) line `line` column `column`,
    // case-insensitive; wraps around once. {-1,-1} when there is none.
    Match find(QStringView needle, qsizetype line, qsizetype column, bool backwards) const;

private:
    struct Block {
        QString text;
        std::vector<qsizetype> ends; // offset just past each line's '\n'
        qint64 first = 0;            // number of line 0 of the block
        qsizetype skip = 0;          // lines dropped at the front of the block
        qsizetype count() const { return qsizetype(ends.size()) - skip; }
        qsizetype start(qsizetype k) const { return k == 0 ? 0 : ends[size_t(k - 1)]; }
    };
    void trim();
    qsizetype blockOf(qint64 number) const;

    std::deque<Block> m_blocks;
    QString m_open;
    qint64 m_first = 0; // number of line 0
    qsizetype m_lines = 0;
    qsizetype m_chars = 0;
    qint64 m_dropped = 0;
    qsizetype m_longest = 0;
    qsizetype m_maxLines;
    qsizetype m_maxChars;
};

} // namespace clusterra
