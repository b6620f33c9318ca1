#include "models/FileBrowser.h"

#include "core/client/ApiClient.h"
#include "core/client/FileCalls.h"
#include "models/FileListModel.h"

namespace clusterra {

FileBrowser::FileBrowser(ApiClient *api, FileListModel *model, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_model(model) {}

QStringList FileBrowser::crumbs(const QString &prefix) {
    QStringList out{QString()};
    qsizetype from = 0;
    for (qsizetype slash; (slash = prefix.indexOf(QLatin1Char('/'), from)) >= 0; from = slash + 1)
        out << prefix.left(slash + 1);
    return out;
}

void FileBrowser::setCluster(const QString &clusterId) {
    if (clusterId == m_clusterId)
        return;
    m_clusterId = clusterId;
    m_madeFolders.clear();
    m_model->setListing(QStringLiteral("\n"), {}, {}); // a prefix no listing has: resets
    m_prefix = QStringLiteral("\n");
    if (!clusterId.isEmpty())
        open({});
}

void FileBrowser::open(const QString &prefix) {
    if (m_clusterId.isEmpty())
        return;
    if (prefix != m_prefix) {
        m_prefix = prefix;
        Q_EMIT prefixChanged(prefix);
    }
    refresh();
}

void FileBrowser::up() {
    const QStringList c = crumbs(m_prefix);
    if (c.size() > 1)
        open(c.at(c.size() - 2));
}

void FileBrowser::refresh() {
    if (m_clusterId.isEmpty())
        return;
    ++m_generation;
    m_folders.clear();
    m_files.clear();
    setLoading(true);
    fetch({});
}

void FileBrowser::addFolder(const QString &name) {
    const QString folder = m_prefix + name + QLatin1Char('/');
    m_madeFolders[m_prefix].insert(folder);
    refresh();
}

void FileBrowser::setLoading(bool loading) {
    if (loading != m_loading) {
        m_loading = loading;
        Q_EMIT loadingChanged(loading);
    }
}

void FileBrowser::fetch(const QString &after) {
    const int generation = m_generation;
    const QString prefix = m_prefix;
    m_api->files().list(m_clusterId, prefix, true, after, this,
                        [this, generation, prefix](const FileListing &page, const ApiError &e) {
                            if (generation != m_generation)
                                return; // the user moved on
                            if (e.isError()) {
                                setLoading(false);
                                Q_EMIT failed(e);
                                return;
                            }
                            m_folders.append(page.folders);
                            m_files.append(page.files);
                            if (!page.nextStartAfter.isEmpty()) {
                                fetch(page.nextStartAfter);
                                return;
                            }
                            QSet<QString> &made = m_madeFolders[prefix];
                            for (auto it = made.begin(); it != made.end();) {
                                // A made folder that now has content is a real one: stop
                                // remembering it.
                                if (m_folders.contains(*it)) {
                                    it = made.erase(it);
                                } else {
                                    m_folders.append(*it);
                                    ++it;
                                }
                            }
                            m_folders.sort();
                            m_model->setListing(prefix, m_folders, m_files);
                            setLoading(false);
                            Q_EMIT loaded();
                        });
}

} // namespace clusterra
