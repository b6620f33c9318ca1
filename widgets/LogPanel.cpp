#include "widgets/LogPanel.h"

#include "models/JobLogFeed.h"

#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QShortcut>
#include <QTextBlock>
#include <QToolButton>
#include <QVBoxLayout>

namespace clusterra {

LogPanel::LogPanel(ApiClient *api, QWidget *parent)
    : QWidget(parent)
    , m_api(api)
    , m_feed(new JobLogFeed(api, this)) {
    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    m_title = new QLabel(tr("No job selected — choose “View log” on a job."), this);
    m_title->setObjectName(QStringLiteral("logTitle"));
    top->addWidget(m_title, 1);
    m_tail = new QComboBox(this);
    m_tail->setObjectName(QStringLiteral("logTail"));
    m_tail->setAccessibleName(tr("How much of the log to show"));
    m_tail->addItem(tr("Last 100 lines"), 100);
    m_tail->addItem(tr("Last 1,000 lines"), 1000);
    m_tail->addItem(tr("Last 10,000 lines"), 10000);
    m_tail->addItem(tr("Whole log"), -1);
    m_tail->setCurrentIndex(1);
    connect(m_tail, &QComboBox::currentIndexChanged, this, &LogPanel::restart);
    top->addWidget(m_tail);
    m_follow = new QCheckBox(tr("Follow"), this);
    m_follow->setObjectName(QStringLiteral("logFollow"));
    m_follow->setToolTip(tr("Keep the newest output in view; scrolling up pauses it"));
    m_follow->setChecked(true);
    top->addWidget(m_follow);
    m_wrap = new QCheckBox(tr("Wrap"), this);
    m_wrap->setObjectName(QStringLiteral("logWrap"));
    top->addWidget(m_wrap);
    m_earlier = new QPushButton(tr("Load earlier"), this);
    m_earlier->setObjectName(QStringLiteral("logEarlier"));
    m_earlier->setToolTip(tr("Fetch the output before what is shown"));
    connect(m_earlier, &QPushButton::clicked, m_feed, [this] { m_feed->loadEarlier(); });
    top->addWidget(m_earlier);
    auto *save = new QPushButton(tr("Save…"), this);
    save->setObjectName(QStringLiteral("logSave"));
    save->setToolTip(tr("Save the whole output to a file"));
    connect(save, &QPushButton::clicked, this, [this] {
        if (m_job.jobId == 0)
            return;
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Save job output"), QStringLiteral("job_%1.out").arg(m_job.jobId));
        if (!path.isEmpty())
            m_feed->saveTo(path);
    });
    top->addWidget(save);
    auto *clear = new QPushButton(tr("Clear"), this);
    clear->setObjectName(QStringLiteral("logClear"));
    clear->setToolTip(tr("Clear the view (the job's output is kept)"));
    connect(clear, &QPushButton::clicked, this, [this] {
        clearQueue();
        m_view->clear();
    });
    top->addWidget(clear);
    layout->addLayout(top);

    m_view = new QPlainTextEdit(this);
    m_view->setObjectName(QStringLiteral("logView"));
    m_view->setAccessibleName(tr("Job output"));
    m_view->setReadOnly(true);
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_view->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_view->setMaximumBlockCount(kMaxLines);
    m_view->setUndoRedoEnabled(false);
    connect(m_wrap, &QCheckBox::toggled, this, [this](bool on) {
        m_view->setLineWrapMode(on ? QPlainTextEdit::WidgetWidth : QPlainTextEdit::NoWrap);
    });
    connect(m_view->verticalScrollBar(), &QScrollBar::valueChanged, this, [this] {
        // Scrolling up pauses following; coming back to the bottom resumes it.
        m_follow->setChecked(atBottom());
    });
    layout->addWidget(m_view, 1);

    m_findBar = new QWidget(this);
    auto *findLayout = new QHBoxLayout(m_findBar);
    findLayout->setContentsMargins(0, 0, 0, 0);
    m_findText = new QLineEdit(m_findBar);
    m_findText->setObjectName(QStringLiteral("logFindText"));
    m_findText->setPlaceholderText(tr("Find in log"));
    m_findText->setAccessibleName(tr("Find in log"));
    connect(m_findText, &QLineEdit::returnPressed, this, [this] { find(false); });
    auto *prev = new QToolButton(m_findBar);
    prev->setText(tr("Previous"));
    prev->setObjectName(QStringLiteral("logFindPrevious"));
    connect(prev, &QToolButton::clicked, this, [this] { find(true); });
    auto *next = new QToolButton(m_findBar);
    next->setText(tr("Next"));
    next->setObjectName(QStringLiteral("logFindNext"));
    connect(next, &QToolButton::clicked, this, [this] { find(false); });
    m_findStatus = new QLabel(m_findBar);
    auto *close = new QToolButton(m_findBar);
    close->setText(tr("Close"));
    connect(close, &QToolButton::clicked, m_findBar, &QWidget::hide);
    findLayout->addWidget(m_findText, 1);
    findLayout->addWidget(prev);
    findLayout->addWidget(next);
    findLayout->addWidget(m_findStatus);
    findLayout->addWidget(close);
    m_findBar->hide();
    layout->addWidget(m_findBar);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("logStatus"));
    layout->addWidget(m_status);

    auto *findShortcut = new QShortcut(QKeySequence::Find, this, this, &LogPanel::openFind,
                                       Qt::WidgetWithChildrenShortcut);
    findShortcut->setObjectName(QStringLiteral("logFindShortcut"));
    new QShortcut(
        QKeySequence::FindNext, this, this, [this] { find(false); },
        Qt::WidgetWithChildrenShortcut);
    new QShortcut(
        QKeySequence::FindPrevious, this, this, [this] { find(true); },
        Qt::WidgetWithChildrenShortcut);

    connect(m_feed, &JobLogFeed::textAppended, this, &LogPanel::append);
    connect(m_feed, &JobLogFeed::textPrepended, this, &LogPanel::prepend);
    connect(m_feed, &JobLogFeed::restarted, this, [this](const QString &reason) {
        clearQueue();
        m_view->clear();
        m_terminal.clear();
        m_status->setText(reason == QLatin1String("replaced")
                              ? tr("The output file was replaced; showing the new one.")
                              : tr("The output file was truncated; showing it from its new "
                                   "start."));
    });
    connect(m_feed, &JobLogFeed::finished, this,
            [this](const QString &state, std::optional<int> code) {
                m_status->setText(code ? tr("Job finished: %1 (exit code %2)").arg(state).arg(*code)
                                       : tr("Job finished: %1").arg(state));
            });
    connect(m_feed, &JobLogFeed::failed, this, [this](const ApiError &e) {
        m_status->setText(tr("Cannot read the log: %1").arg(e.message));
    });
    connect(m_feed, &JobLogFeed::connectionChanged, this, [this](SseClient::State s) {
        if (s == SseClient::State::Reconnecting)
            m_status->setText(tr("Connection lost — reconnecting; no output will be lost…"));
        else if (s == SseClient::State::Open)
            m_status->setText(tr("Live"));
    });
    connect(m_feed, &JobLogFeed::saved, this, [this](const QString &path, qint64 bytes) {
        Q_EMIT statusMessage(tr("Saved %1 bytes to %2").arg(bytes).arg(path));
    });
    connect(m_feed, &JobLogFeed::saveFailed, this,
            [this](const QString &why) { Q_EMIT statusMessage(tr("Save failed: %1").arg(why)); });
    m_earlier->setEnabled(false);

    m_showTimer.setSingleShot(true);
    connect(&m_showTimer, &QTimer::timeout, this, [this] { showQueued(kSliceChars); });
}

qint64 LogPanel::jobId() const {
    return m_job.jobId;
}

QString LogPanel::text() {
    while (queuedChars() > 0)
        showQueued(queuedChars());
    return m_view->toPlainText();
}

void LogPanel::showJob(const QString &clusterId, const JobInfo &job) {
    m_clusterId = clusterId;
    m_job = job;
    m_title->setText(tr("Job %1 — %2").arg(job.jobId).arg(job.name));
    restart();
}

void LogPanel::clearJob() {
    m_feed->stop();
    m_job = {};
    clearQueue();
    m_view->clear();
    m_terminal.clear();
    m_title->setText(tr("No job selected — choose “View log” on a job."));
    m_status->clear();
}

void LogPanel::restart() {
    if (m_job.jobId == 0)
        return;
    clearQueue();
    m_view->clear();
    m_terminal.clear();
    m_status->setText(tr("Loading…"));
    m_follow->setChecked(true);
    m_feed->follow(m_clusterId, m_job.jobId, m_tail->currentData().toInt());
}

bool LogPanel::atBottom() const {
    const QScrollBar *bar = m_view->verticalScrollBar();
    return bar->value() >= bar->maximum() - 2;
}

void LogPanel::append(const QString &text) {
    m_queue += text;
    m_queueLines += int(text.count(QLatin1Char('\n')));
    if (m_queueLines > kMaxQueuedLines)
        skipToNewest();
    if (!m_showTimer.isActive())
        m_showTimer.start(m_queue.size() - m_queueStart > kSliceChars ? 0 : 15);
}

void LogPanel::skipToNewest() {
    // Down to half the limit, so a flood skips once per many slices, not on every event.
    qsizetype from = m_queue.size();
    int kept = 0;
    for (; kept < kMaxQueuedLines / 2 && from > m_queueStart; ++kept)
        from = m_queue.lastIndexOf(QLatin1Char('\n'), from - 1);
    const int skipped = m_queueLines - (kept - 1);
    // The line being shown ends where the skipped part begins; the note is a line of its own.
    QString note = m_terminal.current().isEmpty() ? QString() : QStringLiteral("\n");
    note += tr("⋯ %n line(s) skipped: output arrived faster than it can be shown "
               "(Save… writes all of it) ⋯",
               "", skipped) +
            QLatin1Char('\n');
    m_queue = note + QStringView(m_queue).sliced(from + 1);
    m_queueStart = 0;
    m_queueLines = int(note.count(QLatin1Char('\n'))) + kept - 1;
    m_lastSkip.start();
}

void LogPanel::clearQueue() {
    m_showTimer.stop();
    m_lastSkip.invalidate();
    m_queue.clear();
    m_queueStart = 0;
    m_queueLines = 0;
}

void LogPanel::showQueued(qsizetype budget) {
    const qsizetype queued = queuedChars();
    if (queued == 0)
        return;
    // At most kSliceLines lines: each costs the document its dearest work, dropping a line at
    // the top once the view is full.
    qsizetype n = qMin(budget, queued);
    qsizetype end = m_queueStart;
    for (int lines = 0; lines < kSliceLines; ++lines) {
        end = m_queue.indexOf(QLatin1Char('\n'), end);
        if (end < 0 || end >= m_queueStart + n)
            break;
        ++end;
    }
    if (end > m_queueStart && end < m_queueStart + n)
        n = end - m_queueStart;
    else if (n < queued) {
        // End the slice at a line end where one is near, so a line is rarely redrawn.
        const qsizetype lf = m_queue.lastIndexOf(QLatin1Char('\n'), m_queueStart + n - 1);
        if (lf >= m_queueStart + n / 2)
            n = lf + 1 - m_queueStart;
    }
    const QString slice = m_queue.mid(m_queueStart, n);
    m_queueStart += n;
    m_queueLines -= int(slice.count(QLatin1Char('\n')));
    if (m_queueStart == m_queue.size()) {
        m_queue.clear();
        m_queueStart = 0;
    } else if (m_queueStart > m_queue.size() / 2) {
        m_queue.remove(0, m_queueStart);
        m_queueStart = 0;
    }
    QElapsedTimer took;
    took.start();
    showText(slice);
    const bool flooding = m_lastSkip.isValid() && m_lastSkip.elapsed() < 1000;
    // The next slice waits as long as this one took, so reading the stream (and the user)
    // keep at least half of the GUI thread however far behind the view is; in a flood (lines
    // skipped this last second) four times as long: keeping up with the stream comes first.
    if (queuedChars() > 0)
        m_showTimer.start(int(qMin<qint64>(took.elapsed() * (flooding ? 4 : 1), 50)));
}

void LogPanel::showText(const QString &text) {
    const bool follow = m_follow->isChecked();
    const QScrollBar *bar = m_view->verticalScrollBar();
    const int keep = bar->value();
    // The last block shows the line still being written: it is redrawn with what completed it
    // and the line after, so a carriage return overwrites as in a terminal.
    const QString done = m_terminal.feed(text);
    QTextCursor cursor(m_view->document());
    cursor.movePosition(QTextCursor::End);
    cursor.movePosition(QTextCursor::StartOfBlock, QTextCursor::KeepAnchor);
    cursor.insertText(done + m_terminal.current());
    if (follow)
        m_view->verticalScrollBar()->setValue(m_view->verticalScrollBar()->maximum());
    else
        m_view->verticalScrollBar()->setValue(keep);
    m_follow->setChecked(follow);
    m_earlier->setEnabled(m_feed->hasEarlier() && m_view->blockCount() < kMaxLines);
}

void LogPanel::prepend(const QString &text) {
    QTextCursor cursor(m_view->document());
    cursor.movePosition(QTextCursor::Start);
    cursor.insertText(foldCarriageReturns(text));
    m_earlier->setEnabled(m_feed->hasEarlier() && m_view->blockCount() < kMaxLines);
}

void LogPanel::openFind() {
    m_findBar->show();
    m_findText->setFocus();
    m_findText->selectAll();
}

void LogPanel::find(bool backwards) {
    const QString needle = m_findText->text();
    if (needle.isEmpty())
        return;
    QTextDocument::FindFlags flags;
    if (backwards)
        flags |= QTextDocument::FindBackward;
    if (!m_view->find(needle, flags)) {
        // Wrap around once.
        QTextCursor c = m_view->textCursor();
        c.movePosition(backwards ? QTextCursor::End : QTextCursor::Start);
        m_view->setTextCursor(c);
        if (!m_view->find(needle, flags)) {
            m_findStatus->setText(tr("Not found"));
            return;
        }
    }
    m_follow->setChecked(false);
    m_findStatus->setText(tr("Line %1").arg(m_view->textCursor().blockNumber() + 1));
}

} // namespace clusterra
