#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QTableView;

namespace clusterra {

class EventKindProxy;
class EventListModel;

// The live activity feed: time, kind, message; filter by kind; follows new events.
class EventsPanel : public QWidget {
    Q_OBJECT
public:
    explicit EventsPanel(EventListModel *model, QWidget *parent = nullptr);
    QTableView *table() const { return m_table; }
    void setLive(bool live, const QString &text);

private:
    EventKindProxy *m_proxy;
    QTableView *m_table;
    QComboBox *m_kind;
    QLabel *m_live;
};

} // namespace clusterra
