#!/usr/bin/env bash
# Installs the Debian 12 packages the build and the tests need, skipping what is already there.
set -euo pipefail

packages=(
    cmake ninja-build g++ pkg-config
    qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite
    nlohmann-json3-dev libssl-dev libmicrohttpd-dev
    curl procps python3 time
    # Browser sign-in (OIDC with PKCE), the OS keychain, and a keyring for the headless tests
    qt6-networkauth-dev qtkeychain-qt6-dev gnome-keyring dbus-daemon
    fonts-dejavu-core xvfb xauth
    # A real single-node Slurm for the Slurm-backed cluster tests (scripts/slurm-ci.sh)
    munge slurmctld slurmd slurm-client slurmrestd slurm-wlm-jwt-plugin
    # libFuzzer targets (scripts/fuzz.sh)
    clang libclang-rt-14-dev
)

# Test-only tools from npm (a signature-checking S3 server) need Node; Debian's will do.
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
