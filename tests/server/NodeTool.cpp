#include "tests/server/NodeTool.h"

#include <csignal>
#include <sys/prctl.h>

#include <QDir>
#include <QFileInfo>

void dieWithParent(QProcess &process) {
    process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
}

NodeTool::~NodeTool() {
    if (m_process.state() != QProcess::NotRunning) {
        m_process.terminate();
        m_process.waitForFinished(5000);
    }
}

bool NodeTool::start(const QString &script, const QStringList &args, QString *why) {
    const QDir folder = QFileInfo(script).dir();
    if (!QFileInfo::exists(folder.filePath(QStringLiteral("node_modules")))) {
        *why = QStringLiteral("%1 is not installed: run npm ci --prefix %2")
                   .arg(QFileInfo(script).fileName(), folder.path());
        return false;
    }
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    dieWithParent(m_process);
    m_process.start(QStringLiteral("node"), QStringList{script} + args);
    if (!m_process.waitForStarted(10000)) {
        *why = QStringLiteral("cannot run node: ") + m_process.errorString();
        return false;
    }
    QByteArray out;
    for (int i = 0; i < 300 && !out.contains('\n'); ++i) {
        m_process.waitForReadyRead(100);
        out += m_process.readAllStandardOutput();
    }
    if (!out.startsWith("PORT ")) {
        *why = QFileInfo(script).fileName() + QStringLiteral(" did not start: ") +
               QString::fromUtf8(out);
        return false;
    }
    m_port = quint16(out.mid(5).trimmed().toUInt());
    return true;
}
