#!/usr/bin/env bash
# Installs what is missing, builds, and starts the local API server on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
data="${CLUSTERRA_DATA:-$HOME/.local/share/clusterra/server}"
echo "Data directory: $data"
echo "Once it is up, $data/server.json holds the URL; sign in with the token in $data/local-token:"
echo "  curl -s -X POST \$URL/v1/auth/callback -d '{\"local_token\":\"'\$(cat $data/local-token)'\"}'"
exec build/server/clusterra-server --data "$data" --listen "${CLUSTERRA_LISTEN:-127.0.0.1:8080}" "$@"
