#pragma once

#include <QMenu>

class QMainWindow;

namespace clusterra {

class ApiClient;
class ShortcutSheet;

// Help: the keyboard shortcut sheet, the server's API reference, and About with the console's,
// Qt's and the server's versions.
class HelpMenu : public QMenu {
    Q_OBJECT
public:
    HelpMenu(ApiClient *api, QMainWindow *window);

    ShortcutSheet *openShortcutSheet();
    void openAbout();

private:
    ApiClient *m_api;
    QMainWindow *m_window;
};

} // namespace clusterra
