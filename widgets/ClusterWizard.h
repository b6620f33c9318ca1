#pragma once

#include "core/api/Drafts.h"
#include "core/api/Types.h"

#include <QHash>
#include <QWizard>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTableView;

namespace clusterra {

class ApiClient;
class KeyValueModel;
class PartitionEditModel;

// Create a cluster: basics, network (AWS only), partitions, options, review. Every field is
// checked live with core's rules (the server's), the message under the field; a server
// refusal (name in use, limit reached) brings the user back to the page and field at fault.
class ClusterWizard : public QWizard {
    Q_OBJECT
public:
    enum Page { BasicsPage, NetworkPage, PartitionsPage, OptionsPage, ReviewPage };

    explicit ClusterWizard(ApiClient *api, QWidget *parent = nullptr);

    ClusterDraft draft() const;
    // Shows a server error at its field (or on the review page) and goes to that page.
    void showServerError(const ApiError &error);
    QString fieldError(const QString &field) const;
    static int pageOfField(const QString &field);

Q_SIGNALS:
    void created(const clusterra::ClusterInfo &cluster);

protected:
    void accept() override;
    bool validateCurrentPage() override;
    int nextId() const override;

private:
    void buildPages();
    QLabel *errorLabel(const QString &field, QWidget *parent);
    void revalidate();
    void setPageMessage(const QString &text);
    void applyProviders(const QList<ProviderInfo> &providers);

    ApiClient *m_api;
    PartitionEditModel *m_partitions;
    KeyValueModel *m_tags;
    QLineEdit *m_name = nullptr;
    QComboBox *m_type = nullptr;
    QLineEdit *m_description = nullptr;
    QComboBox *m_provider = nullptr;
    QLabel *m_providerNote = nullptr;
    QLineEdit *m_region = nullptr;
    QLineEdit *m_subnet = nullptr;
    QLineEdit *m_vpc = nullptr;
    QLineEdit *m_keyPair = nullptr;
    QLineEdit *m_cloudAccount = nullptr;
    QLineEdit *m_nodeType = nullptr;
    QSpinBox *m_minNodes = nullptr;
    QSpinBox *m_maxNodes = nullptr;
    QTableView *m_partitionView = nullptr;
    QCheckBox *m_protection = nullptr;
    QLabel *m_review = nullptr;
    QLabel *m_reviewError = nullptr;
    QHash<QString, QLabel *> m_errorLabels;
    FieldErrors m_errors;
    ApiError m_serverError;
    QString m_refusedName;
    bool m_submitting = false;
};

} // namespace clusterra
