# shellcheck shell=bash
# Helpers for running a *private* PostgreSQL cluster (used by run.sh and test.sh).
# Source it; don't execute it. Functions return non-zero on failure so callers'
# `set -e` stops them.
#
# We deliberately never use the Debian `postgresql` service or pg_ctlcluster:
# they need systemd / fixed paths, and dev/test/CI must not depend on (or
# disturb) a system-wide database. Every cluster here is a plain data folder we
# own, listening on 127.0.0.1 only, with trust auth (never expose it).
#
# Overrides (mainly for unusual machines and for testing these helpers):
#   MEDSPA_PG_BINDIR       use this bin dir and skip the search
#   MEDSPA_PG_SEARCH_ROOT  where versioned installs live (default /usr/lib/postgresql)
#   MEDSPA_PG_START_TIMEOUT seconds to wait for the server (default 60)

PG_BINDIR="${PG_BINDIR:-}"

_pg_log() { echo "[postgres] $*" >&2; }

# Server binaries can live in several places depending on how PostgreSQL got
# installed; Debian keeps them off PATH under /usr/lib/postgresql/<ver>/bin.
_pg_find_bindir() {
  local root="${MEDSPA_PG_SEARCH_ROOT:-/usr/lib/postgresql}" dir
  if [[ -n "${MEDSPA_PG_BINDIR:-}" ]]; then
    [[ -x "$MEDSPA_PG_BINDIR/initdb" ]] && { echo "$MEDSPA_PG_BINDIR"; return 0; }
    _pg_log "MEDSPA_PG_BINDIR=$MEDSPA_PG_BINDIR has no initdb"; return 1
  fi
  # Highest major version wins (sort -V so 9.6 < 10 < 15).
  if [[ -d "$root" ]]; then
    while read -r dir; do
      [[ -x "$dir/initdb" ]] && { echo "$dir"; return 0; }
    done < <(printf '%s\n' "$root"/*/bin | sort -rV)
  fi
  # pg_config can come from libpq-dev alone, so check the server is really there.
  if dir="$(pg_config --bindir 2>/dev/null)" && [[ -x "$dir/initdb" ]]; then
    echo "$dir"; return 0
  fi
  # type -P looks at PATH only; readlink -f because PATH may hold just a few
  # symlinks (e.g. /usr/local/bin/initdb) while we also need pg_isready & co.
  if dir="$(type -P initdb 2>/dev/null)" && [[ -n "$dir" ]]; then
    dirname "$(readlink -f "$dir")"; return 0
  fi
  return 1
}

# Sets PG_BINDIR. A fresh CI machine (root, Debian) gets the distro package;
# anywhere else we can't guess the right package manager, so we explain instead.
pg_ensure_binaries() {
  if PG_BINDIR="$(_pg_find_bindir)"; then return 0; fi
  if [[ $EUID -ne 0 ]]; then
    _pg_log "ERROR: PostgreSQL server binaries (initdb, pg_ctl, postgres) not found."
    _pg_log "Install them, e.g. 'sudo apt-get install -y postgresql' (Debian/Ubuntu),"
    _pg_log "or point MEDSPA_PG_BINDIR at the folder containing initdb."
    return 1
  fi
  _pg_log "PostgreSQL not found; installing it with apt-get (one-time)..."
  if ! { DEBIAN_FRONTEND=noninteractive apt-get update -q \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql; }; then
    _pg_log "ERROR: apt-get install postgresql failed"; return 1
  fi
  PG_BINDIR="$(_pg_find_bindir)" \
    || { _pg_log "ERROR: PostgreSQL installed but initdb still not found"; return 1; }
}

# PostgreSQL refuses to run as root, so as root the server-side tools run as the
# `postgres` user. `cd /` avoids "could not change directory" noise when the
# caller's cwd (e.g. under /root) is unreadable for that user.
_pg_as_owner() {
  if [[ $EUID -eq 0 ]]; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# The server refuses to run as root, so root needs a `postgres` user to run it as
# (the Debian package creates one; a hand-built install may not).
pg_ensure_server_user() {
  [[ $EUID -eq 0 ]] || return 0
  id -u postgres >/dev/null 2>&1 && return 0
  _pg_log "creating system user 'postgres'"
  useradd --system --user-group --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin postgres
}

# Give a path (file or dir) to the user the server runs as (no-op unless root).
pg_chown() {
  if [[ $EUID -eq 0 ]]; then chown postgres:postgres "$@"; fi
}

_pg_abs() { (mkdir -p "$1" && cd "$1" && pwd); }

# Idempotent: initdb only when the folder holds no cluster yet, so data from a
# previous run survives.
pg_ensure_cluster() {
  local data
  data="$(_pg_abs "$1")" || return 1
  [[ -n "$PG_BINDIR" ]] || pg_ensure_binaries || return 1
  pg_ensure_server_user || return 1
  pg_chown "$data"
  if [[ $EUID -eq 0 ]] && ! runuser -u postgres -- test -x "$data" -a -w "$data"; then
    _pg_log "ERROR: user 'postgres' cannot reach $data (a parent folder is not"
    _pg_log "traversable, e.g. /root). Use a folder it can reach (run.sh:"
    _pg_log "MEDSPA_PG_DATA=/var/tmp/medspa/postgres) or fix the permissions."
    return 1
  fi
  [[ -f "$data/PG_VERSION" ]] && return 0
  _pg_log "initializing cluster in $data"
  # C locale + UTF8: works on minimal machines with no locales generated.
  _pg_as_owner "$PG_BINDIR/initdb" -D "$data" -U postgres --auth=trust \
    --encoding=UTF8 --no-locale >"$data.initdb.log" 2>&1 \
    || { cat "$data.initdb.log" >&2; _pg_log "ERROR: initdb failed"; return 1; }
  rm -f "$data.initdb.log"
  # Per-start settings go to an included file that pg_start rewrites, so port
  # and tuning can change between runs without editing postgresql.conf again.
  echo "include_if_exists = 'medspa.conf'" >>"$data/postgresql.conf"
}

# pg_start DATA_DIR PORT LOGFILE [name=value ...]
# Extra name=value pairs become server settings (e.g. fsync=off for tests).
pg_start() {
  local data port="$2" log="$3" timeout="${MEDSPA_PG_START_TIMEOUT:-60}" kv i
  data="$(_pg_abs "$1")" || return 1
  shift 3
  [[ -n "$PG_BINDIR" ]] || pg_ensure_binaries || return 1
  # A server already running on this folder is either left over from a run that
  # was killed with -9 (no clients: restart it so this run's settings apply) or
  # in use by another instance (clients connected: restarting it would pull the
  # database from under a live silo, so refuse).
  if _pg_as_owner "$PG_BINDIR/pg_ctl" status -D "$data" >/dev/null 2>&1; then
    local running_port clients
    running_port="$(sed -n 4p "$data/postmaster.pid" 2>/dev/null)"
    clients="$("$PG_BINDIR/psql" -h 127.0.0.1 -p "$running_port" -U postgres -d postgres -Atc \
      "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()" 2>/dev/null || echo 0)"
    if ((clients > 0)); then
      _pg_log "ERROR: PostgreSQL on $data is in use ($clients connections on port $running_port): is another ./run.sh running? Stop it first."
      return 1
    fi
    _pg_log "a server left over from an earlier run is running on $data; restarting it"
    pg_stop "$data"
  fi
  {
    echo "# written by scripts/postgres.sh on every start"
    echo "listen_addresses = '127.0.0.1'"
    echo "port = $port"
    # Our own socket dir: /var/run/postgresql may not exist or be writable.
    # Unix socket paths are limited to ~107 bytes; in a deep folder go TCP-only.
    if (( ${#data} + 20 < 100 )); then
      echo "unix_socket_directories = '$data'"
    else
      echo "unix_socket_directories = ''"
    fi
    for kv in "$@"; do echo "${kv%%=*} = '${kv#*=}'"; done
  } >"$data/medspa.conf"
  pg_chown "$data/medspa.conf"
  # The server (not us) writes the log, so it must own it.
  mkdir -p "$(dirname "$log")" && touch "$log" && pg_chown "$log"
  # pg_ctl -w fails fast if the postmaster dies (port taken, bad setting...).
  if ! _pg_as_owner "$PG_BINDIR/pg_ctl" start -D "$data" -l "$log" -w -t "$timeout" >/dev/null; then
    _pg_log "ERROR: PostgreSQL failed to start; last lines of $log:"
    tail -n 30 "$log" >&2
    return 1
  fi
  # What clients need is a TCP connection on our port, so wait for exactly that.
  for ((i = 0; i < timeout * 4; i++)); do
    "$PG_BINDIR/pg_isready" -q -h 127.0.0.1 -p "$port" && return 0
    sleep 0.25
  done
  _pg_log "ERROR: PostgreSQL not accepting connections on 127.0.0.1:$port after ${timeout}s; last lines of $log:"
  tail -n 30 "$log" >&2
  pg_stop "$data"
  return 1
}

# Fast shutdown (disconnects clients, no crash recovery on next start).
# Tolerant: a missing cluster or stopped server is fine, so traps can call it blindly.
pg_stop() {
  local data="$1"
  [[ -f "$data/PG_VERSION" && -n "$PG_BINDIR" ]] || return 0
  _pg_as_owner "$PG_BINDIR/pg_ctl" status -D "$data" >/dev/null 2>&1 || return 0
  _pg_as_owner "$PG_BINDIR/pg_ctl" stop -D "$data" -m fast -w -t 60 >/dev/null \
    || _pg_as_owner "$PG_BINDIR/pg_ctl" stop -D "$data" -m immediate -w >/dev/null \
    || { _pg_log "WARNING: could not stop PostgreSQL in $data"; return 1; }
}

# pg_private_cluster PREFIX [DATA] — a throwaway folder ($work, named after PREFIX) holding a PostgreSQL cluster
# ($pg_data: DATA, or $work/pg), with traps that stop the server and delete the folder however the script ends: a run
# must never leave a server or temp data behind (CI machines and laptops run these scripts over and over). A DATA
# folder outside $work keeps its data, not its server. Start it with pg_start "$pg_data" PORT LOG [settings...].
pg_private_cluster() {
  work="$(mktemp -d -t "$1.XXXXXX")"
  pg_data="${2:-$work/pg}"
  trap _pg_private_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  pg_ensure_binaries
  # mktemp makes a root-only (0700) folder; the server runs as `postgres` when we are root.
  pg_ensure_server_user
  pg_chown "$work"
  pg_ensure_cluster "$pg_data"
}

_pg_private_cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  pg_stop "$pg_data" || true
  rm -rf "$work"
  exit "$rc"
}

# pg_create_db PORT NAME — no-op when the database exists.
pg_create_db() {
  local port="$1" name="$2" exists
  # psql variables (:'name') quote the value for us; they only work via stdin.
  exists="$(echo "SELECT 1 FROM pg_database WHERE datname = :'name'" \
    | "$PG_BINDIR/psql" -X -q -t -A -h 127.0.0.1 -p "$port" -U postgres -d postgres -v name="$name")" \
    || return 1
  [[ "$exists" == 1 ]] && return 0
  _pg_log "creating database $name"
  "$PG_BINDIR/createdb" -h 127.0.0.1 -p "$port" -U postgres "$name"
}

# Prints a TCP port on 127.0.0.1 that nobody uses right now. The kernel's pick
# (bind to port 0) is race-free enough; without python3 we probe random ports:
# a refused connect means nothing listens there.
free_port() {
  local p i
  if command -v python3 >/dev/null 2>&1 && p="$(python3 -c \
    'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null)" \
    && [[ -n "$p" ]]; then
    echo "$p"; return 0
  fi
  for ((i = 0; i < 200; i++)); do
    p=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  _pg_log "ERROR: no free port found"; return 1
}
