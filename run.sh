#!/usr/bin/env bash
# Run MedSpa locally: a private PostgreSQL cluster in .data/postgres + the silo.
#   ./run.sh            PostgreSQL storage (data kept between runs)
#   ./run.sh --memory   in-memory storage, no PostgreSQL at all
#   ./run.sh [--memory] -- <extra silo args>
# Env: MEDSPA_PG_PORT (5433), MEDSPA_URL (http://127.0.0.1:5080: served there,
#      and links in mail lead there), MEDSPA_API_KEY (medspa-dev-key), MEDSPA_PG_DATA (.data/postgres).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source=scripts/postgres.sh
source scripts/postgres.sh
# shellcheck source=scripts/node.sh
source scripts/node.sh

mode=postgres
silo_args=()
while (($#)); do
  case "$1" in
    --memory) mode=memory ;;
    --) shift; silo_args=("$@"); break ;;
    -h | --help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done

url="${MEDSPA_URL:-http://127.0.0.1:5080}"
api_key="${MEDSPA_API_KEY:-medspa-dev-key}"
pg_port="${MEDSPA_PG_PORT:-5433}"
pg_data="${MEDSPA_PG_DATA:-$PWD/.data/postgres}"
pg_started=
silo_pid=

# Forward Ctrl-C / TERM to the silo's whole process group (dotnet run + the app
# it spawned) and let `wait` below see it exit; the EXIT trap does the rest.
# (shellcheck can't see that traps call these functions.)
# shellcheck disable=SC2317
forward() {
  if [[ -n "$silo_pid" ]]; then stop_silo "$1"; else exit 130; fi
}
# Sends the silo's process group a signal and waits for it to exit. A graceful
# stop can hang (e.g. the database vanished underneath the silo), so after 30s
# it is killed rather than leaving the terminal stuck.
# shellcheck disable=SC2317
stop_silo() {
  kill -"$1" -- "-$silo_pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$silo_pid" 2>/dev/null || return 0; sleep 0.5; done
  echo "The silo did not stop within 30s; killing it." >&2
  kill -KILL -- "-$silo_pid" 2>/dev/null || true
}
# shellcheck disable=SC2317
cleanup() {
  local rc=$?
  trap - INT TERM EXIT
  if [[ -n "$silo_pid" ]] && kill -0 "$silo_pid" 2>/dev/null; then
    stop_silo TERM
    wait "$silo_pid" 2>/dev/null || true
  fi
  # Stop the database only after the silo is gone, so it can flush on shutdown.
  if [[ -n "$pg_started" ]]; then
    echo "Stopping PostgreSQL..." >&2
    pg_stop "$pg_data" || true
  fi
  exit "$rc"
}
trap 'forward INT' INT
trap 'forward TERM' TERM
trap cleanup EXIT

export Clock__Mode=Simulated
export Demo__Seed=true
# Development only: mail is kept at /mailbox (administrators), sign-in links shown whole so a demo member can sign in.
export Notifications__DevelopmentMailbox=true
export Notifications__MailboxShowsSignInLinks=true
export Urls="$url"
# Links in mail lead where this run is served; a listen-everywhere address is left to the app, which says localhost.
case "$url" in
  *://0.0.0.0* | *://\[::\]* | *://+* | *://\** ) ;;
  *) export Web__PublicUrl="${Web__PublicUrl:-$url}" ;;
esac
export Auth__BootstrapApiKey="$api_key"
export ASPNETCORE_ENVIRONMENT=Development

if [[ "$mode" == memory ]]; then
  export Storage__Mode=Memory
  unset ConnectionStrings__Postgres
else
  pg_ensure_binaries
  pg_ensure_cluster "$pg_data"
  pg_start "$pg_data" "$pg_port" "$pg_data.log"
  # Only a database this run started is this run's to stop.
  pg_started=1
  pg_create_db "$pg_port" medspa
  export ConnectionStrings__Postgres="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=medspa"
  # The emulated Stripe account lives beside the database, so cards on file survive a restart as the members do.
  export Stripe__EmulatorStateFile="$(dirname "$pg_data")/stripe-emulator.json"
fi

cat <<EOF

  MedSpa silo starting ($mode storage${pg_started:+, PostgreSQL on 127.0.0.1:$pg_port})
  URL:     $url
  Sign in: $url/login with the API key $api_key
  API:     curl -H "Authorization: Bearer $api_key" $url/api/v1/locations
  Ctrl-C to stop.

EOF

node_ensure

# Own process group (set -m) so the terminal's Ctrl-C reaches only this script,
# which then shuts things down in order (silo first, then PostgreSQL).
set -m
dotnet run --project src/Silo/Silo.csproj -c Release -- "${silo_args[@]}" &
silo_pid=$!
set +m
# `wait` returns early whenever a trapped signal arrives; keep waiting until the
# silo has really exited, then take its exit code.
while kill -0 "$silo_pid" 2>/dev/null; do wait "$silo_pid" || true; done
rc=0
wait "$silo_pid" || rc=$?
silo_pid=
exit "$rc"
