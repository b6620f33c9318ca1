#pragma once

#include "core/api/Types.h"
#include "core/transfer/UploadPlanner.h"

#include <QWidget>

class QHBoxLayout;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;
class QTimer;
class QToolButton;

namespace clusterra {

class ApiClient;
class FileBrowser;
class FileListModel;
class TransferManager;
class TransferQueue;
class TransfersPanel;

// The Files tab: a browser over the cluster's bucket (breadcrumbs, sort, filter), uploads by
// drag-and-drop or file dialog (whole folders too), downloads, delete with confirmation, new
// folder, copy key or link, and the transfer queue below.
class FilesPage : public QWidget {
    Q_OBJECT
public:
    FilesPage(ApiClient *api, TransferQueue *queue, QWidget *parent = nullptr);

    void setCluster(const QString &clusterId);
    void setUser(const QString &email, bool isAdmin);
    FileBrowser *browser() const { return m_browser; }
    FileListModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    TransfersPanel *transfers() const { return m_transfers; }

    // What a drop or the Upload buttons do: plan, ask before replacing, queue.
    void uploadPaths(const QStringList &localPaths, const QString &targetPrefix);
    // Downloads the selected files and folders into `dir`.
    void downloadSelectionTo(const QString &dir);
    void deleteSelection();
    // Returns an error for a bad name; otherwise opens the new folder.
    QString createFolder(const QString &name);
    void copySelectionKey();
    void copySelectionLink();

Q_SIGNALS:
    void statusMessage(const QString &text);

private:
    struct Selected {
        QList<FileEntry> files;
        QStringList folders;
    };
    Selected selection() const;
    void showContextMenu(const QPoint &pos);
    void rebuildCrumbs(const QString &prefix);
    void updateState();
    void openRow(const QModelIndex &index);
    void queueUploads(const QList<PlannedUpload> &uploads);
    void chooseUploadFiles(bool folder);
    void chooseDownloadDir();
    void askNewFolder();
    QString uploadTarget(const QString &prefix) const;

    ApiClient *m_api;
    TransferManager *m_transferManager; // runs what the page queues
    FileListModel *m_model;
    FileBrowser *m_browser;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_view;
    TransfersPanel *m_transfers;
    QHBoxLayout *m_crumbs;
    QLineEdit *m_filter;
    QLabel *m_state;
    QToolButton *m_up;
    QTimer *m_refreshSoon;
    QString m_clusterId;
    QString m_email;
    bool m_admin = false;
    QString m_error;
};

} // namespace clusterra
