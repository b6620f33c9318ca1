#pragma once

#include "core/base/Log.h"

#include <exception>

namespace clusterra {

// Runs one piece of work and stops any exception it throws there. Qt's event dispatch is not
// exception safe, so what the server's work throws (a database that refuses a write, which
// Database::fail turns into ApiException; a bug) must end where that piece of work began: the
// router is that boundary for a request, and this is it for a timer tick, a reply from Slurm,
// S3 or the identity provider, and a signal from a store. The failure is logged, never hidden;
// the next tick or request starts clean.
template <typename Fn> void runGuarded(const char *what, Fn &&fn) noexcept {
    try {
        fn();
    } catch (const std::exception &e) {
        qCWarning(lcServer, "%s failed: %s", what, e.what());
    } catch (...) {
        qCWarning(lcServer, "%s failed", what);
    }
}

} // namespace clusterra
