#include "widgets/SubmitDialog.h"

#include "widgets/ParamEditor.h"
#include "widgets/Sizing.h"

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
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QShortcut>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>
#include <algorithm>

namespace clusterra {

SubmitDialog::SubmitDialog(ApiClient *api, const ClusterInfo &cluster, QWidget *parent)
    : QDialog(parent)
    , m_api(api)
    , m_cluster(cluster)
    , m_keys(jobKeysForProvider(cluster.provider)) {
    setObjectName(QStringLiteral("submitDialog"));
    setWindowTitle(tr("New job on %1").arg(cluster.name));
    resizeWithinScreen(this, {880, 640});
    auto *layout = new QVBoxLayout(this);
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("submitTabs"));
    m_tabs->addTab(buildForm(), tr("&Form"));
    m_tabs->addTab(buildTemplate(), tr("&Template"));
    m_tabs->addTab(buildRaw(), tr("&Raw JSON (v0.0.44)"));
    connect(m_tabs, &QTabWidget::currentChanged, this, &SubmitDialog::onTabChanged);
    layout->addWidget(m_tabs, 1);
    m_errors = new QLabel(this);
    m_errors->setObjectName(QStringLiteral("submitErrors"));
    m_errors->setWordWrap(true);
    m_errors->setTextFormat(Qt::PlainText); // the server's and the rules' words, never markup
    m_errors->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPalette p = m_errors->palette();
    p.setColor(QPalette::WindowText, stateColor(StateFilter::Failed, palette()));
    m_errors->setPalette(p);
    layout->addWidget(m_errors);
    m_notice = new QLabel(this);
    m_notice->setObjectName(QStringLiteral("submitNotice"));
    m_notice->setWordWrap(true);
    m_notice->setTextFormat(Qt::PlainText);
    m_notice->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_notice->hide();
    layout->addWidget(m_notice);
    auto *buttons = new QDialogButtonBox(this);
    m_cancel = buttons->addButton(QDialogButtonBox::Cancel);
    m_submit = buttons->addButton(tr("&Submit"), QDialogButtonBox::AcceptRole);
    m_submit->setObjectName(QStringLiteral("submitButton"));
    m_submit->setDefault(true);
    m_submit->setToolTip(tr("Submit the job (Ctrl+Enter)"));
    connect(m_submit, &QPushButton::clicked, this, &SubmitDialog::submit);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    // From anywhere in the dialog, the script editor included (where Enter is a new line).
    for (const QKeySequence &keys :
         {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)}) {
        auto *shortcut = new QShortcut(keys, this);
        shortcut->setContext(Qt::WindowShortcut);
        connect(shortcut, &QShortcut::activated, this, &SubmitDialog::submit);
    }
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
    auto *columns = new QHBoxLayout(w);
    // The small fields scroll on a short screen; the script keeps the height it has.
    auto *scroll = new QScrollArea(w);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto *left = new QWidget(scroll);
    auto *form = new QFormLayout(left);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    scroll->setWidget(left);
    const JobDraft defaults;
    const auto line = [this, left](const QString &name, const QString &accessible,
                                   const QString &tip, const QString &placeholder = {}) {
        auto *e = new QLineEdit(left);
        e->setObjectName(name);
        e->setAccessibleName(accessible);
        e->setToolTip(tip);
        e->setPlaceholderText(placeholder);
        connect(e, &QLineEdit::textChanged, this, &SubmitDialog::onFormEdited);
        return e;
    };
    const auto spin = [this, left](const QString &name, const QString &accessible, int min, int max,
                                   const QString &special = {}) {
        auto *s = new QSpinBox(left);
        s->setObjectName(name);
        s->setAccessibleName(accessible);
        s->setRange(min, max);
        if (!special.isEmpty())
            s->setSpecialValueText(special);
        connect(s, &QSpinBox::valueChanged, this, &SubmitDialog::onFormEdited);
        return s;
    };
    m_name = line(QStringLiteral("formName"), tr("Job name"), tr("Shown in the job table"));
    form->addRow(tr("&Name"), m_name);
    m_partition = new QComboBox(left);
    m_partition->setObjectName(QStringLiteral("formPartition"));
    m_partition->setAccessibleName(tr("Partition"));
    // None named: the job goes where the cluster sends jobs that name none.
    m_partition->addItem(m_cluster.defaultPartition.isEmpty()
                             ? tr("The cluster's default")
                             : tr("The cluster's default (%1)").arg(m_cluster.defaultPartition),
                         QString());
    for (const auto &p : m_cluster.partitions)
        m_partition->addItem(p.name, p.name);
    connect(m_partition, &QComboBox::currentIndexChanged, this, &SubmitDialog::onFormEdited);
    form->addRow(tr("&Partition"), m_partition);
    m_tasks = spin(QStringLiteral("formTasks"), tr("Tasks"), 1, kFormMaxTasks);
    form->addRow(tr("T&asks"), m_tasks);
    m_cpus = spin(QStringLiteral("formCpus"), tr("CPUs per task"), 1, kFormMaxCpusPerTask);
    form->addRow(tr("&CPUs per task"), m_cpus);
    m_nodes = line(QStringLiteral("formNodes"), tr("Nodes"),
                   tr("How many nodes: a count (2) or a range (1-4)"), tr("1"));
    form->addRow(tr("N&odes"), m_nodes);
    m_gpus = spin(QStringLiteral("formGpus"), tr("GPUs for the job"), 0, kFormMaxGpus, tr("none"));
    m_gpus->setToolTip(tr("GPUs for the whole job (tres_per_job gres/gpu:N)"));
    form->addRow(tr("&GPUs"), m_gpus);
    m_memory = spin(QStringLiteral("formMemory"), tr("Memory per node"), 0, kFormMaxMemoryMb,
                    tr("partition default"));
    m_memory->setSuffix(tr(" MB"));
    form->addRow(tr("&Memory per node"), m_memory);
    m_time = spin(QStringLiteral("formTime"), tr("Time limit"), 0, kFormMaxTimeMinutes,
                  tr("partition default"));
    m_time->setSuffix(tr(" min"));
    form->addRow(tr("Time &limit"), m_time);
    m_array = line(QStringLiteral("formArray"), tr("Array range"),
                   tr("Run the script once per index: 1-10, 1,3,5 or 0-99%4 (at most 4 at "
                      "once); $SLURM_ARRAY_TASK_ID holds the index"),
                   tr("e.g. 1-10%2"));
    form->addRow(tr("Arra&y"), m_array);
    m_dependency =
        line(QStringLiteral("formDependency"), tr("Dependency"),
             tr("Start only after other jobs: afterok:42, afterany:42:43"), tr("e.g. afterok:42"));
    form->addRow(tr("&Depends on"), m_dependency);
    m_mailOnEnd = new QCheckBox(tr("Mail me &when the job ends"), left);
    m_mailOnEnd->setObjectName(QStringLiteral("formMailOnEnd"));
    connect(m_mailOnEnd, &QCheckBox::toggled, this, &SubmitDialog::onFormEdited);
    form->addRow(QString(), m_mailOnEnd);
    if (m_keys == JobKeys::LocalExecutor) {
        // This server runs the job itself and has no scheduler to wait or mail for it.
        const QString why = tr("Only a cluster on an existing Slurm does this.");
        for (QWidget *off :
             {static_cast<QWidget *>(m_dependency), static_cast<QWidget *>(m_mailOnEnd)}) {
            off->setEnabled(false);
            off->setToolTip(why);
        }
        // A mnemonic that leads to a disabled field does nothing: none is shown.
        if (auto *label = qobject_cast<QLabel *>(form->labelForField(m_dependency)))
            label->setText(tr("Depends on"));
        m_mailOnEnd->setText(tr("Mail me when the job ends"));
    }
    m_workdir = line(QStringLiteral("formWorkdir"), tr("Working directory"),
                     tr("Where the script starts; must exist on the node"));
    form->addRow(tr("Wor&king directory"), m_workdir);
    m_output = line(QStringLiteral("formOutput"), tr("Output file"),
                    tr("Where standard output goes; %j is the job id, %a the array index"),
                    tr("job_%j.out"));
    form->addRow(tr("O&utput file"), m_output);
    m_error = line(QStringLiteral("formError"), tr("Error file"),
                   tr("Where standard error goes; empty: with the output"), tr("with the output"));
    form->addRow(tr("Error f&ile"), m_error);
    m_formNote = new QLabel(left);
    m_formNote->setObjectName(QStringLiteral("formNote"));
    m_formNote->setWordWrap(true);
    m_formNote->setForegroundRole(QPalette::PlaceholderText);
    form->addRow(m_formNote);
    // As wide as the fields need, never cut at the right.
    scroll->setMinimumWidth(left->minimumSizeHint().width() +
                            scroll->verticalScrollBar()->sizeHint().width());
    columns->addWidget(scroll, 1);

    auto *right = new QVBoxLayout;
    auto *scriptLabel = new QLabel(tr("&Batch script"), w);
    m_script = new QPlainTextEdit(w);
    m_script->setObjectName(QStringLiteral("formScript"));
    m_script->setAccessibleName(tr("Batch script"));
    m_script->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_script->setMinimumHeight(120);
    m_script->setTabChangesFocus(true); // Tab moves on; the keyboard never gets stuck here
    scriptLabel->setBuddy(m_script);
    right->addWidget(scriptLabel);
    right->addWidget(m_script, 3);
    auto *envLabel = new QLabel(tr("&Environment (one KEY=VALUE per line)"), w);
    m_environment = new QPlainTextEdit(w);
    m_environment->setObjectName(QStringLiteral("formEnvironment"));
    m_environment->setAccessibleName(tr("Environment, one KEY=VALUE per line"));
    m_environment->setTabChangesFocus(true);
    m_environment->setToolTip(tr(
        "One KEY=VALUE per line; at least PATH. The job sees only these and Slurm's variables."));
    envLabel->setBuddy(m_environment);
    right->addWidget(envLabel);
    right->addWidget(m_environment, 1);
    columns->addLayout(right, 1);
    for (QPlainTextEdit *e : {m_script, m_environment})
        connect(e, &QPlainTextEdit::textChanged, this, &SubmitDialog::onFormEdited);
    setDraft(defaults);
    return w;
}

JobDraft SubmitDialog::draft() const {
    JobDraft d;
    d.script = m_script->toPlainText();
    d.name = m_name->text().trimmed();
    d.partition = m_partition->currentData().toString();
    d.workingDirectory = m_workdir->text().trimmed();
    d.environment = m_environment->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    d.tasks = m_tasks->value();
    d.cpusPerTask = m_cpus->value();
    d.nodes = m_nodes->text().trimmed();
    d.gpus = m_gpus->value();
    d.memoryMb = m_memory->value();
    d.timeLimitMinutes = m_time->value();
    d.standardOutput = m_output->text().trimmed();
    d.standardError = m_error->text().trimmed();
    d.array = m_array->text().trimmed();
    d.dependency = m_dependency->text().trimmed();
    d.mailOnEnd = m_mailOnEnd->isChecked();
    d.extra = m_formExtra;
    return d;
}

void SubmitDialog::setDraft(const JobDraft &d) {
    m_script->setPlainText(d.script);
    m_name->setText(d.name);
    int partition = m_partition->findData(d.partition);
    if (partition < 0) {
        // Kept as asked, so the server says what it thinks of it, not the form.
        m_partition->addItem(tr("%1 (not on this cluster)").arg(d.partition), d.partition);
        partition = m_partition->count() - 1;
    }
    m_partition->setCurrentIndex(partition);
    m_workdir->setText(d.workingDirectory);
    m_environment->setPlainText(d.environment.join(QLatin1Char('\n')));
    m_tasks->setValue(d.tasks);
    m_cpus->setValue(d.cpusPerTask);
    m_nodes->setText(d.nodes);
    m_gpus->setValue(d.gpus);
    m_memory->setValue(int(std::clamp<qint64>(d.memoryMb, 0, m_memory->maximum())));
    m_time->setValue(int(std::clamp<qint64>(d.timeLimitMinutes, 0, m_time->maximum())));
    m_output->setText(d.standardOutput);
    m_error->setText(d.standardError);
    m_array->setText(d.array);
    m_formExtra = d.extra;
    // A field that cannot act here (disabled, with its reason) does not hide what the job asks:
    // the value travels with the JSON-only keys, where the check names it.
    const bool canAct = m_dependency->isEnabled();
    m_dependency->setText(canAct ? d.dependency : QString());
    m_mailOnEnd->setChecked(canAct && d.mailOnEnd);
    if (!canAct && !d.dependency.isEmpty())
        m_formExtra["dependency"] = d.dependency.toStdString();
    if (!canAct && d.mailOnEnd)
        m_formExtra["mail_type"] = nlohmann::json::array({"END"});
    m_formEdited = false; // the form is the draft it was given
    const QStringList onlyJson = draft().keysOnlyInJson();
    m_formNote->setText(
        onlyJson.isEmpty()
            ? QString()
            : tr("Also sent, from the Raw JSON tab: %1").arg(onlyJson.join(QStringLiteral(", "))));
    checkCurrent();
}

void SubmitDialog::onFormEdited() {
    m_formEdited = true;
    checkCurrent();
}

void SubmitDialog::onRawEdited() {
    m_rawEdited = true;
    checkCurrent();
}

// Form and Raw JSON are one job: entering one takes what was last edited in the other, even
// with the Template tab visited in between. Nothing typed is overwritten unless the other view
// was edited since, and JSON the form cannot show is never replaced by the form.
void SubmitDialog::onTabChanged(int index) {
    if (index == RawMode) {
        if (m_lastJobView == FormMode && m_formEdited && !m_rawUnreadable) {
            m_raw->setPlainText(draft().toText());
            m_rawEdited = false;
            m_formEdited = false;
        }
        m_lastJobView = RawMode;
    } else if (index == FormMode) {
        if (m_lastJobView == RawMode && m_rawEdited) {
            JobDraft d;
            const TextCheck check = checkSubmitText(m_raw->toPlainText(), m_keys);
            m_rawUnreadable = !JobDraft::fromJson(check.body, &d);
            if (!m_rawUnreadable) {
                setDraft(d);
                m_rawEdited = false;
            } else {
                m_formNote->setText(
                    tr("The Raw JSON tab holds no job the form can show (%1); the form keeps what "
                       "it had, and the JSON stays as you wrote it.")
                        .arg(check.errors.isEmpty() ? tr("no \"job\" object")
                                                    : check.errors.first().message));
            }
        }
        m_lastJobView = FormMode;
    }
    checkCurrent();
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
    // A template with many parameters scrolls rather than making the dialog taller than the
    // screen.
    auto *paramScroll = new QScrollArea(right);
    paramScroll->setWidgetResizable(true);
    paramScroll->setFrameShape(QFrame::NoFrame);
    m_paramBox = new QWidget(paramScroll);
    m_paramForm = new QFormLayout(m_paramBox);
    paramScroll->setWidget(m_paramBox);
    v->addWidget(paramScroll, 1);
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
    m_raw = new QPlainTextEdit(draft().toText(), w); // the form's job, from the start
    m_raw->setObjectName(QStringLiteral("rawEditor"));
    m_raw->setAccessibleName(tr("Raw submit body"));
    m_raw->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    connect(m_raw, &QPlainTextEdit::textChanged, this, &SubmitDialog::onRawEdited);
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
                QWidget *editor = makeParamEditor(p, m_paramBox, [this] { checkCurrent(); });
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
    setParamEditorValue(editor, value);
}

nlohmann::json SubmitDialog::currentBody(FieldErrors *errors) const {
    switch (mode()) {
    case FormMode: {
        const JobDraft d = draft();
        *errors = d.check(m_keys);
        return d.toJson();
    }
    case TemplateMode: {
        if (m_templateId.isEmpty()) {
            errors->append({QString(), tr("Choose a template.")});
            return {};
        }
        QList<QPair<QString, QVariant>> values;
        for (auto it = m_paramEditors.begin(); it != m_paramEditors.end(); ++it) {
            values.append({it.key(), paramEditorValue(it.value())});
        }
        return templateSubmission(m_templateId, values);
    }
    case RawMode: {
        const TextCheck check = checkSubmitText(m_raw->toPlainText(), m_keys);
        *errors = check.errors;
        return check.body;
    }
    }
    return {};
}

void SubmitDialog::checkCurrent() {
    if (!m_errors || !m_raw) // filling the fields while the dialog is built
        return;
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
    if (m_done || !m_submit->isEnabled())
        return;
    FieldErrors errors;
    const nlohmann::json body = currentBody(&errors);
    if (!errors.isEmpty()) {
        showErrors(errors, tr("Fix these before submitting:"));
        return;
    }
    m_errors->setText(tr("Submitting…"));
    m_submit->setEnabled(false); // one submit per press, however fast the keys
    m_api->jobs().submit(m_cluster.id, body, this,
                         [this](qint64 jobId, const QStringList &warnings, const ApiError &error) {
                             if (error.isError()) {
                                 // Keep everything the user typed; say what the server refused and
                                 // where.
                                 FieldErrors shown = error.details;
                                 if (shown.isEmpty())
                                     shown.append({error.field, error.message});
                                 showErrors(shown, tr("The server refused the job:"));
                                 m_submit->setEnabled(true);
                                 return;
                             }
                             Q_EMIT submitted(jobId);
                             if (warnings.isEmpty())
                                 accept();
                             else
                                 showSubmitted(jobId, warnings);
                         });
}

void SubmitDialog::showSubmitted(qint64 jobId, const QStringList &warnings) {
    // The job is in; what the server noted about it is worth reading before the dialog goes.
    m_done = true;
    m_errors->clear();
    m_notice->setText(tr("Job %1 was submitted. The server noted:").arg(jobId) +
                      QStringLiteral("\n• ") + warnings.join(QStringLiteral("\n• ")));
    m_notice->show();
    m_submit->hide();
    m_cancel->setText(tr("Close"));
    m_cancel->setFocus();
    m_tabs->setEnabled(false);
}

QString SubmitDialog::noticeText() const {
    return m_notice->isHidden() ? QString() : m_notice->text();
}

} // namespace clusterra
