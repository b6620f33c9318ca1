#include "widgets/JobDetailsDialog.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QPlainTextEdit>
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
    resize(720, 520);
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
    add(tr("Exit code"), job.exitCode ? QString::number(*job.exitCode)
                                      : (job.exitSignal ? tr("signal %1").arg(*job.exitSignal)
                                                        : QStringLiteral("—")));
    add(tr("User"),
        job.submittedOutside
            ? tr("%1 (submitted outside Clusterra as Slurm user %2)").arg(job.user, job.slurmUser)
            : job.user);
    add(tr("Partition"), job.partition);
    add(tr("Nodes"), job.nodes.isEmpty() ? QString::number(job.nodeCount) : job.nodes);
    add(tr("Resources"), tr("%1 task(s) × %2 CPU(s), %3 MB memory, %4 GPU(s)")
                             .arg(job.tasks)
                             .arg(job.cpusPerTask)
                             .arg(job.memoryMb)
                             .arg(job.gpus));
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
    layout->addWidget(buttons);
}

} // namespace clusterra
