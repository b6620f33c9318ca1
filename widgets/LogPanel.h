#pragma once

#include "core/api/Types.h"
#include "core/client/SseClient.h"
#include "models/TerminalLine.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QToolButton;

namespace clusterra {

class ApiClient;
class JobLogFeed;

// A job's output, live: follows the end unless the user scrolls up, find (Ctrl+F), last-N
// choice, wrap, save, clear, load earlier; memory is bounded by a block limit.
class LogPanel : public QWidget {
    Q_OBJECT
public:
    explicit LogPanel(ApiClient *api, QWidget *parent = nullptr);

    void showJob(const QString &clusterId, const JobInfo &job);
    void clearJob();
    qint64 jobId() const;
    QString text() const;
    QPlainTextEdit *view() const { return m_view; }
    void openFind();
    static constexpr int kMaxLines = 200000;

Q_SIGNALS:
    void statusMessage(const QString &text);

private:
    void append(const QString &text);
    void prepend(const QString &text);
    void restart();
    void find(bool backwards);
    bool atBottom() const;

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
    QPlainTextEdit *m_view;
    QWidget *m_findBar;
    QLineEdit *m_findText;
    QLabel *m_findStatus;
    TerminalLine m_terminal; // the last line, as a terminal shows it
};

} // namespace clusterra
