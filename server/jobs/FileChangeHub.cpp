#include "server/jobs/FileChangeHub.h"

namespace clusterra::server {

FileChangeHub::FileChangeHub(QObject *parent)
    : QObject(parent) {
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, &FileChangeHub::changed);
}

bool FileChangeHub::watch(const QString &path) {
    if (m_refs.contains(path)) {
        ++m_refs[path];
        return true;
    }
    if (!m_watcher.addPath(path))
        return false;
    m_refs.insert(path, 1);
    return true;
}

void FileChangeHub::unwatch(const QString &path) {
    const auto it = m_refs.find(path);
    if (it == m_refs.end())
        return;
    if (--it.value() == 0) {
        m_refs.erase(it);
        m_watcher.removePath(path);
    }
}

} // namespace clusterra::server
