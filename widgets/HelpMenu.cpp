#include "widgets/HelpMenu.h"

#include "core/client/ApiClient.h"
#include "core/client/ClusterCalls.h"
#include "widgets/ShortcutSheet.h"

#include <QAction>
#include <QCoreApplication>
#include <QDesktopServices>
#include <QMainWindow>
#include <QMessageBox>

namespace clusterra {

HelpMenu::HelpMenu(ApiClient *api, QMainWindow *window)
    : QMenu(tr("&Help"), window)
    , m_api(api)
    , m_window(window) {
    setObjectName(QStringLiteral("helpMenu"));
    setToolTipsVisible(true);
    QAction *keys = addAction(tr("&Keyboard shortcuts"), this, [this] { openShortcutSheet(); });
    keys->setObjectName(QStringLiteral("actionShortcuts"));
    keys->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Slash));
    QAction *reference = addAction(tr("API &reference (OpenAPI)"), this, [this] {
        QDesktopServices::openUrl(
            m_api->baseUrl().resolved(QUrl(QStringLiteral("/v1/openapi.json"))));
    });
    reference->setToolTip(
        tr("The server's description of every request, for Raw JSON and scripts"));
    addSeparator();
    addAction(tr("&About Clusterra Console"), this, &HelpMenu::openAbout)
        ->setObjectName(QStringLiteral("actionAbout"));
}

void HelpMenu::openAbout() {
    auto *box = new QMessageBox(QMessageBox::NoIcon, tr("About Clusterra Console"), QString(),
                                QMessageBox::Close, m_window);
    box->setObjectName(QStringLiteral("aboutDialog"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setIconPixmap(m_window->windowIcon().pixmap(64, 64));
    const QString server = m_api->baseUrl().toDisplayString(QUrl::RemoveUserInfo);
    const auto describe = [box, server](const QString &serverVersion) {
        box->setText(tr("<b>Clusterra Console %1</b><br/>A desktop console for Slurm clusters."
                        "<br/><br/>Qt %2 (built with %3)<br/>Server: %4 — %5")
                         .arg(QCoreApplication::applicationVersion().toHtmlEscaped(),
                              QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR),
                              server.toHtmlEscaped(), serverVersion.toHtmlEscaped()));
    };
    describe(tr("asking…"));
    // The box is the reply's context: closed first, the answer goes nowhere.
    m_api->clusters().serverVersion(box, [describe](const QString &version, const ApiError &e) {
        describe(e.isError() ? tr("not answering (%1)").arg(e.message)
                             : tr("clusterra-server %1").arg(version));
    });
    box->open();
}

ShortcutSheet *HelpMenu::openShortcutSheet() {
    // Keys of dialogs that are not open now, so the sheet lists them too.
    const QList<ShortcutSheet::Entry> dialogs{
        {tr("New job"), tr("Submit the job"), QKeySequence(Qt::CTRL | Qt::Key_Return)}};
    auto *sheet = new ShortcutSheet(m_window, dialogs, m_window);
    sheet->setAttribute(Qt::WA_DeleteOnClose);
    sheet->open();
    return sheet;
}

} // namespace clusterra
