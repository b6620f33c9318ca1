#pragma once

#include <QDateTime>
#include <QString>
#include <optional>

namespace clusterra {

// RFC 3339 UTC with milliseconds, e.g. "2026-11-22T10:00:00.123Z".
QString toRfc3339(qint64 msSinceEpoch);
// Accepts RFC 3339 (with or without fraction, any offset) or a plain integer of epoch ms.
std::optional<qint64> parseTimestampMs(const QString &text);
qint64 nowMs();

} // namespace clusterra
