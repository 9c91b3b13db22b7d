#!/usr/bin/env bash
# Checks the shipped Prometheus rules (monitoring/prometheus/) with promtool, Debian package `prometheus`:
#
#   scripts/monitoring-tests.sh
#
# Prints one line per check (`promtool check rules`, `promtool test rules` on each *.rules.test.yml) with its time;
# on a failure also promtool's output. Exits 1 when a check failed. Run by scripts/test.sh before Maven (which
# installs the package); needs no root and starts no server.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SAY_PREFIX=monitoring-tests
# shellcheck source=scripts/lib/common.sh
. "$ROOT/scripts/lib/common.sh"

command -v promtool >/dev/null 2>&1 || die "promtool is missing: apt-get install prometheus"
DIR=$ROOT/monitoring/prometheus

failed=0
# check NAME COMMAND...: runs COMMAND in $DIR (the test files name their rule files relative to it).
check() {
	local name=$1 out rc=0 start took
	shift
	start=$(date +%s%N)
	out=$(cd "$DIR" && "$@" 2>&1) || rc=$?
	took=$((($(date +%s%N) - start) / 1000000))
	if [ "$rc" -eq 0 ]; then
		printf '%s: ok (%d.%d s)\n' "$name" $((took / 1000)) $((took % 1000 / 100))
	else
		failed=1
		printf '%s: FAILED, exit %d (%d.%d s)\n' "$name" "$rc" $((took / 1000)) $((took % 1000 / 100))
		sed 's/^/    | /' <<<"$out"
	fi
}

shopt -s nullglob
for rules in "$DIR"/*.rules.yml; do
	check "promtool check rules monitoring/prometheus/$(basename "$rules")" promtool check rules "$rules"
done
for tests in "$DIR"/*.rules.test.yml; do
	check "promtool test rules monitoring/prometheus/$(basename "$tests")" promtool test rules "$tests"
done
exit "$failed"
