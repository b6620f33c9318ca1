#pragma once

#include <QString>

// "line N\n" for N from `from` to `to`: log text whose every line says where it belongs.
inline QString numberedLines(int from, int to) {
    QString out;
    for (int i = from; i <= to; ++i)
        out += QStringLiteral("line %1\n").arg(i);
    return out;
}
