#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>

// A test-only Node.js tool from tests/<tool>/ (installed by npm ci) that prints "PORT <n>" once
// it listens on 127.0.0.1. Stopped when this object dies.
// Makes a helper process die with the test that started it: a test that crashes must not leave
// a server or provider holding CTest's output pipe (CTest then waits for it forever).
void dieWithParent(QProcess &process);

class NodeTool {
public:
    ~NodeTool();
    // The script's folder must have node_modules; `why` says what to run when it does not.
    bool start(const QString &script, const QStringList &args, QString *why);
    quint16 port() const { return m_port; }

private:
    QProcess m_process;
    quint16 m_port = 0;
};
