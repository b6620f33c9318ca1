#pragma once

#include <QString>
#include <functional>
#include <optional>

class QWidget;

namespace clusterra::Confirm {

// Asks a yes/no question in a window-modal dialog and answers through `done` (no nested
// event loop). Destructive actions (cancel, delete) go through here.
void ask(QWidget *parent, const QString &title, const QString &text, const QString &acceptLabel,
         const QString &rejectLabel, std::function<void(bool)> done);

// Test seam: the next ask() answers at once with this instead of showing a dialog.
void setNextAnswer(std::optional<bool> answer);
// The text of the last question asked, shown or answered by the seam.
QString lastQuestion();

} // namespace clusterra::Confirm
