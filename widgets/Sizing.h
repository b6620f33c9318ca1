#pragma once

#include <QSize>

class QWidget;

namespace clusterra {

// Gives a window its usual size, or what the screen it opens on has room for (a 1024×640
// screen with a 12 pt font must still show a whole dialog).
void resizeWithinScreen(QWidget *window, QSize wanted);

} // namespace clusterra
