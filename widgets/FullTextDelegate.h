#pragma once

#include <QStyledItemDelegate>

namespace clusterra {

// Shows a cell's whole text as its tooltip when the column cuts it short (and the model gives
// no tooltip of its own), so nothing in a table is out of reach for want of a wider column.
class FullTextDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                   const QModelIndex &index) override;
    // Whether `index` drawn in `option` shows less than all of its text.
    bool isCut(const QStyleOptionViewItem &option, const QModelIndex &index) const;
};

} // namespace clusterra
