#pragma once

#include <QObject>
#include <QString>
#include <QTemporaryDir>
#include <functional>

namespace clusterra {

class MainWindow;

// --screenshot DIR: once data has loaded, renders each main page, the wizard pages and the
// main dialogs to PNG files, then quits. Used for docs and for looking at the UI.
class Screenshotter : public QObject {
    Q_OBJECT
public:
    Screenshotter(MainWindow *window, QString directory, QObject *parent = nullptr);
    void run();

Q_SIGNALS:
    void done(int written);

private:
    void shoot(QWidget *widget, const QString &name);
    void shootMainPages();
    void shootWizard();
    void shootSubmit();
    void shootJobDialogs();
    void shootFiles();
    void shootSignIn();
    void shootClusterLifecycle();
    void waitFor(const std::function<bool()> &ready, int ms);

    MainWindow *m_window;
    QString m_dir;
    int m_written = 0;
    QTemporaryDir m_scratch;
};

} // namespace clusterra
