#!/usr/bin/env bash
# Configures and builds into ./build. CLUSTERRA_WERROR=ON turns warnings into errors (CI).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
# CI (CLUSTERRA_CI=1) keeps the optimisation, and so the warnings, but writes no debug info,
# which is a good part of the compile time; a local build keeps it for the debugger.
extra=()
if [ "${CLUSTERRA_CI:-0}" = 1 ]; then
    extra+=("-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -DNDEBUG")
fi
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="${CMAKE_BUILD_TYPE:-RelWithDebInfo}" \
      -DCLUSTERRA_WERROR="${CLUSTERRA_WERROR:-OFF}" "${extra[@]}" >/dev/null
cmake --build build -j "$(nproc)"
