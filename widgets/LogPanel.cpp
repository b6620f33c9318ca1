#include "widgets/LogPanel.h"

#include "models/JobLogFeed.h"
#include "widgets/LogView.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QShortcut>
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
    // The title gives way first when the window is narrow (the tooltip keeps all of it), so
    // the row of controls fits a small screen or a large font.
    m_title->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_title->setMinimumWidth(m_title->fontMetrics().averageCharWidth() * 12);
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
    auto *save = m_save = new QPushButton(tr("Save…"), this);
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
    auto *clear = m_clear = new QPushButton(tr("Clear"), this);
    clear->setObjectName(QStringLiteral("logClear"));
    clear->setToolTip(tr("Clear the view (the job's output is kept)"));
    connect(clear, &QPushButton::clicked, this, &LogPanel::clearView);
    top->addWidget(clear);
    layout->addLayout(top);

    m_view = new LogView(this);
    m_view->setObjectName(QStringLiteral("logView"));
    m_view->setAccessibleName(tr("Job output"));
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    connect(m_wrap, &QCheckBox::toggled, m_view, &LogView::setWrap);
    connect(m_follow, &QCheckBox::toggled, m_view, &LogView::setFollowing);
    connect(m_view, &LogView::followingChanged, this, [this](bool on) {
        // Scrolling up pauses following; coming back to the bottom resumes it.
        QSignalBlocker quiet(m_follow);
        m_follow->setChecked(on);
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
    m_findStatus->setMinimumWidth(
        m_findStatus->fontMetrics().horizontalAdvance(tr("Line %1").arg(QStringLiteral("000000"))));
    auto *close = new QToolButton(m_findBar);
    close->setText(tr("Close"));
    close->setToolTip(tr("Close find (Esc)"));
    const auto closeFind = [this] {
        m_findBar->hide();
        m_view->setFocus();
    };
    connect(close, &QToolButton::clicked, this, closeFind);
    (new QShortcut(QKeySequence(Qt::Key_Escape), m_findBar, this, closeFind,
                   Qt::WidgetWithChildrenShortcut))
        ->setWhatsThis(tr("Close find in the log"));
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

    // Ctrl+F belongs to the window's View › Find…, which opens this bar on the Logs tab: a
    // second owner here made the key ambiguous, and then it did nothing.
    (new QShortcut(
         QKeySequence::FindNext, this, this, [this] { find(false); },
         Qt::WidgetWithChildrenShortcut))
        ->setWhatsThis(tr("Find the next match in the log"));
    (new QShortcut(
         QKeySequence::FindPrevious, this, this, [this] { find(true); },
         Qt::WidgetWithChildrenShortcut))
        ->setWhatsThis(tr("Find the previous match in the log"));

    connect(m_feed, &JobLogFeed::textAppended, this, &LogPanel::append);
    connect(m_feed, &JobLogFeed::textPrepended, this, &LogPanel::prepend);
    connect(m_feed, &JobLogFeed::restarted, this, [this](const QString &reason) {
        clearView();
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
    m_save->setEnabled(false); // until there is a job to save or clear
    m_clear->setEnabled(false);
}

qint64 LogPanel::jobId() const {
    return m_job.jobId;
}

QString LogPanel::text() const {
    return m_view->buffer().text();
}

void LogPanel::showJob(const QString &clusterId, const JobInfo &job) {
    m_clusterId = clusterId;
    m_job = job;
    m_title->setText(tr("Job %1 — %2").arg(job.jobId).arg(job.name));
    m_title->setToolTip(m_title->text());
    m_save->setEnabled(true);
    m_clear->setEnabled(true);
    restart();
}

void LogPanel::clearJob() {
    m_feed->stop();
    m_job = {};
    clearView();
    m_title->setText(tr("No job selected — choose “View log” on a job."));
    m_title->setToolTip(m_title->text());
    m_save->setEnabled(false);
    m_clear->setEnabled(false);
    m_status->clear();
}

void LogPanel::restart() {
    if (m_job.jobId == 0)
        return;
    clearView();
    m_status->setText(tr("Loading…"));
    m_follow->setChecked(true);
    m_feed->follow(m_clusterId, m_job.jobId, m_tail->currentData().toInt());
}

void LogPanel::clearView() {
    m_view->clear();
    m_terminal.clear();
    updateEarlier();
}

void LogPanel::append(const QString &text) {
    // The last line shows the line still being written, redrawn with what completes it, so
    // a carriage return overwrites as in a terminal.
    m_view->appendLines(m_terminal.feed(text));
    m_view->setOpenLine(m_terminal.current());
    updateEarlier();
}

void LogPanel::prepend(const QString &text) {
    m_view->prependLines(foldCarriageReturns(text));
    updateEarlier();
}

void LogPanel::updateEarlier() {
    // Once the view has dropped its oldest lines, what came before them cannot join on.
    const LogBuffer &buffer = m_view->buffer();
    m_earlier->setEnabled(m_feed->hasEarlier() && buffer.droppedLines() == 0 &&
                          buffer.lineCount() < buffer.maxLines());
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
    const qsizetype line = m_view->find(needle, backwards);
    if (line < 0)
        m_view->clearSelection();
    m_findStatus->setText(line < 0 ? tr("Not found") : tr("Line %1").arg(line + 1));
}

} // namespace clusterra
