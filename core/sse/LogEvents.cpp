#include "core/sse/LogEvents.h"

namespace clusterra {

QByteArray formatLogEvents(QByteArrayView bytes, qint64 offset) {
    if (!bytes.contains('\r')) // the usual case: one event, built in place
        return formatSseEvent(QLatin1String(kLogEvent), QString::number(offset + bytes.size()),
                              bytes);
    QByteArray out;
    qsizetype start = 0;
    while (start < bytes.size()) {
        const qsizetype cr = QByteArrayView(bytes).sliced(start).indexOf('\r');
        const bool withCr = cr >= 0;
        const qsizetype length = withCr ? cr : bytes.size() - start;
        const qint64 end = offset + start + length + (withCr ? 1 : 0);
        out += formatSseEvent(QLatin1String(withCr ? kLogCrEvent : kLogEvent), QString::number(end),
                              bytes.sliced(start, length));
        start += length + (withCr ? 1 : 0);
    }
    return out;
}

std::optional<QString> logEventText(const SseEvent &event) {
    if (event.type == QLatin1String(kLogEvent))
        return event.data;
    if (event.type == QLatin1String(kLogCrEvent))
        return event.data + QLatin1Char('\r');
    return std::nullopt;
}

} // namespace clusterra
