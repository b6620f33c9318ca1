#pragma once

#include "core/api/Types.h"
#include "models/StateColors.h"

#include <QString>
#include <optional>

namespace clusterra {

// How an event reads in the feed: a label in words ("Job failed", "Deployment failed") rather
// than its kind's identifier, and the look (shape and colour) the Jobs table gives the same
// meaning; none for events that only inform.
struct EventLook {
    QString label;
    std::optional<StateLook> look;
};

EventLook eventLookOf(const EventInfo &event);

// "just now", "5 min ago", "3 h ago", "yesterday 14:03", then the date: what a person scanning
// a feed needs; the exact time goes in the tooltip.
QString relativeTime(qint64 timeMs, qint64 nowMs);

} // namespace clusterra
