#pragma once

#include "core/api/Types.h"
#include "core/client/SseClient.h"
#include "models/TerminalLine.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QToolButton;

namespace clusterra {

class ApiClient;
class JobLogFeed;
class LogView;

// A job's output, live: follows the end unless the user scrolls up, find (Ctrl+F), last-N
// choice, wrap, save, clear, load earlier; memory is bounded by a block limit.
// Output is queued and shown in slices on a timer, never one edit per event, so a burst of any
// size costs the GUI thread one short slice at a time. QTextDocument takes tens of
// microseconds per line it drops at the top, so a full view shows some 20,000 lines a second:
// output arriving faster than that is skipped down to the newest lines, with a line in the
// view that says how many were skipped (Save still writes every byte, from the server).
class LogPanel : public QWidget {
    Q_OBJECT
public:
    explicit LogPanel(ApiClient *api, QWidget *parent = nullptr);

    void showJob(const QString &clusterId, const JobInfo &job);
    void clearJob();
    qint64 jobId() const;
    // Everything the view holds, as text.
    QString text() const;
    LogView *view() const { return m_view; }
    void openFind();

Q_SIGNALS:
    void statusMessage(const QString &text);

private:
    void append(const QString &text);
    void prepend(const QString &text);
    void clearView();
    void updateEarlier();
    void restart();
    void find(bool backwards);

    ApiClient *m_api;
    JobLogFeed *m_feed;
    QString m_clusterId;
    JobInfo m_job;
    QLabel *m_title;
    QLabel *m_status;
    QComboBox *m_tail;
    QCheckBox *m_follow;
    QCheckBox *m_wrap;
    QPushButton *m_earlier;
    QPushButton *m_save;
    QPushButton *m_clear;
    LogView *m_view;
    QWidget *m_findBar;
    QLineEdit *m_findText;
    QLabel *m_findStatus;
    TerminalLine m_terminal; // the last line, as a terminal shows it
};

} // namespace clusterra
