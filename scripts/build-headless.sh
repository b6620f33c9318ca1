#!/usr/bin/env bash
# The tree without the console (CLUSTERRA_GUI=OFF, build-headless/): configures every headless
# target and test, and compiles core and the session library, so neither starts needing Qt Gui
# or Widgets (which this configuration does not even look for). Run after scripts/build.sh,
# which installs the packages.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-headless -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCLUSTERRA_GUI=OFF \
      -DCLUSTERRA_BUILD_TESTS=ON -DCLUSTERRA_BUILD_BENCH=OFF -DCLUSTERRA_WERROR="${CLUSTERRA_WERROR:-OFF}" >/dev/null
cmake --build build-headless -j "$(nproc)" --target clusterra-session
