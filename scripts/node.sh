# shellcheck shell=bash
# The web project restores its browser libraries (SignalR client, Chart.js) with `npm ci` during the build, so building
# needs Node.js and npm. Sourced by run.sh and test.sh.

node_ensure() {
  if command -v npm >/dev/null 2>&1; then
    return 0
  fi
  echo "[node] npm not found; installing Node.js and npm with apt-get (one-time)..." >&2
  local sudo=()
  if [[ $EUID -ne 0 ]]; then sudo=(sudo); fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null \
    && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm >/dev/null \
    || { echo "[node] ERROR: could not install nodejs and npm; install them and retry." >&2; return 1; }
}
