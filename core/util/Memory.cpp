#include "core/util/Memory.h"

#include <sys/resource.h>

namespace clusterra {

qint64 peakRssKb() {
    rusage usage{};
    if (::getrusage(RUSAGE_SELF, &usage) != 0)
        return 0;
#if defined(__APPLE__)
    return qint64(usage.ru_maxrss) / 1024; // bytes there, KiB on Linux and the BSDs
#else
    return qint64(usage.ru_maxrss);
#endif
}

} // namespace clusterra
