#!/usr/bin/env bash
# Lints the BPMN models with bpmnlint and the repository's .bpmnlintrc (bpmnlint's
# recommended rules, what Camunda Modeler checks):
#
#   scripts/lint-models.sh [model.bpmn...]      default: every processes/*.bpmn
#
# Prints the findings and exits non-zero on any error or warning; prints nothing when
# the models pass. bpmnlint, at the version pinned below, is installed with npm into a
# cache outside the repository (${XDG_CACHE_HOME:-~/.cache}/reporting-ops/bpmnlint)
# when it is missing there or another version (one line then). Needs node and npm.
# scripts/test.sh runs it before Maven.
set -euo pipefail

# 11.x: bpmnlint 12 needs Node.js 24, the machines have 20.
BPMNLINT_VERSION=11.15.0

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SAY_PREFIX=lint-models.sh
# shellcheck source=scripts/lib/common.sh
. "$ROOT/scripts/lib/common.sh"

command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ||
	die "node and npm are needed to lint the models (Debian: apt-get install nodejs npm)"

CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/reporting-ops/bpmnlint"
BPMNLINT="$CACHE/node_modules/.bin/bpmnlint"

installed_version() {
	node -e 'process.stdout.write(require(process.argv[1]).version)' \
		"$CACHE/node_modules/bpmnlint/package.json" 2>/dev/null || true
}

if [ ! -x "$BPMNLINT" ] || [ "$(installed_version)" != "$BPMNLINT_VERSION" ]; then
	say "installing bpmnlint $BPMNLINT_VERSION into $CACHE"
	mkdir -p "$(dirname "$CACHE")"
	# Into a fresh folder, then moved into place: a cut-off install is never taken
	# for a good one.
	staging=$(mktemp -d "$CACHE.XXXXXX")
	log="$staging.log"
	if ! npm install --prefix "$staging" --no-audit --no-fund --no-update-notifier \
		"bpmnlint@$BPMNLINT_VERSION" >"$log" 2>&1; then
		tail -n 20 "$log" >&2
		rm -rf -- "$staging" "$log"
		die "npm could not install bpmnlint $BPMNLINT_VERSION"
	fi
	rm -rf -- "$CACHE" "$log"
	mv -- "$staging" "$CACHE"
fi

cd "$ROOT"
if [ "$#" -eq 0 ]; then
	shopt -s nullglob
	set -- processes/*.bpmn
	shopt -u nullglob
	[ "$#" -gt 0 ] || die "no models in $ROOT/processes"
fi
for model in "$@"; do
	[ -f "$model" ] || die "no such model: $model"
done
grep -q '"bpmnlint:recommended"' "$ROOT/.bpmnlintrc" || die ".bpmnlintrc must extend bpmnlint:recommended"
if grep -q '"rules"' "$ROOT/.bpmnlintrc"; then
	die ".bpmnlintrc turns rules off or down: fix the models instead"
fi
# bpmnlint prints a blank line even when all pass: its output is shown only on a finding.
rc=0
findings=$("$BPMNLINT" --config "$ROOT/.bpmnlintrc" --max-warnings=0 "$@" 2>&1) || rc=$?
if [ "$rc" -ne 0 ]; then
	printf '%s\n' "$findings"
	say "the models above break bpmnlint's recommended rules (errors or warnings): fix the models," \
		"Camunda Modeler shows the same findings"
fi
exit "$rc"
