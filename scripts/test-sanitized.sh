#!/usr/bin/env bash
# The whole suite again, against a clusterra-server built with AddressSanitizer and
# UndefinedBehaviorSanitizer (build-asan/): every request, stream and shutdown the suites drive
# must be free of memory errors and undefined behaviour. Run scripts/test.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCLUSTERRA_SANITIZE=ON \
      -DCLUSTERRA_BUILD_TESTS=OFF -DCLUSTERRA_WERROR="${CLUSTERRA_WERROR:-OFF}" >/dev/null
cmake --build build-asan -j "$(nproc)" --target clusterra-server
export QT_QPA_PLATFORM=offscreen
# Any report fails the server's exit code, which the suites check at every stop.
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export CLUSTERRA_TEST_SERVER_BIN="$PWD/build-asan/server/clusterra-server"
# The instrumented server is several times slower, which widens every timing window; a suite
# that failed is run once more on its own (a sanitizer report comes back; a lost race does not).
ctest --test-dir build --output-on-failure -j "$(nproc)" "$@" ||
    ctest --test-dir build --output-on-failure --rerun-failed
