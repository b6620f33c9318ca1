#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace clusterra {

class TransferQueue;

// The transfer queue under the file browser: one row per file with a progress bar, speed and
// time left; cancel, retry and clear act on the selected rows.
class TransfersPanel : public QWidget {
    Q_OBJECT
public:
    explicit TransfersPanel(TransferQueue *queue, QWidget *parent = nullptr);
    QTableView *table() const { return m_table; }

private:
    void updateButtons();
    QList<int> selectedRows() const;

    TransferQueue *m_queue;
    QTableView *m_table;
    QLabel *m_summary;
    QPushButton *m_cancel;
    QPushButton *m_retry;
    QPushButton *m_clear;
};

} // namespace clusterra
