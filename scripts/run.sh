#!/usr/bin/env bash
# Installs what is missing, builds, and opens the console on the embedded local server.
# (The console starts clusterra-server itself, data under ~/.local/share/clusterra/server.)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    echo "No display found: running the console under Xvfb is possible with" >&2
    echo "  xvfb-run -a build/app/clusterra-console" >&2
    echo "or start only the API server: build/server/clusterra-server --listen 127.0.0.1:8080" >&2
    exit 1
fi
exec build/app/clusterra-console "$@"
