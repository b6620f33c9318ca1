#pragma once

#include "core/sse/SseParser.h"

#include <QByteArray>
#include <optional>

namespace clusterra {

// How a job's output bytes travel in its SSE stream, written once for the server that sends
// them and the console that reads them. SSE treats CR, LF and CRLF alike as line ends, so a
// carriage return cannot ride inside `data`:
//   event: log     data is the bytes as they are; they hold no CR.
//   event: log-cr  data is the bytes before a CR; the CR itself follows them in the file.
//   event: reset   the file was truncated or replaced under the job: what was shown is gone,
//                  the output starts again at offset 0; data is {"reason": "truncated"|...}.
// Every event's `id` is the job-relative byte offset after it, so Last-Event-ID resumes
// exactly: `10%\r20%\r30%\n` is log-cr "10%" (id 4), log-cr "20%" (id 8), log "30%\n" (id 12).
inline constexpr char kLogEvent[] = "log";
inline constexpr char kLogCrEvent[] = "log-cr";
inline constexpr char kResetEvent[] = "reset";

// The events for `bytes`, which start at job offset `offset`.
QByteArray formatLogEvents(QByteArrayView bytes, qint64 offset);
// The output text an event carries (log-cr's with its CR back), or none for other events.
std::optional<QString> logEventText(const SseEvent &event);

} // namespace clusterra
