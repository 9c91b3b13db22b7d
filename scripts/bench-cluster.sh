#!/usr/bin/env bash
# Benchmark of the job executor on 1 and 2 service nodes (figures for the closing note, not a test): the packaged jar
# as separate JVMs on one PostgreSQL database, a chain of three asynchronous no-op steps:
#   1. step-to-step pickup latency (end of one step -> start of the next), p50/p95, chains started one at a time;
#   2. throughput: many chains started at once, steps per second.
# Needs PostgreSQL as scripts/test.sh sets it up. Takes about 3 minutes.
#
#   scripts/bench-cluster.sh [-Dbench.sequential=100] [-Dbench.burst=300]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export OPS_TEST_PG_URL=${OPS_TEST_PG_URL:-jdbc:postgresql://127.0.0.1:5432/postgres}
export OPS_TEST_PG_USER=${OPS_TEST_PG_USER:-ops_test} OPS_TEST_PG_PASSWORD=${OPS_TEST_PG_PASSWORD:-ops-test-pw-5b1e}
log=$(mktemp /tmp/bench-cluster.XXXXXX.log)
mvn -B -q -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ClusterBenchmark \
	-Dfailsafe.failIfNoSpecifiedTests=false "$@" verify >"$log" 2>&1 || { tail -50 "$log"; exit 1; }
sed -n '/cluster benchmark:/,/^$/p' "$log" | sed 's/\x1b\[[0-9;]*m//g' | head -20
echo "(full log: $log)"
