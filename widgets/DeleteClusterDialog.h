#pragma once

#include "core/api/Types.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace clusterra {

class ApiClient;

// Deleting a cluster cancels its jobs and cannot be undone, so the user types its name first.
// A protected cluster says why it is protected and offers to turn protection off in the same
// step, rather than failing with DeletionProtected after the name was typed.
class DeleteClusterDialog : public QDialog {
    Q_OBJECT
public:
    DeleteClusterDialog(ApiClient *api, const ClusterInfo &cluster, QWidget *parent = nullptr);

    bool canDelete() const;
    void confirmDelete();
    QString errorText() const;

Q_SIGNALS:
    // The server accepted the deletion; the cluster is now `deleting`.
    void deletionStarted(const QString &clusterId);

private:
    void updateButton();
    void removeNow();
    void fail(const QString &message);

    ApiClient *m_api;
    ClusterInfo m_cluster;
    QLineEdit *m_typedName;
    QCheckBox *m_unprotect = nullptr;
    QLabel *m_error;
    QPushButton *m_delete;
    bool m_busy = false;
};

} // namespace clusterra
