#include "widgets/SubmitDialog.h"

#include "core/api/Drafts.h"
#include "core/client/ApiClient.h"
#include "core/client/JobCalls.h"
#include "core/templates/JobTemplate.h"
#include "models/StateColors.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

namespace clusterra {

SubmitDialog::SubmitDialog(ApiClient *api, const ClusterInfo &cluster, QWidget *parent)
    : QDialog(parent)
    , m_api(api)
    , m_cluster(cluster) {
    setObjectName(QStringLiteral("submitDialog"));
    setWindowTitle(tr("New job on %1").arg(cluster.name));
    resize(820, 640);
    auto *layout = new QVBoxLayout(this);
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("submitTabs"));
    m_tabs->addTab(buildForm(), tr("&Form"));
    m_tabs->addTab(buildTemplate(), tr("&Template"));
    m_tabs->addTab(buildRaw(), tr("&Raw JSON (v0.0.44)"));
    connect(m_tabs, &QTabWidget::currentChanged, this, &SubmitDialog::checkCurrent);
    layout->addWidget(m_tabs, 1);
    m_errors = new QLabel(this);
    m_errors->setObjectName(QStringLiteral("submitErrors"));
    m_errors->setWordWrap(true);
    m_errors->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPalette p = m_errors->palette();
    p.setColor(QPalette::WindowText, stateColor(StateFilter::Failed, palette()));
    m_errors->setPalette(p);
    layout->addWidget(m_errors);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton *ok = buttons->addButton(tr("&Submit"), QDialogButtonBox::AcceptRole);
    ok->setObjectName(QStringLiteral("submitButton"));
    ok->setDefault(true);
    connect(ok, &QPushButton::clicked, this, &SubmitDialog::submit);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    m_api->jobs().templates(this,
                            [this](const QList<TemplateSummary> &list, const ApiError &error) {
                                if (error.isError()) {
                                    m_templateDescription->setText(
                                        tr("Templates are not available: %1").arg(error.message));
                                    return;
                                }
                                for (const auto &t : list) {
                                    auto *item = new QListWidgetItem(t.name, m_templateList);
                                    item->setData(Qt::UserRole, t.id);
                                    item->setToolTip(t.description);
                                }
                            });
    checkCurrent();
}

QWidget *SubmitDialog::buildForm() {
    auto *w = new QWidget(this);
    auto *form = new QFormLayout(w);
    m_name = new QLineEdit(QStringLiteral("job"), w);
    m_name->setObjectName(QStringLiteral("formName"));
    m_name->setAccessibleName(tr("Job name"));
    form->addRow(tr("&Name"), m_name);
    m_partition = new QComboBox(w);
    m_partition->setObjectName(QStringLiteral("formPartition"));
    m_partition->setAccessibleName(tr("Partition"));
    for (const auto &p : m_cluster.partitions)
        m_partition->addItem(p.isDefault ? tr("%1 (default)").arg(p.name) : p.name, p.name);
    form->addRow(tr("&Partition"), m_partition);
    m_script = new QPlainTextEdit(
        QStringLiteral("#!/bin/bash\necho \"Hello from $SLURM_JOB_ID on $(hostname)\"\n"), w);
    m_script->setObjectName(QStringLiteral("formScript"));
    m_script->setAccessibleName(tr("Batch script"));
    m_script->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_script->setMinimumHeight(160);
    form->addRow(tr("&Script"), m_script);
    auto spin = [w](const QString &name, int min, int max, int value, const QString &special = {}) {
        auto *s = new QSpinBox(w);
        s->setObjectName(name);
        s->setRange(min, max);
        s->setValue(value);
        if (!special.isEmpty())
            s->setSpecialValueText(special);
        return s;
    };
    m_tasks = spin(QStringLiteral("formTasks"), 1, 100000, 1);
    m_tasks->setAccessibleName(tr("Tasks"));
    form->addRow(tr("T&asks"), m_tasks);
    m_cpus = spin(QStringLiteral("formCpus"), 1, 4096, 1);
    m_cpus->setAccessibleName(tr("CPUs per task"));
    form->addRow(tr("&CPUs per task"), m_cpus);
    m_memory = spin(QStringLiteral("formMemory"), 0, 4 * 1024 * 1024, 0, tr("partition default"));
    m_memory->setSuffix(tr(" MB"));
    m_memory->setAccessibleName(tr("Memory per node"));
    form->addRow(tr("&Memory per node"), m_memory);
    m_time = spin(QStringLiteral("formTime"), 0, 525600, 60, tr("unlimited"));
    m_time->setSuffix(tr(" min"));
    m_time->setAccessibleName(tr("Time limit"));
    form->addRow(tr("Time &limit"), m_time);
    m_workdir = new QLineEdit(QStringLiteral("/tmp"), w);
    m_workdir->setObjectName(QStringLiteral("formWorkdir"));
    m_workdir->setAccessibleName(tr("Working directory"));
    form->addRow(tr("&Working directory"), m_workdir);
    m_environment =
        new QPlainTextEdit(QStringLiteral("PATH=/usr/local/bin:/usr/bin:/bin\nLANG=C.UTF-8"), w);
    m_environment->setObjectName(QStringLiteral("formEnvironment"));
    m_environment->setAccessibleName(tr("Environment, one KEY=VALUE per line"));
    m_environment->setMaximumHeight(90);
    m_environment->setToolTip(tr(
        "One KEY=VALUE per line; at least PATH. The job sees only these and Slurm's variables."));
    form->addRow(tr("&Environment"), m_environment);
    for (QObject *o : {static_cast<QObject *>(m_script), static_cast<QObject *>(m_environment)})
        connect(qobject_cast<QPlainTextEdit *>(o), &QPlainTextEdit::textChanged, this,
                &SubmitDialog::checkCurrent);
    for (QLineEdit *e : {m_name, m_workdir})
        connect(e, &QLineEdit::textChanged, this, &SubmitDialog::checkCurrent);
    return w;
}

QWidget *SubmitDialog::buildTemplate() {
    auto *split = new QSplitter(this);
    m_templateList = new QListWidget(split);
    m_templateList->setObjectName(QStringLiteral("templateList"));
    m_templateList->setAccessibleName(tr("Templates"));
    connect(m_templateList, &QListWidget::currentItemChanged, this, [this](QListWidgetItem *item) {
        if (item)
            loadTemplate(item->data(Qt::UserRole).toString());
    });
    auto *right = new QWidget(split);
    auto *v = new QVBoxLayout(right);
    m_templateDescription = new QLabel(tr("Choose a template on the left."), right);
    m_templateDescription->setWordWrap(true);
    v->addWidget(m_templateDescription);
    m_paramBox = new QWidget(right);
    m_paramForm = new QFormLayout(m_paramBox);
    v->addWidget(m_paramBox);
    v->addStretch();
    split->setStretchFactor(1, 2);
    return split;
}

QWidget *SubmitDialog::buildRaw() {
    auto *w = new QWidget(this);
    auto *v = new QVBoxLayout(w);
    auto *hint = new QLabel(
        tr("A slurmrestd v0.0.44 body. <b>script</b> at the top level, <b>job.environment</b> "
           "is required (e.g. [\"PATH=/usr/bin:/bin\"]), <b>nodes</b> is a string, "
           "<b>time_limit</b> is in minutes, memory in MB."),
        w);
    hint->setWordWrap(true);
    v->addWidget(hint);
    m_raw = new QPlainTextEdit(exampleSubmitText(), w);
    m_raw->setObjectName(QStringLiteral("rawEditor"));
    m_raw->setAccessibleName(tr("Raw submit body"));
    m_raw->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    connect(m_raw, &QPlainTextEdit::textChanged, this, &SubmitDialog::checkCurrent);
    v->addWidget(m_raw, 1);
    return w;
}

void SubmitDialog::setMode(Mode mode) {
    m_tabs->setCurrentIndex(int(mode));
}

SubmitDialog::Mode SubmitDialog::mode() const {
    return Mode(m_tabs->currentIndex());
}

void SubmitDialog::setRawText(const QString &text) {
    m_raw->setPlainText(text);
}

QString SubmitDialog::rawText() const {
    return m_raw->toPlainText();
}

QString SubmitDialog::errorText() const {
    return m_errors->text();
}

void SubmitDialog::selectTemplate(const QString &id) {
    for (int i = 0; i < m_templateList->count(); ++i) {
        if (m_templateList->item(i)->data(Qt::UserRole).toString() == id) {
            m_templateList->setCurrentRow(i);
            return;
        }
    }
    loadTemplate(id);
}

void SubmitDialog::loadTemplate(const QString &id) {
    m_templateId.clear();
    m_api->jobs().templateSchema(
        id, this, [this, id](const nlohmann::json &schema, const ApiError &error) {
            if (error.isError()) {
                m_templateDescription->setText(error.message);
                return;
            }
            QString why;
            const auto t = JobTemplate::fromJson(schema, &why);
            if (!t) {
                m_templateDescription->setText(tr("This template cannot be used: %1").arg(why));
                return;
            }
            while (m_paramForm->rowCount() > 0)
                m_paramForm->removeRow(0);
            m_paramEditors.clear();
            m_templateDescription->setText(
                QStringLiteral("<b>%1</b><br/>%2")
                    .arg(t->name.toHtmlEscaped(), t->description.toHtmlEscaped()));
            for (const TemplateParam &p : t->params) {
                QWidget *editor = nullptr;
                switch (p.type) {
                case ParamType::Integer: {
                    auto *s = new QSpinBox(m_paramBox);
                    s->setRange(int(p.minimum.value_or(-1e9)), int(p.maximum.value_or(1e9)));
                    s->setValue(p.defaultValue.is_number() ? p.defaultValue.get<int>()
                                                           : s->minimum());
                    connect(s, &QSpinBox::valueChanged, this, &SubmitDialog::checkCurrent);
                    editor = s;
                    break;
                }
                case ParamType::Number: {
                    auto *s = new QDoubleSpinBox(m_paramBox);
                    s->setRange(p.minimum.value_or(-1e12), p.maximum.value_or(1e12));
                    s->setValue(p.defaultValue.is_number() ? p.defaultValue.get<double>() : 0.0);
                    editor = s;
                    break;
                }
                case ParamType::Boolean: {
                    auto *c = new QCheckBox(m_paramBox);
                    c->setChecked(p.defaultValue.is_boolean() && p.defaultValue.get<bool>());
                    editor = c;
                    break;
                }
                case ParamType::Enum: {
                    auto *c = new QComboBox(m_paramBox);
                    c->addItems(p.choices);
                    if (p.defaultValue.is_string())
                        c->setCurrentText(
                            QString::fromStdString(p.defaultValue.get<std::string>()));
                    editor = c;
                    break;
                }
                case ParamType::String:
                case ParamType::FileKey: {
                    auto *e = new QLineEdit(m_paramBox);
                    e->setMaxLength(p.maxLength);
                    if (p.defaultValue.is_string())
                        e->setText(QString::fromStdString(p.defaultValue.get<std::string>()));
                    if (p.type == ParamType::FileKey)
                        e->setPlaceholderText(
                            tr("a key in the cluster's files, e.g. shared/input.dat"));
                    connect(e, &QLineEdit::textChanged, this, &SubmitDialog::checkCurrent);
                    editor = e;
                    break;
                }
                }
                editor->setObjectName(QStringLiteral("param_") + p.name);
                editor->setToolTip(p.description);
                editor->setAccessibleName(p.label);
                m_paramForm->addRow(p.required ? p.label + QStringLiteral(" *") : p.label, editor);
                m_paramEditors.insert(p.name, editor);
            }
            m_templateId = id;
            const auto pending = std::exchange(m_pendingValues, {});
            for (auto it = pending.begin(); it != pending.end(); ++it)
                setTemplateValue(it.key(), it.value());
            checkCurrent();
        });
}

void SubmitDialog::setTemplateValue(const QString &param, const QVariant &value) {
    QWidget *editor = m_paramEditors.value(param);
    if (!editor) {
        m_pendingValues.insert(param, value);
        return;
    }
    if (auto *s = qobject_cast<QSpinBox *>(editor))
        s->setValue(value.toInt());
    else if (auto *d = qobject_cast<QDoubleSpinBox *>(editor))
        d->setValue(value.toDouble());
    else if (auto *c = qobject_cast<QCheckBox *>(editor))
        c->setChecked(value.toBool());
    else if (auto *cb = qobject_cast<QComboBox *>(editor))
        cb->setCurrentText(value.toString());
    else if (auto *e = qobject_cast<QLineEdit *>(editor))
        e->setText(value.toString());
}

nlohmann::json SubmitDialog::currentBody(FieldErrors *errors) const {
    switch (mode()) {
    case FormMode: {
        JobDraft d;
        d.script = m_script->toPlainText();
        d.name = m_name->text().trimmed();
        d.partition = m_partition->currentData().toString();
        d.workingDirectory = m_workdir->text().trimmed();
        d.environment = m_environment->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        d.tasks = m_tasks->value();
        d.cpusPerTask = m_cpus->value();
        d.memoryMb = m_memory->value();
        d.timeLimitMinutes = m_time->value();
        *errors = d.check();
        return d.toJson();
    }
    case TemplateMode: {
        if (m_templateId.isEmpty()) {
            errors->append({QString(), tr("Choose a template.")});
            return {};
        }
        QList<QPair<QString, QVariant>> values;
        for (auto it = m_paramEditors.begin(); it != m_paramEditors.end(); ++it) {
            QVariant v;
            if (auto *s = qobject_cast<QSpinBox *>(it.value()))
                v = s->value();
            else if (auto *d = qobject_cast<QDoubleSpinBox *>(it.value()))
                v = d->value();
            else if (auto *c = qobject_cast<QCheckBox *>(it.value()))
                v = c->isChecked();
            else if (auto *cb = qobject_cast<QComboBox *>(it.value()))
                v = cb->currentText();
            else if (auto *e = qobject_cast<QLineEdit *>(it.value()))
                v = e->text();
            values.append({it.key(), v});
        }
        return templateSubmission(m_templateId, values);
    }
    case RawMode: {
        const TextCheck check = checkSubmitText(m_raw->toPlainText());
        *errors = check.errors;
        return check.body;
    }
    }
    return {};
}

void SubmitDialog::checkCurrent() {
    FieldErrors errors;
    currentBody(&errors);
    showErrors(errors);
}

void SubmitDialog::showErrors(const FieldErrors &errors, const QString &headline) {
    QStringList lines;
    if (!headline.isEmpty())
        lines << headline;
    for (const auto &e : errors)
        lines << (e.field.isEmpty() ? e.message : QStringLiteral("%1: %2").arg(e.field, e.message));
    m_errors->setText(lines.join(QLatin1Char('\n')));
}

void SubmitDialog::submit() {
    FieldErrors errors;
    const nlohmann::json body = currentBody(&errors);
    if (!errors.isEmpty()) {
        showErrors(errors, tr("Fix these before submitting:"));
        return;
    }
    m_errors->setText(tr("Submitting…"));
    m_api->jobs().submit(m_cluster.id, body, this,
                         [this](qint64 jobId, const QStringList &warnings, const ApiError &error) {
                             if (error.isError()) {
                                 // Keep everything the user typed; say what the server refused and
                                 // where.
                                 FieldErrors shown = error.details;
                                 if (shown.isEmpty())
                                     shown.append({error.field, error.message});
                                 showErrors(shown, tr("The server refused the job:"));
                                 return;
                             }
                             Q_UNUSED(warnings)
                             Q_EMIT submitted(jobId);
                             accept();
                         });
}

} // namespace clusterra
