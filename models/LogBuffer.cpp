#include "models/LogBuffer.h"

#include <algorithm>
#include <limits>

namespace clusterra {

namespace {
// Small enough that the block dropped or kept half-used at the top costs little memory,
// large enough that a 200,000-line view is a few dozen blocks.
constexpr qsizetype kBlockLines = 4096;
constexpr qsizetype kBlockChars = 512 * 1024;
} // namespace

LogBuffer::LogBuffer(qsizetype maxLines, qsizetype maxChars)
    : m_maxLines(qMax<qsizetype>(1, maxLines))
    , m_maxChars(qMax<qsizetype>(1, maxChars)) {}

void LogBuffer::clear() {
    m_blocks.clear();
    m_open.clear();
    m_first = 0;
    m_lines = 0;
    m_chars = 0;
    m_dropped = 0;
    m_longest = 0;
}

void LogBuffer::appendLines(QStringView text) {
    const qsizetype lastLf = text.lastIndexOf(QLatin1Char('\n'));
    if (lastLf < 0)
        return;
    text = text.first(lastLf + 1);
    qsizetype pos = 0;
    while (pos < text.size()) {
        if (m_blocks.empty() || qsizetype(m_blocks.back().ends.size()) >= kBlockLines ||
            m_blocks.back().text.size() >= kBlockChars) {
            Block fresh;
            fresh.first = m_first + m_lines;
            m_blocks.push_back(std::move(fresh));
        }
        Block &block = m_blocks.back();
        // One copy per run of lines that fits the block; the scan for line ends is the only
        // per-line work.
        const qsizetype runStart = pos;
        const qsizetype base = block.text.size();
        qsizetype room = kBlockLines - qsizetype(block.ends.size());
        while (pos < text.size() && room > 0 &&
               (pos == runStart || base + (pos - runStart) < kBlockChars)) {
            const qsizetype lf = text.indexOf(QLatin1Char('\n'), pos);
            const qsizetype length = lf + 1 - pos;
            pos = lf + 1;
            block.ends.push_back(base + (pos - runStart));
            m_longest = qMax(m_longest, length - 1);
            ++m_lines;
            m_chars += length;
            --room;
        }
        block.text.append(text.sliced(runStart, pos - runStart));
    }
    trim();
}

void LogBuffer::prependLines(QStringView text) {
    if (text.isEmpty())
        return;
    QString owned;
    if (!text.endsWith(QLatin1Char('\n'))) {
        owned = text.toString() + QLatin1Char('\n');
        text = owned;
    }
    // Build the new blocks on their own, then put them in front, so numbering stays simple.
    LogBuffer front(std::numeric_limits<qsizetype>::max(), std::numeric_limits<qsizetype>::max());
    front.appendLines(text);
    const qint64 shift = m_first - front.m_lines;
    for (auto it = front.m_blocks.rbegin(); it != front.m_blocks.rend(); ++it) {
        it->first += shift;
        m_blocks.push_front(std::move(*it));
    }
    m_first -= front.m_lines;
    m_lines += front.m_lines;
    m_chars += front.m_chars;
    m_longest = qMax(m_longest, front.m_longest);
    trim();
}

void LogBuffer::trim() {
    while (m_lines > 0 && (m_lines > m_maxLines || m_chars > m_maxChars)) {
        Block &block = m_blocks.front();
        const qsizetype k = block.skip;
        m_chars -= block.ends[size_t(k)] - block.start(k);
        ++block.skip;
        ++m_first;
        --m_lines;
        ++m_dropped;
        if (block.count() == 0)
            m_blocks.pop_front();
    }
}

qsizetype LogBuffer::blockOf(qint64 number) const {
    const auto it = std::upper_bound(m_blocks.begin(), m_blocks.end(), number,
                                     [](qint64 n, const Block &b) { return n < b.first; });
    return qsizetype(it - m_blocks.begin()) - 1;
}

QStringView LogBuffer::line(qsizetype index) const {
    if (index == m_lines)
        return m_open;
    if (index < 0 || index > m_lines)
        return {};
    const qint64 number = m_first + index;
    const Block &block = m_blocks[size_t(blockOf(number))];
    const qsizetype k = qsizetype(number - block.first);
    const qsizetype start = block.start(k);
    return QStringView(block.text).sliced(start, block.ends[size_t(k)] - 1 - start);
}

QString LogBuffer::text() const {
    QString out;
    out.reserve(m_chars + m_open.size());
    for (const Block &block : m_blocks)
        out += QStringView(block.text).sliced(block.start(block.skip));
    out += m_open;
    return out;
}

LogBuffer::Match LogBuffer::find(QStringView needle, qsizetype line, qsizetype column,
                                 bool backwards) const {
    const qsizetype count = lineCount();
    if (needle.isEmpty() || count == 0)
        return {};
    if (line < 0 || line >= count) {
        line = backwards ? count - 1 : 0;
        column = backwards ? std::numeric_limits<qsizetype>::max() / 2 : -1;
    }
    // Every line once, then the starting line again for the part before (after) the start.
    for (qsizetype step = 0; step <= count; ++step) {
        const qsizetype at =
            backwards ? (line - step % count + count) % count : (line + step) % count;
        const QStringView text = this->line(at);
        qsizetype hit = -1;
        if (backwards) {
            const qsizetype from = step == 0 ? column - 1 : text.size();
            if (from >= 0)
                hit = text.lastIndexOf(needle, qMin(from, text.size()), Qt::CaseInsensitive);
        } else {
            const qsizetype from = step == 0 ? column + 1 : 0;
            if (from <= text.size())
                hit = text.indexOf(needle, from, Qt::CaseInsensitive);
        }
        if (hit >= 0)
            return {at, hit};
    }
    return {};
}

} // namespace clusterra
