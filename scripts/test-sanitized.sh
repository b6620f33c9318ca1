#!/usr/bin/env bash
# The whole suite again, built with AddressSanitizer and UndefinedBehaviorSanitizer (build-asan/):
# the console's libraries and every test binary as well as clusterra-server, so every request,
# stream, decode, widget and shutdown the suites drive must be free of memory errors, leaks and
# undefined behaviour. Run scripts/test.sh first (it installs the test-only npm tools).
set -euo pipefail
cd "$(dirname "$0")/.."
# -g1: line tables are all a sanitizer report needs, at a fraction of full debug info's
# compile time.
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 \
      -DCLUSTERRA_SANITIZE=ON \
      -DCLUSTERRA_BUILD_TESTS=ON -DCLUSTERRA_BUILD_BENCH=OFF -DCLUSTERRA_PORTABLE=ON -DCLUSTERRA_WERROR="${CLUSTERRA_WERROR:-OFF}" >/dev/null
cmake --build build-asan -j "$(nproc)"
export QT_QPA_PLATFORM=offscreen
# Any report fails the process: a test binary's own exit code, or the server's, which the suites
# check at every stop.
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# A small quarantine keeps freed memory from counting as in use, so the suites' bounds on a
# process's memory (a 300 MB upload in under 100 MB) still measure the code, not the sanitizer.
export ASAN_OPTIONS=quarantine_size_mb=16:detect_leaks=1
# The instrumented build is several times slower, which widens every timing window; a suite
# that failed is run once more on its own (a sanitizer report comes back; a lost race does not).
# This tree runs the portable branches (select among them), so the main tree's select-mode
# twins of two suites would only repeat their originals here.
skip='^(tst_robustness_select|tst_storage_api_select)$'
ctest --test-dir build-asan --output-on-failure -j "$(nproc)" -E "$skip" "$@" ||
    ctest --test-dir build-asan --output-on-failure --rerun-failed
