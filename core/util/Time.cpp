#include "core/util/Time.h"

namespace clusterra {

QString toRfc3339(qint64 msSinceEpoch) {
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch, Qt::UTC).toString(Qt::ISODateWithMs);
}

std::optional<qint64> parseTimestampMs(const QString &text) {
    bool ok = false;
    const qint64 ms = text.toLongLong(&ok);
    if (ok)
        return ms;
    const QDateTime dt = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!dt.isValid())
        return std::nullopt;
    return dt.toMSecsSinceEpoch();
}

qint64 nowMs() {
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace clusterra
