#include "widgets/LogView.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QDateTime>
#include <QKeyEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QTextLayout>
#include <QWheelEvent>

namespace clusterra {

namespace {
constexpr int kMargin = 4;
} // namespace

LogView::LogView(QWidget *parent)
    : QAbstractScrollArea(parent) {
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setCursor(Qt::IBeamCursor);
    viewport()->setBackgroundRole(QPalette::Base);
    m_refresh.setSingleShot(true);
    m_refresh.setInterval(0);
    connect(&m_refresh, &QTimer::timeout, this, &LogView::refresh);
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        if (m_settingScroll)
            return;
        // The user moved the bar: a line's first row, or the very end at the bottom.
        const Top end = bottomTop();
        m_topRow = value >= verticalScrollBar()->maximum() ? end.row : 0;
        setFollowingFromUser(atBottom());
        viewport()->update();
    });
    m_dragScroll.setInterval(40);
    connect(&m_dragScroll, &QTimer::timeout, this, &LogView::autoScroll);
}

void LogView::appendLines(QStringView text) {
    m_buffer.appendLines(text);
    scheduleRefresh();
}

void LogView::prependLines(QStringView text) {
    m_buffer.prependLines(text);
    scheduleRefresh();
}

void LogView::setOpenLine(const QString &line) {
    if (line == m_buffer.openLine())
        return;
    m_buffer.setOpenLine(line);
    scheduleRefresh();
}

void LogView::clear() {
    m_buffer.clear();
    m_shownFirst = 0;
    m_anchor = m_cursor = {};
    m_topRow = 0;
    m_widest = 0;
    setFollowingFromUser(true);
    refresh();
}

void LogView::clearSelection() {
    m_anchor = m_cursor = {};
    viewport()->update();
}

void LogView::setFollowing(bool on) {
    m_following = on;
    if (on)
        refresh();
}

void LogView::setWrap(bool on) {
    if (m_wrap == on)
        return;
    m_wrap = on;
    m_topRow = 0;
    refresh();
}

void LogView::scheduleRefresh() {
    // Many appends in one pass of the event loop (a burst of events) cost one refresh.
    if (!m_refresh.isActive())
        m_refresh.start();
}

void LogView::refresh() {
    m_refresh.stop();
    // Lines dropped at the top (or loaded before it) move what is on screen: keep the same
    // lines there unless following the end.
    const qint64 moved = m_buffer.firstNumber() - m_shownFirst;
    m_shownFirst = m_buffer.firstNumber();
    const qsizetype top = verticalScrollBar()->value();
    const int row = m_topRow;
    // With Wrap, finding the end lays out the last screenful: once per refresh.
    const Top end = bottomTop();
    updateScrollBars(end);
    if (m_following)
        setTop(end, end);
    else if (top - moved < 0) // the line at the top was dropped
        setTop({0, 0}, end);
    else
        setTop({top - moved, row}, end);
    viewport()->update();
}

void LogView::updateScrollBars(const Top &end) {
    m_settingScroll = true;
    QScrollBar *v = verticalScrollBar();
    v->setRange(0, int(end.line));
    v->setPageStep(visibleRows());
    v->setSingleStep(1);
    QScrollBar *h = horizontalScrollBar();
    if (m_wrap) {
        h->setRange(0, 0);
    } else {
        // An estimate from the longest line (and the note a cut one gets), raised to what
        // painting has measured: wide characters take two cells.
        const qsizetype longest = m_buffer.longestLine();
        const qsizetype chars = qMin(longest, kPaintChars) + (longest > kPaintChars ? 64 : 0);
        const qreal wide =
            qMax(m_widest, qreal(chars * fontMetrics().horizontalAdvance(QLatin1Char('M'))));
        h->setRange(0, qMax(0, int(wide) + 2 * kMargin - viewport()->width()));
        h->setPageStep(viewport()->width());
        h->setSingleStep(fontMetrics().horizontalAdvance(QLatin1Char('M')) * 4);
    }
    m_settingScroll = false;
}

void LogView::setTop(Top top) {
    setTop(top, bottomTop());
}

void LogView::setTop(Top top, const Top &end) {
    m_settingScroll = true;
    verticalScrollBar()->setValue(int(top.line));
    m_settingScroll = false;
    const qsizetype line = topLine();
    m_topRow = !m_wrap            ? 0
               : line >= end.line ? qMin(top.row, end.row)
                                  : qBound(0, top.row, rowsOf(line) - 1);
}

bool LogView::atBottom() const {
    const Top end = bottomTop();
    return topLine() >= end.line && m_topRow >= end.row;
}

void LogView::scrollRows(int rows) {
    Top at{topLine(), m_topRow};
    const qsizetype count = m_buffer.lineCount();
    if (!m_wrap) {
        at.line = qBound<qsizetype>(0, at.line + rows, qMax<qsizetype>(0, count - 1));
    } else if (rows > 0) {
        const Top end = bottomTop();
        while (rows > 0 && (at.line < end.line || at.row < end.row)) {
            const int r = rowsOf(at.line);
            const int step = qMin(rows, r - at.row);
            at.row += step;
            rows -= step;
            if (at.row >= r && at.line + 1 < count) {
                ++at.line;
                at.row = 0;
            } else if (at.row >= r) {
                at.row = r - 1;
                break;
            }
        }
    } else {
        while (rows < 0 && (at.line > 0 || at.row > 0)) {
            if (at.row == 0) {
                --at.line;
                at.row = rowsOf(at.line);
            }
            const int step = qMin(-rows, at.row);
            at.row -= step;
            rows += step;
        }
    }
    setTop(at);
    setFollowingFromUser(atBottom());
    viewport()->update();
}

void LogView::setFollowingFromUser(bool on) {
    if (m_following == on)
        return;
    m_following = on;
    Q_EMIT followingChanged(on);
}

int LogView::rowHeight() const {
    return qMax(1, fontMetrics().lineSpacing());
}

int LogView::visibleRows() const {
    return qMax(1, (viewport()->height() - kMargin) / rowHeight());
}

int LogView::textWidth() const {
    return qMax(1, viewport()->width() - 2 * kMargin);
}

qsizetype LogView::topLine() const {
    const qsizetype last = qMax<qsizetype>(0, m_buffer.lineCount() - 1);
    return qBound(qsizetype(0), qsizetype(verticalScrollBar()->value()), last);
}

LogView::Top LogView::bottomTop() const {
    const qsizetype count = m_buffer.lineCount();
    const int rows = visibleRows();
    if (!m_wrap)
        return {qMax<qsizetype>(0, count - rows), 0};
    // From the last line up, until the view is full: the line where it fills may show only
    // its last rows.
    int used = 0;
    for (qsizetype line = count - 1; line >= 0; --line) {
        const int r = rowsOf(line);
        if (used + r >= rows)
            return {line, used + r - rows};
        used += r;
    }
    return {0, 0};
}

void LogView::layoutLine(QTextLayout &layout, qsizetype index) const {
    const QStringView text = m_buffer.line(index);
    QString shown = text.first(qMin(text.size(), kPaintChars)).toString();
    if (text.size() > kPaintChars)
        shown += tr("  ⋯ %n more character(s), in Copy and Save", "",
                    int(qMin<qsizetype>(text.size() - kPaintChars, INT_MAX)));
    layout.setText(shown);
    layout.setFont(font());
    QTextOption option;
    option.setWrapMode(m_wrap ? QTextOption::WrapAtWordBoundaryOrAnywhere : QTextOption::NoWrap);
    option.setTabStopDistance(8 * fontMetrics().horizontalAdvance(QLatin1Char(' ')));
    layout.setTextOption(option);
    layout.beginLayout();
    const int h = rowHeight();
    int y = 0;
    for (QTextLine line = layout.createLine(); line.isValid(); line = layout.createLine()) {
        line.setLineWidth(m_wrap ? textWidth() : 1e6);
        line.setPosition(QPointF(0, y));
        y += h;
    }
    layout.endLayout();
}

int LogView::rowsOf(qsizetype index) const {
    if (!m_wrap)
        return 1;
    QTextLayout layout;
    layoutLine(layout, index);
    return qMax(1, layout.lineCount());
}

bool LogView::isLineVisible(qsizetype index) const {
    const qsizetype top = topLine();
    if (index < top || index >= m_buffer.lineCount() || (index == top && m_topRow > 0))
        return false;
    int rows = -m_topRow;
    for (qsizetype i = top; i <= index && rows <= visibleRows(); ++i)
        rows += rowsOf(i);
    return rows <= visibleRows();
}

void LogView::paintEvent(QPaintEvent *) {
    if (m_refresh.isActive())
        refresh();
    QPainter painter(viewport());
    const QPalette &pal = palette();
    painter.fillRect(viewport()->rect(), pal.base());
    painter.setPen(pal.text().color());
    const int h = rowHeight();
    const qreal x = kMargin - horizontalScrollBar()->value();
    const qsizetype count = m_buffer.lineCount();
    const Pos from = qMin(m_anchor, m_cursor);
    const Pos to = qMax(m_anchor, m_cursor);
    QTextCharFormat selected;
    selected.setBackground(pal.highlight());
    selected.setForeground(pal.highlightedText());
    int y = -m_topRow * h;
    qreal widest = m_widest;
    for (qsizetype i = topLine(); i < count && y < viewport()->height(); ++i) {
        QTextLayout layout;
        layoutLine(layout, i);
        if (!m_wrap && layout.lineCount() > 0)
            widest = qMax(widest, layout.lineAt(0).naturalTextWidth());
        QList<QTextLayout::FormatRange> ranges;
        const qint64 number = m_buffer.firstNumber() + i;
        if (hasSelection() && number >= from.line && number <= to.line) {
            const qsizetype shown = qMin(m_buffer.line(i).size(), kPaintChars);
            const qsizetype a = number == from.line ? qMin(from.column, shown) : 0;
            const qsizetype b = number == to.line ? qMin(to.column, shown) : shown;
            if (b > a)
                ranges.append({int(a), int(b - a), selected});
            else if (number != to.line) // an empty line inside the selection
                painter.fillRect(QRectF(x, y, fontMetrics().horizontalAdvance(QLatin1Char(' ')), h),
                                 pal.highlight());
        }
        layout.draw(&painter, QPointF(x, y), ranges);
        y += h * qMax(1, layout.lineCount());
    }
    if (hasFocus()) {
        // The view has no cursor to show where the keys go: a frame in the focus colour.
        painter.setPen(QPen(pal.highlight().color(), 2));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(viewport()->rect().adjusted(1, 1, -1, -1));
    }
    if (widest > m_widest + 1) {
        // A line wider than the estimate (wide characters): let the bar reach its end.
        m_widest = widest;
        scheduleRefresh();
    }
}

LogView::Pos LogView::posAt(const QPoint &point) const {
    const qsizetype count = m_buffer.lineCount();
    if (count == 0)
        return {};
    const qint64 first = m_buffer.firstNumber();
    const int h = rowHeight();
    const qsizetype top = topLine();
    if (point.y() < 0)
        return {first + qMax<qsizetype>(0, top - 1), 0};
    const qreal x = point.x() - kMargin + horizontalScrollBar()->value();
    int y = -m_topRow * h;
    for (qsizetype i = top; i < count; ++i) {
        QTextLayout layout;
        layoutLine(layout, i);
        const int rows = qMax(1, layout.lineCount());
        const qsizetype length = m_buffer.line(i).size();
        const bool last = i == count - 1 || y + rows * h > viewport()->height() + h;
        if (point.y() < y + rows * h || last) {
            if (point.y() >= y + rows * h) // below the last line: its end
                return {first + i, length};
            const QTextLine line = layout.lineAt(qBound(0, (point.y() - y) / h, rows - 1));
            const qsizetype column = line.isValid() ? line.xToCursor(x) : 0;
            return {first + i, qMin(column, qMin(length, kPaintChars))};
        }
        y += rows * h;
    }
    return {first + count - 1, m_buffer.line(count - 1).size()};
}

QString LogView::selectedText() const {
    if (!hasSelection())
        return {};
    const Pos a = qMin(m_anchor, m_cursor);
    const Pos b = qMax(m_anchor, m_cursor);
    const qint64 first = m_buffer.firstNumber();
    const qint64 last = first + m_buffer.lineCount() - 1;
    QString out;
    for (qint64 n = qMax(a.line, first); n <= qMin(b.line, last); ++n) {
        const QStringView text = m_buffer.line(qsizetype(n - first));
        const qsizetype s = n == a.line ? qMin(a.column, text.size()) : 0;
        const qsizetype e = n == b.line ? qMin(b.column, text.size()) : text.size();
        out += text.sliced(s, qMax<qsizetype>(0, e - s));
        if (n != b.line)
            out += QLatin1Char('\n');
    }
    return out;
}

void LogView::selectAll() {
    const qsizetype count = m_buffer.lineCount();
    if (count == 0)
        return;
    m_anchor = {m_buffer.firstNumber(), 0};
    m_cursor = {m_buffer.firstNumber() + count - 1, m_buffer.line(count - 1).size()};
    viewport()->update();
}

void LogView::copy() const {
    if (hasSelection())
        QApplication::clipboard()->setText(selectedText());
}

qsizetype LogView::find(const QString &needle, bool backwards) {
    const qint64 first = m_buffer.firstNumber();
    qsizetype line = -1;
    qsizetype column = -1;
    if (m_anchor.line >= first) {
        const Pos at = qMin(m_anchor, m_cursor);
        line = qsizetype(at.line - first);
        column = at.column;
    } else if (!backwards) {
        line = topLine();
    }
    const LogBuffer::Match match = m_buffer.find(needle, line, column, backwards);
    if (match.line < 0)
        return -1;
    m_anchor = {first + match.line, match.column};
    m_cursor = {first + match.line, match.column + needle.size()};
    if (!isLineVisible(match.line))
        setTop({qMax<qsizetype>(0, match.line - visibleRows() / 3), 0});
    // The user is reading a match: new output must not scroll it away.
    setFollowingFromUser(false);
    viewport()->update();
    return match.line;
}

void LogView::resizeEvent(QResizeEvent *event) {
    QAbstractScrollArea::resizeEvent(event);
    refresh();
}

void LogView::changeEvent(QEvent *event) {
    QAbstractScrollArea::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange)
        refresh();
}

void LogView::scrollContentsBy(int, int) {
    viewport()->update();
}

void LogView::keyPressEvent(QKeyEvent *event) {
    if (event == QKeySequence::Copy) {
        copy();
    } else if (event == QKeySequence::SelectAll) {
        selectAll();
    } else if (event->key() == Qt::Key_Home) {
        setTop({0, 0});
        setFollowingFromUser(atBottom());
        viewport()->update();
    } else if (event->key() == Qt::Key_End) {
        setTop(bottomTop());
        setFollowingFromUser(true);
        viewport()->update();
    } else if (event->key() == Qt::Key_Up || event->key() == Qt::Key_Down) {
        scrollRows(event->key() == Qt::Key_Up ? -1 : 1);
    } else if (event == QKeySequence::MoveToPreviousPage || event == QKeySequence::MoveToNextPage) {
        const int page = qMax(1, visibleRows() - 1);
        scrollRows(event == QKeySequence::MoveToPreviousPage ? -page : page);
    } else {
        QAbstractScrollArea::keyPressEvent(event);
        return;
    }
    event->accept();
}

void LogView::mousePressEvent(QMouseEvent *event) {
    if (event->button() != Qt::LeftButton) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    const Pos at = posAt(event->position().toPoint());
    if (m_doubleClickMs > 0 &&
        QDateTime::currentMSecsSinceEpoch() - m_doubleClickMs <
            QApplication::doubleClickInterval() &&
        at.line >= 0) {
        // A third click: the whole line.
        m_doubleClickMs = 0;
        m_anchor = {at.line, 0};
        m_cursor = {at.line, m_buffer.line(qsizetype(at.line - m_buffer.firstNumber())).size()};
        viewport()->update();
        return;
    }
    if (!(event->modifiers() & Qt::ShiftModifier) || m_anchor.line < 0)
        m_anchor = at;
    m_cursor = at;
    m_selecting = true;
    viewport()->update();
}

void LogView::mouseMoveEvent(QMouseEvent *event) {
    if (!m_selecting || !(event->buttons() & Qt::LeftButton))
        return;
    m_dragAt = event->position().toPoint();
    // Held past an edge, the view keeps scrolling, faster the further out, as text views do.
    if (m_dragAt.y() < 0 || m_dragAt.y() > viewport()->height()) {
        if (!m_dragScroll.isActive())
            m_dragScroll.start();
    } else {
        m_dragScroll.stop();
    }
    m_cursor = posAt(m_dragAt);
    viewport()->update();
}

void LogView::autoScroll() {
    if (!m_selecting) {
        m_dragScroll.stop();
        return;
    }
    const int past = m_dragAt.y() < 0 ? m_dragAt.y() : qMax(0, m_dragAt.y() - viewport()->height());
    if (past == 0)
        return;
    scrollRows((past < 0 ? -1 : 1) * qBound(1, qAbs(past) / rowHeight() + 1, 20));
    m_cursor = posAt(m_dragAt);
}

void LogView::mouseReleaseEvent(QMouseEvent *event) {
    if (event->button() != Qt::LeftButton)
        return;
    m_selecting = false;
    m_dragScroll.stop();
    QClipboard *clipboard = QApplication::clipboard();
    if (hasSelection() && clipboard->supportsSelection())
        clipboard->setText(selectedText(), QClipboard::Selection);
}

void LogView::mouseDoubleClickEvent(QMouseEvent *event) {
    const Pos at = posAt(event->position().toPoint());
    if (at.line < 0)
        return;
    const QStringView text = m_buffer.line(qsizetype(at.line - m_buffer.firstNumber()));
    const auto inWord = [&](qsizetype i) {
        return i >= 0 && i < text.size() &&
               (text[i].isLetterOrNumber() || text[i] == QLatin1Char('_'));
    };
    qsizetype s = at.column;
    qsizetype e = at.column;
    while (inWord(s - 1))
        --s;
    while (inWord(e))
        ++e;
    m_anchor = {at.line, s};
    m_cursor = {at.line, e};
    m_selecting = false;
    m_doubleClickMs = QDateTime::currentMSecsSinceEpoch();
    viewport()->update();
}

void LogView::wheelEvent(QWheelEvent *event) {
    if (event->modifiers() & Qt::ShiftModifier || event->angleDelta().x() != 0) {
        QAbstractScrollArea::wheelEvent(event); // sideways
        return;
    }
    // By rows, so a wrapped line taller than the view can be read through.
    m_wheelRemainder += event->angleDelta().y();
    const int notches = m_wheelRemainder / 120;
    m_wheelRemainder -= notches * 120;
    if (notches != 0)
        scrollRows(-notches * QApplication::wheelScrollLines());
    event->accept();
}

void LogView::focusInEvent(QFocusEvent *event) {
    QAbstractScrollArea::focusInEvent(event);
    viewport()->update();
}

void LogView::focusOutEvent(QFocusEvent *event) {
    QAbstractScrollArea::focusOutEvent(event);
    viewport()->update();
}

void LogView::contextMenuEvent(QContextMenuEvent *event) {
    auto *menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    QAction *copyAction = menu->addAction(tr("&Copy"), this, &LogView::copy);
    copyAction->setShortcut(QKeySequence::Copy);
    copyAction->setEnabled(hasSelection());
    QAction *all = menu->addAction(tr("Select &All"), this, &LogView::selectAll);
    all->setShortcut(QKeySequence::SelectAll);
    all->setEnabled(m_buffer.lineCount() > 0);
    menu->popup(event->globalPos());
}

} // namespace clusterra
