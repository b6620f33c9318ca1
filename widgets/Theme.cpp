#include "widgets/Theme.h"

#include <QApplication>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

namespace clusterra {

namespace {
QPalette darkPalette() {
    const auto c = [](const char *hex) {
        return QColor(QLatin1String(hex));
    };
    QPalette p;
    p.setColor(QPalette::Window, c("#232629"));
    p.setColor(QPalette::WindowText, c("#eff0f1"));
    p.setColor(QPalette::Base, c("#1b1e20"));
    p.setColor(QPalette::AlternateBase, c("#262a2d"));
    p.setColor(QPalette::Text, c("#eff0f1"));
    p.setColor(QPalette::PlaceholderText, c("#9ea3a8"));
    p.setColor(QPalette::Button, c("#31363b"));
    p.setColor(QPalette::ButtonText, c("#eff0f1"));
    p.setColor(QPalette::BrightText, c("#ffffff"));
    p.setColor(QPalette::Highlight, c("#3daee9"));
    p.setColor(QPalette::HighlightedText, c("#0d1114"));
    p.setColor(QPalette::Link, c("#5cb8f0"));
    p.setColor(QPalette::LinkVisited, c("#b58ce8"));
    p.setColor(QPalette::ToolTipBase, c("#31363b"));
    p.setColor(QPalette::ToolTipText, c("#eff0f1"));
    p.setColor(QPalette::Light, c("#4d5359"));
    p.setColor(QPalette::Midlight, c("#3b4045"));
    p.setColor(QPalette::Mid, c("#2c3034"));
    p.setColor(QPalette::Dark, c("#151719"));
    p.setColor(QPalette::Shadow, c("#0b0c0d"));
    for (const auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, c("#7f8c8d"));
    return p;
}
} // namespace

std::optional<Theme> themeFromName(const QString &name) {
    if (name.compare(u"system", Qt::CaseInsensitive) == 0)
        return Theme::System;
    if (name.compare(u"light", Qt::CaseInsensitive) == 0)
        return Theme::Light;
    if (name.compare(u"dark", Qt::CaseInsensitive) == 0)
        return Theme::Dark;
    return std::nullopt;
}

void applyTheme(Theme theme) {
    if (theme == Theme::System)
        return;
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication::setPalette(theme == Theme::Dark ? darkPalette()
                                                  : QApplication::style()->standardPalette());
}

} // namespace clusterra
