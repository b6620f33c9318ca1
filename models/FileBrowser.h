#pragma once

#include "core/api/Types.h"
#include "core/base/ApiError.h"

#include <QHash>
#include <QObject>
#include <QSet>

namespace clusterra {

class ApiClient;
class FileListModel;

// Walks a cluster's bucket folder by folder and keeps a FileListModel showing the current
// one. Folders exist only as key prefixes in S3, so a folder made here is remembered (and
// shown) until a file lands in it. Answers for a folder the user already left are dropped.
class FileBrowser : public QObject {
    Q_OBJECT
public:
    FileBrowser(ApiClient *api, FileListModel *model, QObject *parent = nullptr);

    void setCluster(const QString &clusterId);
    QString clusterId() const { return m_clusterId; }
    QString prefix() const { return m_prefix; }
    void open(const QString &prefix);
    void up();
    void refresh();
    // A new, empty folder `name` in the current one.
    void addFolder(const QString &name);
    bool isLoading() const { return m_loading; }

    // "data/ada@x/run1/" → {"", "data/", "data/ada@x/", "data/ada@x/run1/"}
    static QStringList crumbs(const QString &prefix);

Q_SIGNALS:
    void prefixChanged(const QString &prefix);
    void loadingChanged(bool loading);
    void loaded();
    void failed(const clusterra::ApiError &error);

private:
    void fetch(const QString &after);
    void setLoading(bool loading);

    ApiClient *m_api;
    FileListModel *m_model;
    QString m_clusterId;
    QString m_prefix;
    QStringList m_folders;
    QList<FileEntry> m_files;
    QHash<QString, QSet<QString>> m_madeFolders; // parent prefix -> folder prefixes made here
    int m_generation = 0;
    bool m_loading = false;
};

} // namespace clusterra
