#include "widgets/LogView.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QKeyEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QTextLayout>

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
        if (!m_settingScroll)
            setFollowingFromUser(value >= verticalScrollBar()->maximum());
    });
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
    m_following = true;
    refresh();
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
    updateScrollBars();
    setTop(m_following ? bottomTop() : qMax<qsizetype>(0, top - moved));
    viewport()->update();
}

void LogView::updateScrollBars() {
    m_settingScroll = true;
    QScrollBar *v = verticalScrollBar();
    v->setRange(0, int(bottomTop()));
    v->setPageStep(visibleRows());
    v->setSingleStep(1);
    QScrollBar *h = horizontalScrollBar();
    if (m_wrap) {
        h->setRange(0, 0);
    } else {
        const qsizetype chars = qMin(m_buffer.longestLine(), kPaintChars + 32);
        const qint64 wide = chars * fontMetrics().horizontalAdvance(QLatin1Char('M'));
        h->setRange(0, int(qMax<qint64>(0, wide + 2 * kMargin - viewport()->width())));
        h->setPageStep(viewport()->width());
        h->setSingleStep(fontMetrics().horizontalAdvance(QLatin1Char('M')) * 4);
    }
    m_settingScroll = false;
}

void LogView::setTop(qsizetype index) {
    m_settingScroll = true;
    verticalScrollBar()->setValue(int(index));
    m_settingScroll = false;
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

qsizetype LogView::bottomTop() const {
    const qsizetype count = m_buffer.lineCount();
    const int rows = visibleRows();
    if (!m_wrap)
        return qMax<qsizetype>(0, count - rows);
    int used = 0;
    qsizetype top = count;
    while (top > 0) {
        const int r = rowsOf(top - 1);
        if (used > 0 && used + r > rows)
            break;
        used += r;
        --top;
    }
    return qMin(top, qMax<qsizetype>(0, count - 1));
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
    if (index < top || index >= m_buffer.lineCount())
        return false;
    int rows = 0;
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
    int y = 0;
    for (qsizetype i = topLine(); i < count && y < viewport()->height(); ++i) {
        QTextLayout layout;
        layoutLine(layout, i);
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
    int y = 0;
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
    if (!isLineVisible(match.line)) {
        setTop(qMax<qsizetype>(0, match.line - visibleRows() / 3));
        setFollowingFromUser(verticalScrollBar()->value() >= verticalScrollBar()->maximum());
    }
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
        verticalScrollBar()->setValue(0);
    } else if (event->key() == Qt::Key_End) {
        verticalScrollBar()->setValue(verticalScrollBar()->maximum());
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
    if (!(event->modifiers() & Qt::ShiftModifier) || m_anchor.line < 0)
        m_anchor = at;
    m_cursor = at;
    m_selecting = true;
    viewport()->update();
}

void LogView::mouseMoveEvent(QMouseEvent *event) {
    if (!m_selecting || !(event->buttons() & Qt::LeftButton))
        return;
    const QPoint at = event->position().toPoint();
    // Dragging past an edge scrolls, a line per move, as text views do.
    if (at.y() < 0)
        verticalScrollBar()->setValue(verticalScrollBar()->value() - 1);
    else if (at.y() > viewport()->height())
        verticalScrollBar()->setValue(verticalScrollBar()->value() + 1);
    m_cursor = posAt(at);
    viewport()->update();
}

void LogView::mouseReleaseEvent(QMouseEvent *event) {
    if (event->button() != Qt::LeftButton)
        return;
    m_selecting = false;
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
