#pragma once

#include "core/api/JobDraft.h"
#include "core/api/Types.h"
#include "core/base/ApiError.h"

#include <QDialog>
#include <QHash>

class QCheckBox;
class QComboBox;
class QPushButton;
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
// or a raw slurmrestd v0.0.44 body. Form and Raw JSON are two views of one job draft: switching
// carries the job across, and keys only the JSON shows survive the form. Checked live with
// core's rules for the cluster's scheduler; a server refusal shows at the field and nothing the
// user typed is lost; the server's warnings are shown before the dialog closes. Ctrl+Enter
// submits.
class SubmitDialog : public QDialog {
    Q_OBJECT
public:
    enum Mode { FormMode, TemplateMode, RawMode };

    SubmitDialog(ApiClient *api, const ClusterInfo &cluster, QWidget *parent = nullptr);

    void setMode(Mode mode);
    Mode mode() const;
    // The form's job (with the keys only the JSON view shows), and filling the form from one.
    JobDraft draft() const;
    void setDraft(const JobDraft &draft);
    // After a submit the server answered with warnings: they are shown and the dialog stays
    // open until the user closes it.
    QString noticeText() const;
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
    void onTabChanged(int index);
    void onFormEdited();
    void onRawEdited();
    void checkCurrent();
    void showSubmitted(qint64 jobId, const QStringList &warnings);
    void showErrors(const FieldErrors &errors, const QString &headline = {});
    nlohmann::json currentBody(FieldErrors *errors) const;

    ApiClient *m_api;
    ClusterInfo m_cluster;
    QTabWidget *m_tabs;
    QLabel *m_errors = nullptr;
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
    QLineEdit *m_nodes = nullptr;
    QSpinBox *m_gpus = nullptr;
    QLineEdit *m_output = nullptr;
    QLineEdit *m_error = nullptr;
    QLineEdit *m_array = nullptr;
    QLineEdit *m_dependency = nullptr;
    QCheckBox *m_mailOnEnd = nullptr;
    QLabel *m_formNote = nullptr;
    nlohmann::json m_formExtra = nlohmann::json::object(); // job keys only the JSON shows
    JobKeys m_keys;
    // Which of Form and Raw JSON was shown last, and what was edited since the two agreed.
    Mode m_lastJobView = FormMode;
    bool m_formEdited = false;
    bool m_rawEdited = false;
    bool m_rawUnreadable = false;
    QPushButton *m_submit = nullptr;
    QPushButton *m_cancel = nullptr;
    QLabel *m_notice = nullptr;
    bool m_done = false;
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
