#!/usr/bin/env bash
# The reporting benchmark (issue 7): a generated practice folded into the reporting projection, then every report
# timed against its one-second limit, on a private PostgreSQL this script starts and stops.
#   bench/reports.sh                                  100,000 members × 24 months; results in bench/results/reports.md
#   bench/reports.sh --members 5000 --end-to-end 1000 extra arguments go to the bench (see bench/README.md)
# MEDSPA_BENCH_PG_DATA=/var/tmp/medspa-bench keeps the cluster there between runs, so `--reuse` can time the reports
# again without generating the data again; by default the cluster lives in a temporary folder and is deleted.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=../scripts/postgres.sh
source scripts/postgres.sh

# MEDSPA_BENCH_PG_DATA keeps the cluster between runs (see above).
pg_private_cluster medspa-bench "${MEDSPA_BENCH_PG_DATA:-}"
port="$(free_port)"
# Durability off: the data is generated and thrown away, and this only makes building it faster; the reports only
# read. shared_buffers is raised from the default 128MB to a modest 256MB; everything else is PostgreSQL's default.
pg_start "$pg_data" "$port" "$work/postgres.log" \
  shared_buffers=256MB fsync=off synchronous_commit=off full_page_writes=off max_wal_size=4GB
export MEDSPA_BENCH_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres"
echo "Bench PostgreSQL on 127.0.0.1:$port ($pg_data)"

dotnet run -c Release --project bench/Reports -- --out bench/results/reports.md "$@"
