#include "widgets/OverviewPage.h"

#include "models/ClusterListModel.h"
#include "models/StateColors.h"

#include <QEvent>
#include <QFrame>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

namespace clusterra {

OverviewPage::OverviewPage(QWidget *parent)
    : QWidget(parent)
    , m_partitions(new PartitionTableModel(this)) {
    auto *layout = new QVBoxLayout(this);
    m_header = new QLabel(this);
    m_header->setObjectName(QStringLiteral("overviewHeader"));
    m_header->setTextFormat(Qt::RichText);
    m_header->setWordWrap(true);
    layout->addWidget(m_header);
    m_cards = new QWidget(this);
    auto *grid = new QGridLayout(m_cards);
    grid->setContentsMargins(0, 0, 0, 0);
    m_nodes = card(QStringLiteral("cardNodes"), tr("Nodes"));
    m_cpus = card(QStringLiteral("cardCpus"), tr("CPUs"));
    m_running = card(QStringLiteral("cardRunning"), tr("Running jobs"));
    m_pending = card(QStringLiteral("cardPending"), tr("Pending jobs"));
    m_memory = card(QStringLiteral("cardMemory"), tr("Memory"));
    m_gpus = card(QStringLiteral("cardGpus"), tr("GPUs"));
    for (QLabel *value : {m_nodes, m_cpus, m_running, m_pending, m_memory, m_gpus})
        m_cardFrames.append(value->parentWidget());
    arrangeCards(QWIDGETSIZE_MAX); // until the page has its width
    layout->addWidget(m_cards);
    auto *title = new QLabel(tr("<b>Partitions</b>"), this);
    layout->addWidget(title);
    auto *table = new QTableView(this);
    table->setObjectName(QStringLiteral("partitionTable"));
    table->setAccessibleName(tr("Partitions"));
    table->setModel(m_partitions);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    table->setSelectionMode(QAbstractItemView::NoSelection);
    layout->addWidget(table, 1);
}

void OverviewPage::resizeEvent(QResizeEvent *event) {
    QWidget::resizeEvent(event);
    arrangeCards(width());
}

void OverviewPage::changeEvent(QEvent *event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange)
        arrangeCards(width());
}

void OverviewPage::arrangeCards(int width) {
    auto *grid = static_cast<QGridLayout *>(m_cards->layout());
    int widest = 0;
    int narrowest = 0; // the least a card can take
    for (QWidget *frame : std::as_const(m_cardFrames)) {
        widest = qMax(widest, frame->sizeHint().width());
        narrowest = qMax(narrowest, qMax(frame->minimumWidth(), frame->minimumSizeHint().width()));
    }
    const int spacing = qMax(0, grid->horizontalSpacing());
    // The cards never set the window's width: two always fit, and more when there is room.
    m_cards->setMinimumWidth(2 * narrowest + spacing);
    const int margins = contentsMargins().left() + contentsMargins().right() + 24;
    const int fit = qMax(1, (width - margins + spacing) / qMax(1, widest + spacing));
    // Six, three or two per row, so the rows stay even; never one, whose six rows would make
    // the page taller than a small screen.
    const int columns = fit >= 6 ? 6 : fit >= 3 ? 3 : 2;
    if (columns == m_columns)
        return;
    m_columns = columns;
    for (QWidget *frame : std::as_const(m_cardFrames))
        grid->removeWidget(frame);
    for (int i = 0; i < m_cardFrames.size(); ++i)
        grid->addWidget(m_cardFrames[i], i / columns, i % columns);
}

QLabel *OverviewPage::card(const QString &objectName, const QString &caption) {
    auto *frame = new QFrame(m_cards);
    frame->setFrameShape(QFrame::StyledPanel);
    frame->setMinimumWidth(120);
    auto *v = new QVBoxLayout(frame);
    auto *value = new QLabel(QStringLiteral("–"), frame);
    value->setObjectName(objectName);
    QFont f = value->font();
    f.setPointSizeF(f.pointSizeF() * 1.8);
    f.setBold(true);
    value->setFont(f);
    auto *cap = new QLabel(caption, frame);
    cap->setForegroundRole(QPalette::PlaceholderText);
    value->setAccessibleName(caption);
    v->addWidget(value);
    v->addWidget(cap);
    return value;
}

void OverviewPage::setCluster(const ClusterInfo &c) {
    const QColor color = clusterStateColor(c.state, palette());
    QString header =
        tr("<span style='font-size:x-large'><b>%1</b></span> &nbsp; <span style='color:%2'>● "
           "%3</span> &nbsp; %4 · %5")
            .arg(c.name.toHtmlEscaped(), color.name(), c.state, c.connectionState, c.provider);
    if (!c.stateReason.isEmpty())
        header += QStringLiteral("<br/>") + c.stateReason.toHtmlEscaped();
    if (!c.description.isEmpty())
        header +=
            QStringLiteral("<br/><i>") + c.description.toHtmlEscaped() + QStringLiteral("</i>");
    m_header->setText(header);
    m_nodes->setText(QString::number(c.nodes));
    m_cpus->setText(QString::number(c.cpus));
    m_running->setText(QString::number(c.jobsRunning));
    m_pending->setText(QString::number(c.jobsPending));
    m_memory->setText(c.memoryMb >= 1024 ? tr("%1 GiB").arg(double(c.memoryMb) / 1024.0, 0, 'f', 1)
                                         : tr("%1 MiB").arg(c.memoryMb));
    m_gpus->setText(QString::number(c.gpus));
    m_partitions->setCluster(c);
    arrangeCards(width()); // wider values may need fewer cards per row
}

} // namespace clusterra
