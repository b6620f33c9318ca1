#pragma once

#include "models/LogBuffer.h"

#include <QAbstractScrollArea>
#include <QTimer>

class QTextLayout;

namespace clusterra {

// A read-only view of a LogBuffer that lays out only the lines on screen, so a log of any
// length or speed costs the GUI thread the copy into the buffer plus one paint per frame.
// Scrolls by whole lines; follows the end until the user scrolls up (and again once they
// come back to the bottom); wrap or no wrap; mouse and keyboard selection, Copy, Select All
// and find. Lines longer than kPaintChars are shown cut with a note of what is left out;
// selection and copy still take all of them.
class LogView : public QAbstractScrollArea {
    Q_OBJECT
public:
    static constexpr qsizetype kPaintChars = 4096;

    explicit LogView(QWidget *parent = nullptr);

    const LogBuffer &buffer() const { return m_buffer; }
    void appendLines(QStringView text);
    void prependLines(QStringView text);
    void setOpenLine(const QString &line);
    void clear();

    bool isFollowing() const { return m_following; }
    void setFollowing(bool on);
    bool wraps() const { return m_wrap; }
    void setWrap(bool on);
    // The line shown at the top (with Wrap, its first `topRow()` rows may be scrolled off),
    // and whether line `index` is entirely on screen.
    qsizetype topLine() const;
    int topRow() const { return m_topRow; }
    bool isLineVisible(qsizetype index) const;
    // Scrolls by screen rows (a wrapped line is several), as the wheel and arrow keys do.
    void scrollRows(int rows);
    void clearSelection();

    // Selects the next (previous) match of `needle` after (before) the selection, wrapping
    // once, and scrolls to it. Returns the line of the match, -1 when there is none.
    qsizetype find(const QString &needle, bool backwards);
    QString selectedText() const;
    void selectAll();
    void copy() const;

Q_SIGNALS:
    // The user scrolled away from the end (false) or back to it (true).
    void followingChanged(bool following);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void focusInEvent(QFocusEvent *event) override;
    void focusOutEvent(QFocusEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    // A place in the text: a line by its number (see LogBuffer), so it survives lines
    // dropped above it, and a column in that line.
    struct Pos {
        qint64 line = -1;
        qsizetype column = 0;
        auto operator<=>(const Pos &) const = default;
    };
    // A scroll position: a line and how many of its rows are above the view.
    struct Top {
        qsizetype line = 0;
        int row = 0;
    };
    void scheduleRefresh();
    void refresh();
    void updateScrollBars(const Top &end);
    void setTop(Top top);
    void setTop(Top top, const Top &end); // `end`: bottomTop(), when the caller has it
    void setFollowingFromUser(bool on);
    bool atBottom() const;
    // The position that puts the last row of the last line at the bottom; its line is the
    // vertical scroll maximum.
    Top bottomTop() const;
    void autoScroll();
    int rowHeight() const;
    int visibleRows() const;
    int textWidth() const;
    void layoutLine(QTextLayout &layout, qsizetype index) const;
    int rowsOf(qsizetype index) const;
    Pos posAt(const QPoint &point) const;
    bool hasSelection() const { return m_anchor.line >= 0 && m_anchor != m_cursor; }

    LogBuffer m_buffer;
    QTimer m_refresh;
    qint64 m_shownFirst = 0; // the buffer's first line number when the scroll bars were set
    bool m_following = true;
    bool m_wrap = false;
    bool m_settingScroll = false;
    bool m_selecting = false;
    Pos m_anchor;
    Pos m_cursor;
    int m_topRow = 0;
    qreal m_widest = 0; // the widest line painted since the last clear, in pixels
    QTimer m_dragScroll;
    QPoint m_dragAt;
    qint64 m_doubleClickMs = 0; // when the last double-click was, for a triple-click
    int m_wheelRemainder = 0;   // a touchpad's part of a notch, kept for the next event
};

} // namespace clusterra
