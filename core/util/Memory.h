#pragma once

#include <QtGlobal>

namespace clusterra {

// This process's peak resident set size in KiB (getrusage's ru_maxrss: VmHWM on Linux), or 0
// where that is not available. For the memory checks of streamed transfers (bench and tests).
qint64 peakRssKb();

} // namespace clusterra
