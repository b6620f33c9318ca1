#include "widgets/OverviewPage.h"

#include "models/ClusterListModel.h"
#include "models/NodeListModel.h"
#include "models/StateColors.h"

#include <QEvent>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QScrollBar>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace clusterra {

OverviewPage::OverviewPage(QWidget *parent)
    : QWidget(parent)
    , m_partitions(new PartitionTableModel(this))
    , m_nodeModel(new NodeListModel(this)) {
    auto *layout = new QVBoxLayout(this);
    m_header = new QLabel(this);
    m_header->setObjectName(QStringLiteral("overviewHeader"));
    m_header->setTextFormat(Qt::RichText);
    m_header->setWordWrap(true);
    auto *top = new QHBoxLayout;
    top->addWidget(m_header, 1);
    m_actions = new QToolButton(this);
    m_actions->setObjectName(QStringLiteral("overviewActions"));
    m_actions->setText(tr("Ac&tions"));
    m_actions->setToolTip(tr("Edit, scale or delete this cluster"));
    m_actions->setPopupMode(QToolButton::InstantPopup);
    m_actions->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_actions->hide(); // until there is a menu
    top->addWidget(m_actions, 0, Qt::AlignTop);
    layout->addLayout(top);

    // Not plain text under the name: a failure must read as one, with what to do next.
    m_banner = new QFrame(this);
    m_banner->setObjectName(QStringLiteral("clusterStateBanner"));
    m_banner->setAutoFillBackground(true);
    static_cast<QFrame *>(m_banner)->setFrameShape(QFrame::StyledPanel);
    auto *bannerLayout = new QHBoxLayout(m_banner);
    m_bannerText = new QLabel(m_banner);
    m_bannerText->setObjectName(QStringLiteral("clusterStateText"));
    m_bannerText->setWordWrap(true);
    m_bannerText->setTextFormat(Qt::RichText);
    m_bannerText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    bannerLayout->addWidget(m_bannerText, 1);
    m_bannerRetry = new QPushButton(tr("&Retry"), m_banner);
    m_bannerRetry->setObjectName(QStringLiteral("bannerRetry"));
    m_bannerDelete = new QPushButton(tr("&Delete…"), m_banner);
    m_bannerDelete->setObjectName(QStringLiteral("bannerDelete"));
    bannerLayout->addWidget(m_bannerRetry, 0, Qt::AlignTop);
    bannerLayout->addWidget(m_bannerDelete, 0, Qt::AlignTop);
    m_banner->hide();
    layout->addWidget(m_banner);
    m_cards = new QWidget(this);
    auto *grid = new QGridLayout(m_cards);
    grid->setContentsMargins(0, 0, 0, 0);
    // What is in use of what there is, as the hosted console's cards show it.
    m_nodes = card(QStringLiteral("cardIdleNodes"), tr("Idle nodes"));
    m_cpus = card(QStringLiteral("cardCpus"), tr("CPUs allocated"));
    m_gpus = card(QStringLiteral("cardGpus"), tr("GPUs allocated"));
    m_memory = card(QStringLiteral("cardMemory"), tr("Memory allocated"));
    m_running = card(QStringLiteral("cardRunning"), tr("Running jobs"));
    m_pending = card(QStringLiteral("cardPending"), tr("Pending jobs"));
    for (QLabel *value : {m_nodes, m_cpus, m_gpus, m_memory, m_running, m_pending})
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
    // A handful of rows: each column as wide as its words, the name taking what is left.
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->horizontalHeader()->setSectionResizeMode(PartitionTableModel::Name,
                                                    QHeaderView::Stretch);
    table->setSelectionMode(QAbstractItemView::NoSelection);
    table->setAlternatingRowColors(true);
    table->setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    table->setWordWrap(false);
    m_partitionView = table;
    layout->addWidget(table);

    // The page's rest is the nodes, not empty space under two partition rows.
    m_nodeTitle = new QLabel(tr("<b>Node health</b>"), this);
    m_nodeTitle->setObjectName(QStringLiteral("nodeHealthTitle"));
    layout->addWidget(m_nodeTitle);
    auto *nodes = new QTableView(this);
    nodes->setObjectName(QStringLiteral("nodeTable"));
    nodes->setAccessibleName(tr("Node health"));
    nodes->setModel(m_nodeModel);
    nodes->verticalHeader()->hide();
    nodes->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    nodes->horizontalHeader()->setStretchLastSection(true);
    nodes->setSelectionBehavior(QAbstractItemView::SelectRows);
    nodes->setAlternatingRowColors(true);
    nodes->setSortingEnabled(false);
    nodes->setWordWrap(false);
    nodes->setMinimumHeight(nodes->horizontalHeader()->sizeHint().height() +
                            nodes->verticalHeader()->defaultSectionSize());
    layout->addWidget(nodes, 1);
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

void OverviewPage::setActionsMenu(QMenu *menu) {
    m_actions->setMenu(menu);
    m_actions->setVisible(menu != nullptr);
}

void OverviewPage::setBannerActions(QAction *retry, QAction *remove) {
    for (const auto &[button, action] :
         {std::pair{m_bannerRetry, retry}, {m_bannerDelete, remove}}) {
        connect(button, &QPushButton::clicked, action, &QAction::trigger);
        const auto follow = [button, action] {
            button->setEnabled(action->isEnabled());
            button->setToolTip(action->toolTip());
        };
        connect(action, &QAction::changed, button, follow);
        follow();
    }
}

QString OverviewPage::bannerText() const {
    return m_banner->isHidden() ? QString() : m_bannerText->text();
}

void OverviewPage::updateBanner(const ClusterInfo &c) {
    QString text;
    StateFilter tone = StateFilter::Pending;
    const QString reason = c.stateReason.toHtmlEscaped();
    if (c.state == QLatin1String("failed")) {
        tone = StateFilter::Failed;
        text = tr("<b>Deployment failed.</b> %1")
                   .arg(reason.isEmpty() ? tr("No reason was given.") : reason);
    } else if (c.state == QLatin1String("preparing")) {
        text = tr("<b>Preparing.</b> The cluster's nodes are being brought up; jobs can be "
                  "submitted once it is ready.");
    } else if (c.state == QLatin1String("deleting")) {
        text = tr("<b>Being deleted.</b> Its jobs are cancelled first; the cluster goes once "
                  "they have stopped.");
    } else if (c.connectionState == QLatin1String("disconnected")) {
        tone = StateFilter::Failed;
        text = tr("<b>Unreachable.</b> %1")
                   .arg(reason.isEmpty() ? tr("The server cannot reach the cluster's scheduler.")
                                         : reason);
    }
    m_failed = c.state == QLatin1String("failed");
    m_bannerRetry->setVisible(m_failed);
    m_bannerDelete->setVisible(m_failed);
    m_bannerText->setText(text);
    m_banner->setHidden(text.isEmpty());
    if (text.isEmpty())
        return;
    // A tint of the state's colour over the page's own background, readable in light and dark.
    QPalette pal = m_banner->palette();
    const QColor base = palette().color(QPalette::Window);
    const QColor accent = stateColor(tone, palette());
    const QColor tint = QColor::fromRgbF(base.redF() * 0.85f + accent.redF() * 0.15f,
                                         base.greenF() * 0.85f + accent.greenF() * 0.15f,
                                         base.blueF() * 0.85f + accent.blueF() * 0.15f);
    pal.setColor(QPalette::Window, tint);
    m_banner->setPalette(pal);
}

void OverviewPage::fitPartitionTable() {
    // As tall as its rows (up to six, then it scrolls), so the nodes get the rest.
    const int rows = qBound(1, m_partitions->rowCount(), 6);
    const int rowHeight = m_partitionView->verticalHeader()->defaultSectionSize();
    const int height = m_partitionView->horizontalHeader()->sizeHint().height() + rows * rowHeight +
                       2 * m_partitionView->frameWidth() +
                       m_partitionView->horizontalScrollBar()->sizeHint().height();
    // Never what makes the window taller than a small screen: it may shrink to one row.
    m_partitionView->setMaximumHeight(height);
    m_partitionView->setMinimumHeight(height - (rows - 1) * rowHeight -
                                      m_partitionView->horizontalScrollBar()->sizeHint().height());
}

void OverviewPage::setNodes(const QList<NodeInfo> &nodes) {
    m_nodeModel->setNodes(nodes);
    QStringList parts;
    const auto counts = m_nodeModel->stateCounts();
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        parts << tr("%1: %2").arg(it.key().toHtmlEscaped()).arg(it.value());
    m_nodeTitle->setText(
        parts.isEmpty() ? tr("<b>Node health</b> — no nodes")
                        : tr("<b>Node health</b> — %1").arg(parts.join(QStringLiteral(" · "))));
}

void OverviewPage::showNodeStatus(const QString &text) {
    m_nodeTitle->setText(tr("<b>Node health</b> — %1").arg(text.toHtmlEscaped()));
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
            .arg(c.name.toHtmlEscaped(), color.name(), c.state.toHtmlEscaped(),
                 c.connectionState.toHtmlEscaped(), c.provider.toHtmlEscaped());
    updateBanner(c);
    if (!c.description.isEmpty())
        header +=
            QStringLiteral("<br/><i>") + c.description.toHtmlEscaped() + QStringLiteral("</i>");
    m_header->setText(header);
    const QString ofTotal = tr("%1 / %2");
    m_nodes->setText(ofTotal.arg(c.idleNodes).arg(c.nodes));
    m_cpus->setText(ofTotal.arg(c.allocCpus).arg(c.cpus));
    m_gpus->setText(c.gpus > 0 ? ofTotal.arg(c.allocGpus).arg(c.gpus) : tr("none"));
    m_gpus->setToolTip(c.gpus > 0 ? QString() : tr("No node of this cluster has a GPU."));
    // One unit for both numbers, the one the total reads best in.
    const bool gib = c.memoryMb >= 1024;
    const auto inUnit = [gib](qint64 mb) {
        return gib ? QString::number(double(mb) / 1024.0, 'f', 1) : QString::number(mb);
    };
    m_memory->setText((gib ? tr("%1 / %2 GiB") : tr("%1 / %2 MiB"))
                          .arg(inUnit(c.allocMemoryMb), inUnit(c.memoryMb)));
    m_running->setText(QString::number(c.jobsRunning));
    m_pending->setText(QString::number(c.jobsPending));
    m_partitions->setCluster(c);
    fitPartitionTable();
    arrangeCards(width()); // wider values may need fewer cards per row
}

} // namespace clusterra
