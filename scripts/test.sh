#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, runs every CTest suite headless.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
# Test-only npm tools, pinned by tests/s3/package-lock.json.
if [ ! -d tests/s3/node_modules ] || [ tests/s3/package-lock.json -nt tests/s3/node_modules ]; then
    npm ci --prefix tests/s3 --no-audit --no-fund --loglevel=error
fi
export QT_QPA_PLATFORM=offscreen
ctest --test-dir build --output-on-failure -j "$(nproc)" "$@"
