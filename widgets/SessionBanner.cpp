#include "widgets/SessionBanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace clusterra {

SessionBanner::SessionBanner(QWidget *parent)
    : QFrame(parent) {
    setObjectName(QStringLiteral("sessionBanner"));
    setAccessibleName(tr("Session notice"));
    setFrameShape(QFrame::StyledPanel);
    // Amber that reads on light and dark palettes alike.
    setStyleSheet(QStringLiteral("#sessionBanner { background: rgba(240, 173, 78, 0.25); "
                                 "border: 1px solid rgba(240, 173, 78, 0.8); }"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    m_text = new QLabel(this);
    m_text->setWordWrap(true);
    m_action = new QPushButton(this);
    m_action->setObjectName(QStringLiteral("sessionBannerAction"));
    connect(m_action, &QPushButton::clicked, this, &SessionBanner::actionClicked);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_action);
    hide();
}

void SessionBanner::showMessage(const QString &text, const QString &actionText) {
    m_text->setText(text);
    m_action->setText(actionText);
    m_action->setVisible(!actionText.isEmpty());
    setVisible(!text.isEmpty());
}

QString SessionBanner::text() const {
    return isVisible() ? m_text->text() : QString();
}

} // namespace clusterra
