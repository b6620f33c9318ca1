#pragma once

#include <QDialog>
#include <QKeySequence>
#include <QList>

class QTableWidget;

namespace clusterra {

// Help › Keyboard shortcuts: every key the window answers to, read from its actions and
// shortcuts as they are (so the sheet cannot drift from the keys), plus those of its dialogs.
class ShortcutSheet : public QDialog {
    Q_OBJECT
public:
    struct Entry {
        QString where;
        QString what;
        QKeySequence keys;
    };

    ShortcutSheet(QWidget *window, const QList<Entry> &dialogKeys, QWidget *parent = nullptr);
    // What the sheet lists, in its order.
    static QList<Entry> entriesOf(QWidget *window);
    QList<Entry> entries() const { return m_entries; }

private:
    QList<Entry> m_entries;
};

} // namespace clusterra
