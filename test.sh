#!/usr/bin/env bash
# Run the whole test suite against a throwaway PostgreSQL cluster.
#   ./test.sh                      all tests
#   ./test.sh --filter Category=X  extra args go to `dotnet test`
# Ends with one line "N passed, M failed[, K skipped]" taken from the TRX files.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source=scripts/postgres.sh
source scripts/postgres.sh
# shellcheck source=scripts/node.sh
source scripts/node.sh

# Everything the tests need besides PostgreSQL and the .NET SDK goes here, so a
# fresh CI machine (root, Debian) gets it all from one place.
ensure_test_dependencies() {
  node_ensure
  # The browser tests drive Debian's Chromium (Playwright's own download does not work offline).
  if ! command -v chromium >/dev/null 2>&1; then
    if [[ $EUID -eq 0 ]]; then
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
      sudo apt-get update -qq
      sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    fi
  fi
  if [[ -f .config/dotnet-tools.json ]]; then
    dotnet tool restore
  fi
}

# Prints "total passed failed skipped" summed over all TRX files under $1.
# error/timeout/aborted count as failed. Skipped tests are not in any counter
# (notExecuted stays 0), they are only the gap between total and executed.
trx_counts() {
  local files=()
  mapfile -t files < <(find "$1" -type f -name '*.trx' 2>/dev/null)
  if ((${#files[@]} == 0)); then echo "0 0 0 0"; return; fi
  grep -ho '<Counters [^>]*>' "${files[@]}" | awk '
    function n(name) {
      if (match($0, " " name "=\"[0-9]+\"")) {
        v = substr($0, RSTART, RLENGTH); gsub(/[^0-9]/, "", v); return v + 0
      }
      return 0
    }
    { t += n("total"); p += n("passed"); s += n("total") - n("executed")
      f += n("failed") + n("error") + n("timeout") + n("aborted") }
    END { print t + 0, p + 0, f + 0, s + 0 }'
}

ensure_test_dependencies
pg_private_cluster medspa-test
port="$(free_port)"
# Throwaway data: durability off for speed; several silos + tests connect at once.
pg_start "$pg_data" "$port" "$work/postgres.log" \
  fsync=off synchronous_commit=off full_page_writes=off max_connections=300
export MEDSPA_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
echo "Test PostgreSQL on 127.0.0.1:$port"

# No LogFileName: with a fixed name every test project of the solution would
# overwrite the same file; default names are unique per project. The TRX files
# stay in artifacts/ after the run (each test's duration and output), not in $work.
results=artifacts/test-results
rm -rf "$results"
rc=0
dotnet test MedSpa.sln -c Release --logger trx --results-directory "$results" "$@" || rc=$?

read -r total passed failed skipped < <(trx_counts "$results")
echo
echo "Test results (TRX, with each test's time and output): $results/"
if [[ -d artifacts/screenshots ]]; then
  echo "Screenshots of the pages: artifacts/screenshots/"
fi
if ((skipped > 0)); then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
if ((rc != 0)); then exit "$rc"; fi
if ((total == 0)); then
  echo "ERROR: no test results found (no .trx file or 0 tests ran); failing the run." >&2
  exit 1
fi
