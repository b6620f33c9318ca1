#include "widgets/ShortcutSheet.h"

#include "widgets/Sizing.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QMenu>
#include <QShortcut>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>

namespace clusterra {

namespace {
QString plain(QString text) {
    text.remove(QLatin1Char('&'));
    text.remove(QStringLiteral("…"));
    return text.trimmed();
}

// Where a key works: the menu holding the action, else the page (its accessible name).
QString placeOf(const QObject *owner) {
    for (const QObject *o = owner; o; o = o->parent()) {
        if (const auto *w = qobject_cast<const QWidget *>(o)) {
            if (!w->accessibleName().isEmpty())
                return w->accessibleName();
            if (w->isWindow())
                return w->windowTitle().section(QStringLiteral(" — "), 0, 0);
        }
    }
    return {};
}
} // namespace

QList<ShortcutSheet::Entry> ShortcutSheet::entriesOf(QWidget *window) {
    QList<Entry> out;
    for (const QAction *a : window->findChildren<QAction *>()) {
        QString where;
        for (const QObject *w : a->associatedObjects()) {
            if (const auto *menu = qobject_cast<const QMenu *>(w)) {
                where = plain(menu->title());
                break;
            }
        }
        if (where.isEmpty())
            where = placeOf(a->parent());
        for (const QKeySequence &k : a->shortcuts())
            out.append({where, plain(a->text()), k});
    }
    for (const QShortcut *s : window->findChildren<QShortcut *>()) {
        if (!s->key().isEmpty() && !s->whatsThis().isEmpty())
            out.append({placeOf(s->parent()), s->whatsThis(), s->key()});
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const Entry &a, const Entry &b) { return a.where < b.where; });
    return out;
}

ShortcutSheet::ShortcutSheet(QWidget *window, const QList<Entry> &dialogKeys, QWidget *parent)
    : QDialog(parent)
    , m_entries(entriesOf(window) + dialogKeys) {
    setObjectName(QStringLiteral("shortcutSheet"));
    setWindowTitle(tr("Keyboard shortcuts"));
    auto *layout = new QVBoxLayout(this);
    auto *table = new QTableWidget(int(m_entries.size()), 3, this);
    table->setObjectName(QStringLiteral("shortcutTable"));
    table->setAccessibleName(tr("Keyboard shortcuts"));
    table->setHorizontalHeaderLabels({tr("Keys"), tr("Does"), tr("Where")});
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    for (int row = 0; row < m_entries.size(); ++row) {
        const Entry &e = m_entries[row];
        table->setItem(row, 0, new QTableWidgetItem(e.keys.toString(QKeySequence::NativeText)));
        table->setItem(row, 1, new QTableWidgetItem(e.what));
        table->setItem(row, 2, new QTableWidgetItem(e.where));
    }
    layout->addWidget(table);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resizeWithinScreen(this, {640, 560});
}

} // namespace clusterra
