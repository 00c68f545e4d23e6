#!/usr/bin/env bash
# The cluster benchmarks (issue 8): billing against the Stripe emulator's rate limit, redemptions against
# PostgreSQL's commit rate, SignalR latency, memory per member grain, start-up to ready; real silo processes on a
# private PostgreSQL this script starts and always stops. Results in bench/results/cluster.md.
#   bench/cluster.sh                                  everything at full size (about 10-15 minutes)
#   bench/cluster.sh --only billing --members 1000    one or more (comma-separated) at another size; see bench/README.md
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=../scripts/postgres.sh
source scripts/postgres.sh

pg_private_cluster medspa-bench-cluster
port="$(free_port)"
# PostgreSQL's default settings, durability included (fsync, synchronous_commit, full_page_writes on): the redemption
# figure is compared with real commits. max_connections is raised for the silos' pools plus the bench's own.
pg_start "$pg_data" "$port" "$work/postgres.log" max_connections=200
export MEDSPA_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres"
echo "Bench PostgreSQL on 127.0.0.1:$port ($pg_data)"

dotnet build -c Release bench/Cluster/Cluster.csproj -v quiet -nologo
dotnet bench/Cluster/bin/Release/net10.0/MedSpa.Bench.Cluster.dll --out bench/results/cluster.md "$@"
