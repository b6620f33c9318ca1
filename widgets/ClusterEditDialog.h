#pragma once

#include "core/api/Drafts.h"
#include "core/api/Types.h"
#include "core/base/ApiError.h"

#include <QDialog>
#include <QList>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTableWidget;

namespace clusterra {

class ApiClient;

// Changes what an administrator may change of a cluster after it exists: its description,
// its deletion protection and each partition's minimum and maximum node count. Only the
// fields that changed are sent; a refusal is shown at the field it names and loses nothing.
class ClusterEditDialog : public QDialog {
    Q_OBJECT
public:
    enum Focus { DescriptionFocus, ScaleFocus };

    ClusterEditDialog(ApiClient *api, const ClusterInfo &cluster, Focus focus,
                      QWidget *parent = nullptr);

    // What would be sent: the changed fields only (empty when nothing changed).
    ClusterPatch patch() const;
    void save();
    // Shows a server refusal: the message under the field at fault, its row tinted.
    void showError(const ApiError &error);
    QString errorText() const;

Q_SIGNALS:
    void saved(const clusterra::ClusterInfo &cluster);

private:
    struct PartitionRow {
        QString name;
        int min = 0;
        int max = 0;
        QSpinBox *minBox = nullptr;
        QSpinBox *maxBox = nullptr;
    };
    void updateButtons();

    ApiClient *m_api;
    ClusterInfo m_cluster;
    QLineEdit *m_description;
    QCheckBox *m_protection;
    QTableWidget *m_table;
    QList<PartitionRow> m_rows;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
    bool m_busy = false;
};

} // namespace clusterra
