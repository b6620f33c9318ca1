#!/usr/bin/env bash
# The tree without the console (CLUSTERRA_GUI=OFF, build-headless/): core, the session library,
# the server and every test of theirs, compiled where Qt Gui and Widgets are not even looked
# for, so nothing below the widgets starts needing them. Built, not run: the main tree runs the
# same suites. Run after scripts/build.sh, which installs the packages.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-headless -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g0 \
      -DCLUSTERRA_GUI=OFF -DCLUSTERRA_BUILD_TESTS=ON -DCLUSTERRA_BUILD_BENCH=OFF \
      -DCLUSTERRA_WERROR="${CLUSTERRA_WERROR:-OFF}" >/dev/null
cmake --build build-headless -j "$(nproc)"
