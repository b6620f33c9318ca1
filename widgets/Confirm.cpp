#include "widgets/Confirm.h"

#include <QMessageBox>
#include <QPushButton>

namespace clusterra::Confirm {

namespace {
std::optional<bool> g_next;
QString g_last;
} // namespace

void ask(QWidget *parent, const QString &title, const QString &text, const QString &acceptLabel,
         const QString &rejectLabel, std::function<void(bool)> done) {
    g_last = text;
    if (g_next) {
        const bool answer = *g_next;
        g_next.reset();
        done(answer);
        return;
    }
    auto *box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::NoButton, parent);
    box->setObjectName(QStringLiteral("confirmDialog"));
    QPushButton *accept = box->addButton(acceptLabel, QMessageBox::DestructiveRole);
    QPushButton *reject = box->addButton(rejectLabel, QMessageBox::RejectRole);
    box->setDefaultButton(reject); // the safe answer is the default
    box->setEscapeButton(reject);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(box, &QMessageBox::finished, box,
                     [box, accept, done] { done(box->clickedButton() == accept); });
    box->open();
}

void setNextAnswer(std::optional<bool> answer) {
    g_next = answer;
}

QString lastQuestion() {
    return g_last;
}

} // namespace clusterra::Confirm
