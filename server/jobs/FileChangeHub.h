#pragma once

#include <QFileSystemWatcher>
#include <QHash>

namespace clusterra::server {

// One inotify watcher for every output stream: QFileSystemWatcher costs an inotify instance
// each (128 per user by default), so streams share this one and count their interest per path.
class FileChangeHub : public QObject {
    Q_OBJECT
public:
    explicit FileChangeHub(QObject *parent = nullptr);
    // Returns false when the file cannot be watched (e.g. it does not exist yet).
    bool watch(const QString &path);
    void unwatch(const QString &path);

Q_SIGNALS:
    void changed(const QString &path);

private:
    QFileSystemWatcher m_watcher;
    QHash<QString, int> m_refs;
};

} // namespace clusterra::server
