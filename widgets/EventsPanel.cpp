#include "widgets/EventsPanel.h"

#include "models/EventListModel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QScrollBar>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace clusterra {

EventsPanel::EventsPanel(EventListModel *model, QWidget *parent)
    : QWidget(parent)
    , m_proxy(new EventKindProxy(this)) {
    m_proxy->setSourceModel(model);
    auto *layout = new QVBoxLayout(this);
    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Show:"), this));
    m_kind = new QComboBox(this);
    m_kind->setObjectName(QStringLiteral("eventKindFilter"));
    m_kind->setAccessibleName(tr("Event kind filter"));
    m_kind->addItem(tr("All events"), QString());
    m_kind->addItem(tr("Jobs"), QStringLiteral("job."));
    m_kind->addItem(tr("Cluster"), QStringLiteral("cluster."));
    m_kind->addItem(tr("Scaling"), QStringLiteral("scaling."));
    connect(m_kind, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy->setKindPrefix(m_kind->currentData().toString()); });
    bar->addWidget(m_kind);
    bar->addStretch();
    m_live = new QLabel(this);
    m_live->setObjectName(QStringLiteral("eventsLive"));
    bar->addWidget(m_live);
    layout->addLayout(bar);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("eventTable"));
    m_table->setAccessibleName(tr("Events"));
    m_table->setModel(m_proxy);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(EventListModel::Message,
                                                      QHeaderView::Stretch);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(true);
    layout->addWidget(m_table, 1);
    // Relative times ("5 min ago") move on while the feed is open.
    auto *clock = new QTimer(this);
    clock->setInterval(30000);
    connect(clock, &QTimer::timeout, model, &EventListModel::refreshTimes);
    clock->start();
    // Wide enough for the usual words, without measuring thousands of rows on every insert.
    const QFontMetrics fm = m_table->fontMetrics();
    m_table->horizontalHeader()->resizeSection(
        EventListModel::Time, fm.horizontalAdvance(tr("yesterday 23:59")) + fm.height());
    m_table->horizontalHeader()->resizeSection(
        EventListModel::Kind,
        fm.horizontalAdvance(tr("Output not copied to Files")) + 3 * fm.height());
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, [this] {
        QScrollBar *bar = m_table->verticalScrollBar();
        if (bar->value() >= bar->maximum() - 30)
            m_table->scrollToBottom();
    });
}

void EventsPanel::setLive(bool live, const QString &text) {
    m_live->setText(text);
    m_live->setToolTip(live ? tr("New events appear as they happen")
                            : tr("Not connected to the event stream"));
}

} // namespace clusterra
