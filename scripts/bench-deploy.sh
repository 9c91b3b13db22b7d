#!/usr/bin/env bash
# Benchmark of deploy-replace (figures for the closing note, not a test):
#   1. orchestration overhead: REST start -> web front switched, minus Heat's own create time, over 10 runs;
#   2. wrk (keep-alive, 50 connections, no retries) against a real nginx web front while 20 deploy-replace runs
#      switch it between two stand-in servers: errors, non-2xx, latency vs a steady run, and how soon new
#      requests reach the new server.
# Everything runs on loopback: the test bed's Keystone + Heat, nginx, sshd, PostgreSQL, the service in-process.
# Needs root (nginx, nft, sshd) and the same machine set-up as scripts/test.sh. Takes about 6 minutes.
#
#   scripts/bench-deploy.sh [-Dbench.overheadRuns=10] [-Dbench.loadRuns=20]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
command -v wrk >/dev/null || { echo "bench-deploy: wrk is missing (apt-get install wrk)" >&2; exit 1; }
scripts/testbed/start
export OPS_TESTBED_ENV="$ROOT/testbed/openstack.env"
export OPS_TEST_PG_URL=${OPS_TEST_PG_URL:-jdbc:postgresql://127.0.0.1:5432/postgres}
export OPS_TEST_PG_USER=${OPS_TEST_PG_USER:-ops_test} OPS_TEST_PG_PASSWORD=${OPS_TEST_PG_PASSWORD:-ops-test-pw-5b1e}
log=$(mktemp /tmp/bench-deploy.XXXXXX.log)
mvn -B -q -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=DeployReplaceBenchmark \
	-Dfailsafe.failIfNoSpecifiedTests=false "$@" verify >"$log" 2>&1 || { tail -50 "$log"; exit 1; }
# The report is the block the benchmark printed, from its first line to the blank line after it.
sed -n '/^deploy-replace benchmark:/,/^$/p' "$log" | head -40
echo "(full log: $log)"
