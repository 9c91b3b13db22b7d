#!/usr/bin/env bash
# Runs the web front's own tests, web_front/tests/*.sh (the shipped nginx site configs, the switch script, the
# network-namespace check of the stable address), each as root, without a terminal, bounded in time:
#
#   scripts/web-front-tests.sh
#
# Prints one line per script (passed/failed counts and time); on a failure also its NOT OK lines and the tail of
# its output (all of it in target/web-front-tests/NAME.log). Exits 1 when a script failed or did not finish in
# WEB_FRONT_TEST_LIMIT seconds (default 180; they take a few seconds). Each script gets a block of four free
# loopback ports, so runs in other checkouts on the same machine do not collide. Run by scripts/test.sh before
# Maven (which installs what they need: nginx, nftables, curl, openssl, iproute2, procps); OPS_WEB_FRONT_TESTS=off
# skips them.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SAY_PREFIX=web-front-tests
# shellcheck source=scripts/lib/common.sh
. "$ROOT/scripts/lib/common.sh"

[ "${OPS_WEB_FRONT_TESTS:-on}" != off ] || exit 0
[ "$AS_ROOT_OK" -eq 1 ] || die "web_front/tests need root (nginx on loopback, nft tables, a network namespace)"

LIMIT=${WEB_FRONT_TEST_LIMIT:-180}
LOGS=$ROOT/target/web-front-tests
mkdir -p "$LOGS"

# A base port B such that B..B+3 are free on every address (the scripts listen on several 127.0.0.x).
free_port_base() {
	local listening base i taken
	listening=$(ss -Htln | awk '{ n = split($4, a, ":"); print a[n] }' | sort -u)
	for i in $(seq 1 50); do
		base=$((20000 + (RANDOM % 2000) * 4))
		taken=0
		for p in "$base" $((base + 1)) $((base + 2)) $((base + 3)); do
			if grep -qx "$p" <<<"$listening"; then taken=1; fi
		done
		[ "$taken" = 1 ] || {
			echo "$base"
			return 0
		}
	done
	die "found no four free ports in 20000-27999"
}

failed=0
for script in "$ROOT"/web_front/tests/*.sh; do
	name=$(basename "$script" .sh)
	log=$LOGS/$name.log
	rc=0
	start=$(date +%s%N)
	# A TERM at the limit lets the script's trap stop its nginx and delete its nft table; KILL 10 s later.
	"${AS_ROOT[@]}" timeout --kill-after=10 "$LIMIT" bash "$script" "$(free_port_base)" </dev/null >"$log" 2>&1 ||
		rc=$?
	took=$((($(date +%s%N) - start) / 1000000))
	summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1 || true)
	if [ "$rc" -eq 0 ]; then
		printf 'web_front/tests/%s.sh: ok, %s (%d.%d s)\n' "$name" "${summary:-no summary}" \
			$((took / 1000)) $((took % 1000 / 100))
		continue
	fi
	failed=1
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		reason="did not finish within $LIMIT s"
	else
		reason="exit $rc${summary:+, $summary}"
	fi
	printf 'web_front/tests/%s.sh: FAILED, %s (%d.%d s); output: %s\n' "$name" "$reason" \
		$((took / 1000)) $((took % 1000 / 100)) "${log#"$ROOT"/}"
	grep -E '^NOT OK' "$log" | sed 's/^/    /' || true
	tail -n 15 "$log" | sed 's/^/    | /'
done
exit "$failed"
