#include "widgets/DeleteClusterDialog.h"

#include "widgets/ErrorLabel.h"

#include "core/api/Drafts.h"
#include "core/client/ApiClient.h"
#include "core/client/ClusterCalls.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace clusterra {

DeleteClusterDialog::DeleteClusterDialog(ApiClient *api, const ClusterInfo &cluster,
                                         QWidget *parent)
    : QDialog(parent)
    , m_api(api)
    , m_cluster(cluster) {
    setObjectName(QStringLiteral("deleteClusterDialog"));
    setWindowTitle(tr("Delete %1").arg(cluster.name));
    auto *layout = new QVBoxLayout(this);
    const int active = cluster.jobsRunning + cluster.jobsPending;
    const QString name = cluster.name.toHtmlEscaped();
    const QString what =
        active > 0 ? tr("Delete the cluster <b>%1</b>? This cannot be undone. Its running and "
                        "pending jobs (%2) are cancelled first; then its nodes and its job history "
                        "are removed.")
                         .arg(name)
                         .arg(active)
                   : tr("Delete the cluster <b>%1</b>? This cannot be undone. Its nodes and its "
                        "job history are removed.")
                         .arg(name);
    auto *text = new QLabel(what, this);
    text->setObjectName(QStringLiteral("deleteWhat"));
    text->setWordWrap(true);
    layout->addWidget(text);
    if (cluster.deletionProtection) {
        auto *protectedText = new QLabel(
            tr("Deletion protection is on: someone turned it on so that this cluster is not "
               "deleted by mistake. It has to be turned off to delete the cluster."),
            this);
        protectedText->setObjectName(QStringLiteral("deleteProtected"));
        protectedText->setWordWrap(true);
        layout->addWidget(protectedText);
        m_unprotect = new QCheckBox(tr("&Turn deletion protection off and delete"), this);
        m_unprotect->setObjectName(QStringLiteral("deleteUnprotect"));
        layout->addWidget(m_unprotect);
        connect(m_unprotect, &QCheckBox::toggled, this, &DeleteClusterDialog::updateButton);
    }
    auto *prompt =
        new QLabel(tr("Type <b>%1</b> to confirm:").arg(cluster.name.toHtmlEscaped()), this);
    layout->addWidget(prompt);
    m_typedName = new QLineEdit(this);
    m_typedName->setObjectName(QStringLiteral("deleteTypedName"));
    m_typedName->setAccessibleName(tr("The cluster's name, to confirm"));
    prompt->setBuddy(m_typedName);
    layout->addWidget(m_typedName);
    m_error = makeErrorLabel(QStringLiteral("deleteError"), this);
    layout->addWidget(m_error);
    auto *buttons = new QDialogButtonBox(this);
    m_delete = buttons->addButton(tr("Delete cluster"), QDialogButtonBox::DestructiveRole);
    m_delete->setObjectName(QStringLiteral("deleteConfirm"));
    QPushButton *keep = buttons->addButton(tr("Keep it"), QDialogButtonBox::RejectRole);
    // Enter in the name field neither deletes nor closes the dialog: no default button.
    for (QPushButton *b : {m_delete, keep}) {
        b->setDefault(false);
        b->setAutoDefault(false);
    }
    connect(m_delete, &QPushButton::clicked, this, &DeleteClusterDialog::confirmDelete);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    connect(m_typedName, &QLineEdit::textChanged, this, &DeleteClusterDialog::updateButton);
    m_typedName->setFocus();
    setMinimumWidth(qMax(460, fontMetrics().averageCharWidth() * 60));
    updateButton();
}

bool DeleteClusterDialog::canDelete() const {
    return !m_busy && m_typedName->text() == m_cluster.name &&
           (!m_unprotect || m_unprotect->isChecked());
}

void DeleteClusterDialog::updateButton() {
    m_delete->setEnabled(canDelete());
    if (m_typedName->text() != m_cluster.name)
        m_delete->setToolTip(tr("Type the cluster's name first."));
    else if (m_unprotect && !m_unprotect->isChecked())
        m_delete->setToolTip(tr("Deletion protection is on; tick the box to turn it off."));
    else
        m_delete->setToolTip(QString());
}

void DeleteClusterDialog::confirmDelete() {
    if (!canDelete())
        return;
    m_busy = true;
    m_error->hide();
    updateButton();
    if (!m_unprotect) {
        removeNow();
        return;
    }
    m_api->clusters().update(
        m_cluster.id,
        ClusterPatch{.description = {}, .deletionProtection = false, .partitions = {}}.toJson(),
        this, [this](const ClusterInfo &, const ApiError &e) {
            if (e.isError()) {
                fail(tr("Deletion protection could not be turned off: %1").arg(e.message));
                return;
            }
            removeNow();
        });
}

void DeleteClusterDialog::removeNow() {
    m_api->clusters().remove(m_cluster.id, this, [this](const ApiError &e) {
        if (e.isError()) {
            fail(m_unprotect ? tr("Deletion protection is off now, but the cluster was not "
                                  "deleted: %1")
                                   .arg(e.message)
                             : e.message);
            return;
        }
        Q_EMIT deletionStarted(m_cluster.id);
        accept();
    });
}

void DeleteClusterDialog::fail(const QString &message) {
    m_busy = false;
    m_error->setText(message);
    m_error->show();
    updateButton();
}

QString DeleteClusterDialog::errorText() const {
    return m_error->isVisible() ? m_error->text() : QString();
}

} // namespace clusterra
