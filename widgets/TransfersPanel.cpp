#include "widgets/TransfersPanel.h"

#include "models/TransferQueue.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QTableView>

namespace clusterra {

namespace {
// The Progress column as a native progress bar with the byte counts as its text.
class ProgressDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *p, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override {
        QStyleOptionProgressBar bar;
        bar.rect = option.rect.adjusted(2, 3, -2, -3);
        bar.minimum = 0;
        bar.maximum = 100;
        bar.progress = index.data(TransferQueue::ProgressRole).toInt();
        bar.text = index.data().toString();
        bar.textVisible = true;
        bar.state = option.state | QStyle::State_Horizontal;
        bar.palette = option.palette;
        QApplication::style()->drawControl(QStyle::CE_ProgressBar, &bar, p);
    }
};
} // namespace

TransfersPanel::TransfersPanel(TransferQueue *queue, QWidget *parent)
    : QWidget(parent)
    , m_queue(queue) {
    setObjectName(QStringLiteral("transfersPanel"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *bar = new QHBoxLayout;
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("transfersSummary"));
    bar->addWidget(m_summary, 1);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancelTransfer"));
    m_cancel->setToolTip(tr("Stop the selected transfers; uploads keep their stored parts"));
    m_retry = new QPushButton(tr("Retry"), this);
    m_retry->setObjectName(QStringLiteral("retryTransfer"));
    m_retry->setToolTip(tr("Run the selected transfers again, resuming where they stopped"));
    m_clear = new QPushButton(tr("Clear finished"), this);
    m_clear->setObjectName(QStringLiteral("clearTransfers"));
    for (QPushButton *b : {m_cancel, m_retry, m_clear})
        bar->addWidget(b);
    layout->addLayout(bar);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("transferTable"));
    m_table->setAccessibleName(tr("Transfers"));
    m_table->setModel(queue);
    m_table->setItemDelegateForColumn(TransferQueue::Progress, new ProgressDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(TransferQueue::Name, 220);
    m_table->setColumnWidth(TransferQueue::Progress, 220);
    layout->addWidget(m_table, 1);

    connect(m_cancel, &QPushButton::clicked, this, [this] {
        for (int row : selectedRows())
            m_queue->cancel(row);
    });
    connect(m_retry, &QPushButton::clicked, this, [this] {
        for (int row : selectedRows())
            m_queue->retry(row);
    });
    connect(m_clear, &QPushButton::clicked, m_queue, &TransferQueue::clearFinished);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &TransfersPanel::updateButtons);
    connect(m_queue, &QAbstractItemModel::dataChanged, this, &TransfersPanel::updateButtons);
    connect(m_queue, &QAbstractItemModel::rowsRemoved, this, &TransfersPanel::updateButtons);
    connect(m_queue, &QAbstractItemModel::rowsInserted, this, &TransfersPanel::updateButtons);
    updateButtons();
}

QList<int> TransfersPanel::selectedRows() const {
    QList<int> rows;
    for (const QModelIndex &i : m_table->selectionModel()->selectedRows())
        rows << i.row();
    std::sort(rows.begin(), rows.end());
    return rows;
}

void TransfersPanel::updateButtons() {
    bool canCancel = false, canRetry = false, anyDone = false;
    for (int row : selectedRows()) {
        const QModelIndex i = m_queue->index(row, 0);
        canCancel |= i.data(TransferQueue::CanCancelRole).toBool();
        canRetry |= i.data(TransferQueue::CanRetryRole).toBool();
    }
    for (int row = 0; row < m_queue->rowCount(); ++row)
        anyDone |= m_queue->state(row) == TransferQueue::State::Done;
    m_cancel->setEnabled(canCancel);
    m_retry->setEnabled(canRetry);
    m_clear->setEnabled(anyDone);
    const int active = m_queue->activeCount();
    m_summary->setText(active ? tr("<b>Transfers</b> — %n active", nullptr, active)
                              : tr("<b>Transfers</b>"));
}

} // namespace clusterra
