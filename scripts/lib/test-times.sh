#!/usr/bin/env bash
# Prints where the test run's time went, from the reports Maven wrote:
#
#   scripts/lib/test-times.sh [--since EPOCH_SECONDS] [TARGET_DIR] [TOP]     (defaults: <repo>/target, 10)
#
# Reads the <testsuite> element of each target/failsafe-reports/TEST-*.xml (integration tier) and
# target/surefire-reports/TEST-*.xml (unit and process tiers): its time, tests, failures, errors and skipped.
# Prints, per tier, the totals, then the classes by time, slowest first: every integration test class, the TOP
# slowest unit/process classes. A class with a failure or an error is marked. With --since, only reports
# written after that moment count (Maven leaves older ones from earlier runs in place). Run by scripts/test.sh after
# Maven, whatever Maven's exit code; prints nothing for a tier without reports, and always exits 0 (it reports,
# it does not judge: Maven's exit code does). Needs only bash, awk (mawk is enough) and sort.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SINCE=
if [ "${1:-}" = --since ]; then
	SINCE=$2
	shift 2
fi
TARGET=${1:-$ROOT/target}
TOP=${2:-10}

# tier LABEL DIR LIMIT: one tier's totals and its classes (LIMIT 0: all of them).
tier() {
	local label=$1 dir=$2 limit=$3 report reports=()
	[ -d "$dir" ] || return 0
	while IFS= read -r -d '' report; do
		reports+=("$report")
	done < <(find "$dir" -maxdepth 1 -name 'TEST-*.xml' ${SINCE:+-newermt "@$SINCE"} -print0)
	[ "${#reports[@]}" -gt 0 ] || return 0
	FOUND=1
	# One line per class: time, class, tests, failures, errors, skipped (tab-separated), slowest first.
	awk '
		function attr(tag, name,   m) {
			if (match(tag, " " name "=\"[^\"]*\"")) {
				m = substr(tag, RSTART + length(name) + 3, RLENGTH - length(name) - 4)
				gsub(/,/, "", m) # older reports group thousands
				return m
			}
			return ""
		}
		FNR == 1 { tag = ""; done = 0 }
		done { next }
		# the <testsuite ...> start tag, which may span lines
		tag != "" || /<testsuite[ >]/ {
			tag = tag " " $0
			if (index(tag, ">")) {
				t = attr(tag, "time")
				printf "%.3f\t%s\t%d\t%d\t%d\t%d\n", (t == "" ? 0 : t), attr(tag, "name"), attr(tag, "tests"), \
					attr(tag, "failures"), attr(tag, "errors"), attr(tag, "skipped")
				done = 1
			}
		}
	' "${reports[@]}" | sort -t "$(printf '\t')" -k1,1gr |
		awk -F '\t' -v label="$label" -v limit="$limit" '
			{
				n++; time[n] = $1; name[n] = $2; tests[n] = $3; bad[n] = $4 + $5
				total += $1; t += $3; f += $4; e += $5; s += $6
			}
			END {
				printf "%s: %d classes, %d tests, %d failures, %d errors, %d skipped, %.1f s\n", \
					label, n, t, f, e, s, total
				shown = (limit > 0 && limit < n) ? limit : n
				if (shown < n) printf "  the %d slowest:\n", shown
				for (i = 1; i <= shown; i++) {
					short = name[i]
					sub(/^au\.edu\.unimelb\.reporting\.ops\./, "", short)
					printf "  %8.1f s  %-50s %4d tests%s\n", time[i], short, tests[i], \
						(bad[i] > 0 ? "  FAILED: " bad[i] : "")
				}
			}'
}

FOUND=0
echo "Time per test class (Maven's reports under ${TARGET#"$ROOT"/}):"
tier "integration (*IT, failsafe)" "$TARGET/failsafe-reports" 0
tier "unit and process (*Test, surefire)" "$TARGET/surefire-reports" "$TOP"
[ "$FOUND" = 1 ] || echo "  no reports from this run (Maven stopped before the tests, or ran none)"
exit 0
