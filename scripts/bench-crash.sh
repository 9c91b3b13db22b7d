#!/usr/bin/env bash
# Kill -9 to resumption, per kill point (figures for the closing note, not a test): runs DeployCrashIT and
# BackupCrashIT (the packaged jar as separate JVMs on one PostgreSQL database, the test bed's Keystone + Heat running)
# and prints, for each point where a node is killed, the time from the kill until the work was taken up again
# (a job of the run locked by a living node, or executed, or the run ended), with the same node restarted and with
# the other node going on. The tests use a 12 s job lock; the time scales with it.
# Needs what scripts/test.sh sets up (PostgreSQL, scripts/testbed/start). Takes about 8 minutes.
#
#   scripts/bench-crash.sh
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export OPS_TEST_PG_URL=${OPS_TEST_PG_URL:-jdbc:postgresql://127.0.0.1:5432/postgres}
export OPS_TEST_PG_USER=${OPS_TEST_PG_USER:-ops_test} OPS_TEST_PG_PASSWORD=${OPS_TEST_PG_PASSWORD:-ops-test-pw-5b1e}
log=$(mktemp /tmp/bench-crash.XXXXXX.log)
mvn -B -q -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test='DeployCrashIT,BackupCrashIT' \
	-Dfailsafe.failIfNoSpecifiedTests=false "$@" verify >"$log" 2>&1 || { tail -50 "$log"; exit 1; }
sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^(kill -9 to resumption|The nightly timer)' | sort -t: -k2
echo "(full log: $log)"
