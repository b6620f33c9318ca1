#include "widgets/ErrorLabel.h"

#include "models/StateColors.h"

#include <QLabel>

namespace clusterra {

QLabel *makeErrorLabel(const QString &objectName, QWidget *parent) {
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPalette pal = label->palette();
    pal.setColor(QPalette::WindowText, stateColor(StateFilter::Failed, label->palette()));
    label->setPalette(pal);
    label->hide();
    return label;
}

} // namespace clusterra
