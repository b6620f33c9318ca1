#include "core/slurm/OutputPattern.h"

namespace clusterra {

QString expandOutputPattern(const QString &pattern, const OutputPatternValues &v) {
    QString path;
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        if (pattern[i] != QLatin1Char('%') || i + 1 == pattern.size()) {
            path += pattern[i];
            continue;
        }
        const QChar code = pattern[++i];
        switch (code.unicode()) {
        case 'j':
            path += QString::number(v.jobId);
            break;
        case 'x':
            path += v.jobName;
            break;
        case 'u':
            path += v.userName;
            break;
        case 'A':
            path += QString::number(v.arrayJobId.value_or(v.jobId));
            break;
        case 'a':
            path += QString::number(v.arrayTaskId.value_or(0));
            break;
        case 'N':
            path += v.nodeName;
            break;
        case '%':
            path += QLatin1Char('%');
            break;
        default:
            path += QLatin1Char('%') + code;
        }
    }
    return path;
}

QString defaultOutputPattern(bool arrayTask) {
    return arrayTask ? QStringLiteral("slurm-%A_%a.out") : QStringLiteral("slurm-%j.out");
}

} // namespace clusterra
