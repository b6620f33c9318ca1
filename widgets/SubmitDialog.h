#pragma once

#include "core/api/Types.h"
#include "core/base/ApiError.h"

#include <QDialog>
#include <QHash>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QSpinBox;
class QTabWidget;
class QWidget;

namespace clusterra {

class ApiClient;

// Submit a job three ways: a form, a template (its form generated from the parameter schema)
// or a raw slurmrestd v0.0.44 body. Checked live with core's rules; a server refusal shows at
// the field and nothing the user typed is lost.
class SubmitDialog : public QDialog {
    Q_OBJECT
public:
    enum Mode { FormMode, TemplateMode, RawMode };

    SubmitDialog(ApiClient *api, const ClusterInfo &cluster, QWidget *parent = nullptr);

    void setMode(Mode mode);
    Mode mode() const;
    void setRawText(const QString &text);
    QString rawText() const;
    // Template mode: picks a template and (after its schema loads) fills parameters.
    void selectTemplate(const QString &id);
    void setTemplateValue(const QString &param, const QVariant &value);
    bool templateReady() const { return !m_templateId.isEmpty(); }
    QString errorText() const;
    void submit();

Q_SIGNALS:
    void submitted(qint64 jobId);

private:
    QWidget *buildForm();
    QWidget *buildTemplate();
    QWidget *buildRaw();
    void loadTemplate(const QString &id);
    void checkCurrent();
    void showErrors(const FieldErrors &errors, const QString &headline = {});
    nlohmann::json currentBody(FieldErrors *errors) const;

    ApiClient *m_api;
    ClusterInfo m_cluster;
    QTabWidget *m_tabs;
    QLabel *m_errors;
    // Form mode
    QLineEdit *m_name = nullptr;
    QComboBox *m_partition = nullptr;
    QPlainTextEdit *m_script = nullptr;
    QSpinBox *m_tasks = nullptr;
    QSpinBox *m_cpus = nullptr;
    QSpinBox *m_memory = nullptr;
    QSpinBox *m_time = nullptr;
    QLineEdit *m_workdir = nullptr;
    QPlainTextEdit *m_environment = nullptr;
    // Template mode
    QListWidget *m_templateList = nullptr;
    QLabel *m_templateDescription = nullptr;
    QWidget *m_paramBox = nullptr;
    QFormLayout *m_paramForm = nullptr;
    QString m_templateId;
    QHash<QString, QWidget *> m_paramEditors;
    QHash<QString, QVariant> m_pendingValues;
    // Raw mode
    QPlainTextEdit *m_raw = nullptr;
};

} // namespace clusterra
