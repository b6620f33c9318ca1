#include "widgets/Sizing.h"

#include <QGuiApplication>
#include <QScreen>
#include <QWidget>

namespace clusterra {

void resizeWithinScreen(QWidget *window, QSize wanted) {
    const QWidget *parent = window->parentWidget();
    const QScreen *screen = parent ? parent->screen() : QGuiApplication::primaryScreen();
    if (screen)
        wanted = wanted.boundedTo(screen->availableSize() * 0.95);
    window->resize(wanted);
}

} // namespace clusterra
