#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, runs every CTest suite headless.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
# Test-only npm tools (a signature-checking S3, a real OpenID provider), pinned by lock files.
for tool in tests/s3 tests/oidc; do
    if [ ! -d "$tool/node_modules" ] || [ "$tool/package-lock.json" -nt "$tool/node_modules" ]; then
        npm ci --prefix "$tool" --no-audit --no-fund --loglevel=error
    fi
done
export QT_QPA_PLATFORM=offscreen
ctest --test-dir build --output-on-failure -j "$(nproc)" "$@"
