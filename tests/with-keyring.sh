#!/bin/sh
# Runs a command in a private D-Bus session with an unlocked gnome-keyring (the Secret Service
# QtKeychain talks to) and a throwaway HOME, so keychain tests work headless and touch nothing
# of the user's. Without it QtKeychain fails: "Cannot autolaunch D-Bus without X11 $DISPLAY".
set -eu
HOME="$(mktemp -d)"
export HOME
trap 'rm -rf "$HOME" 2>/dev/null || true' EXIT
dbus-run-session -- sh -c '
    printf throwaway | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    exec "$@"' sh "$@"
