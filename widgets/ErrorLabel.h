#pragma once

class QLabel;
class QString;
class QWidget;

namespace clusterra {

// Where a dialog says what went wrong: hidden until there is something to say, in the failed
// state's colour, wrapped, and plain text (the words come from the server, never markup).
QLabel *makeErrorLabel(const QString &objectName, QWidget *parent);

} // namespace clusterra
