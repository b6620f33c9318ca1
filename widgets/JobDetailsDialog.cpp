#include "widgets/JobDetailsDialog.h"

#include "widgets/Sizing.h"

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

namespace clusterra {

namespace {
QString when(const std::optional<qint64> &ms) {
    return ms ? QDateTime::fromMSecsSinceEpoch(*ms).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
              : QStringLiteral("—");
}
} // namespace

JobDetailsDialog::JobDetailsDialog(const JobInfo &job, QWidget *parent)
    : QDialog(parent) {
    setObjectName(QStringLiteral("jobDetailsDialog"));
    setWindowTitle(tr("Job %1 — %2").arg(formatJobId(job), job.name));
    resizeWithinScreen(this, {720, 520});
    auto *layout = new QVBoxLayout(this);
    auto *tabs = new QTabWidget(this);
    auto *summary = new QWidget(tabs);
    auto *form = new QFormLayout(summary);
    auto add = [&](const QString &label, const QString &value) {
        auto *v = new QLabel(value, summary);
        v->setTextInteractionFlags(Qt::TextSelectableByMouse);
        form->addRow(label, v);
    };
    add(tr("State"), job.reason.isEmpty() || job.reason == QLatin1String("None")
                         ? job.stateName
                         : job.stateName + QStringLiteral(" (") + job.reason + QLatin1Char(')'));
    add(tr("Exit code"),
        !isFinished(job.state) ? tr("— (not ended)")
        : job.exitSignal && *job.exitSignal > 0
            ? tr("killed by signal %1").arg(*job.exitSignal)
            : (job.exitCode ? QString::number(*job.exitCode) : QStringLiteral("—")));
    add(tr("User"),
        job.submittedOutside
            ? tr("%1 (submitted outside Clusterra as Slurm user %2)").arg(job.user, job.slurmUser)
            : job.user);
    add(tr("Partition"), job.partition);
    add(tr("Nodes"), job.nodes.isEmpty() ? QString::number(job.nodeCount) : job.nodes);
    // Zero means "not asked for": the partition's default applies, which is not "0 MB".
    const QString memory = job.memoryMb > 0 ? tr("%1 MB memory").arg(job.memoryMb)
                                            : tr("the partition's default memory");
    add(tr("Resources"),
        tr("%1 × %2, %3, %4")
            .arg(tr("%n task(s)", nullptr, job.tasks))
            .arg(tr("%n CPU(s)", nullptr, job.cpusPerTask))
            .arg(memory)
            .arg(job.gpus > 0 ? tr("%n GPU(s)", nullptr, job.gpus) : tr("no GPU")));
    add(tr("Time limit"), formatTimeLimit(job.timeLimitMinutes));
    add(tr("Submitted"), when(job.submitTimeMs));
    add(tr("Started"), when(job.startTimeMs));
    add(tr("Ended"), when(job.endTimeMs));
    add(tr("Run time"), formatDuration(job.runSeconds(QDateTime::currentMSecsSinceEpoch())));
    add(tr("Working directory"), job.workingDirectory);
    add(tr("Output file"), job.standardOutput);
    tabs->addTab(summary, tr("Summary"));
    auto text = [&](const QString &content, const QString &name) {
        auto *t = new QPlainTextEdit(content, tabs);
        t->setReadOnly(true);
        t->setObjectName(name);
        t->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        return t;
    };
    tabs->addTab(text(job.script.isEmpty()
                          ? tr("(only the job's owner or an admin can see the script)")
                          : job.script,
                      QStringLiteral("jobScript")),
                 tr("Script"));
    tabs->addTab(text(job.environment.join(QLatin1Char('\n')), QStringLiteral("jobEnvironment")),
                 tr("Environment"));
    layout->addWidget(tabs);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    const auto action = [&](const QString &text, const QString &name, const QString &tip,
                            auto signal) {
        QPushButton *b = buttons->addButton(text, QDialogButtonBox::ActionRole);
        b->setObjectName(name);
        b->setToolTip(tip);
        b->setAutoDefault(false);
        connect(b, &QPushButton::clicked, this, [this, job, signal] {
            accept();
            Q_EMIT(this->*signal)(job);
        });
        return b;
    };
    action(tr("View &log"), QStringLiteral("detailsViewLog"),
           tr("Follow this job's output on the Logs tab"), &JobDetailsDialog::viewLogRequested);
    action(tr("&Duplicate…"), QStringLiteral("detailsDuplicate"),
           tr("Submit a copy of this job, to edit first"), &JobDetailsDialog::duplicateRequested);
    QPushButton *cancel =
        action(tr("&Cancel job…"), QStringLiteral("detailsCancel"),
               tr("Cancel this job; you are asked first"), &JobDetailsDialog::cancelRequested);
    cancel->setEnabled(!isFinished(job.state));
    if (isFinished(job.state))
        cancel->setToolTip(tr("The job has ended already"));
    QPushButton *copy = buttons->addButton(tr("Copy &ID"), QDialogButtonBox::ActionRole);
    copy->setObjectName(QStringLiteral("detailsCopyId"));
    copy->setAutoDefault(false);
    connect(copy, &QPushButton::clicked, this,
            [id = job.jobId] { QApplication::clipboard()->setText(QString::number(id)); });
    layout->addWidget(buttons);
}

} // namespace clusterra
