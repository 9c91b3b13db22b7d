#!/usr/bin/env bash
# The project's test command (named in the README, run by .ci/run):
#
#   scripts/test.sh [extra Maven args]      e.g. scripts/test.sh -Dit.test=FooIT
#
# 1. installs the Debian packages the tests need (only the missing ones; apt-get
#    update only then; no recommends; no service started by postinst scripts),
# 2. sources scripts/testbed/*.sh, if any, which may add packages and set-up hooks,
# 3. makes sure PostgreSQL answers on 127.0.0.1:5432 and that role ops_test
#    (password ops_test, LOGIN CREATEDB) can log in there over TCP,
# 4. lints the BPMN models (scripts/lint-models.sh: bpmnlint, .bpmnlintrc, no
#    warnings) and runs the web front's own tests (scripts/web-front-tests.sh: one line per
#    web_front/tests/*.sh) and checks the Prometheus alert rules
#    (scripts/monitoring-tests.sh: promtool check/test rules, one line per check);
#    a failure stops here),
# 5. runs `mvn -B verify` from the repository root, prints the time per test
#    class (scripts/lib/test-times.sh) and exits with Maven's code, after the
#    teardown hooks (TEST_TEARDOWN_HOOKS) have stopped what step 2 started.
# Needs root (or password-less sudo) for the web front tests, and when something
# has to be installed, started or created; before Maven it prints only the web
# front tests' lines when all is already there.
# Servers the tests use (nginx, sshd, ...) are started by the Java tests themselves.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/lib/common.sh
. "$ROOT/scripts/lib/common.sh"
# shellcheck source=scripts/lib/postgres.sh
. "$ROOT/scripts/lib/postgres.sh"

# ---------------------------------------------------------------------------
# Debian packages the tests need: TEST_PACKAGES, from the one list
# (scripts/lib/packages.sh), with a JDK 17+, Maven and Node.js/npm (bpmnlint)
# when the machine has none.
# shellcheck source=scripts/lib/packages.sh
. "$ROOT/scripts/lib/packages.sh"
add_build_packages TEST_PACKAGES

# Set-up steps contributed by testbed scripts: names of functions run after the
# packages are installed and PostgreSQL is up, before Maven (in order).
TEST_SETUP_HOOKS=()
# Their counterparts: names of functions run when this script exits, after Maven
# or on failure or interruption (in reverse order), e.g. to stop the servers a
# set-up hook started. Each must be safe to call when its set-up did not run.
TEST_TEARDOWN_HOOKS=()
# shellcheck disable=SC2317 # run by the EXIT trap
_run_teardown_hooks() {
	local i
	for ((i = ${#TEST_TEARDOWN_HOOKS[@]} - 1; i >= 0; i--)); do
		"${TEST_TEARDOWN_HOOKS[i]}" || say "teardown hook ${TEST_TEARDOWN_HOOKS[i]} failed"
	done
	TEST_TEARDOWN_HOOKS=()
	_cleanup
}
trap _run_teardown_hooks EXIT

# ---------------------------------------------------------------------------
# Testbed hooks (Keystone, Heat, Swift, ...): each scripts/testbed/*.sh is
# sourced here, in name order, under `set -euo pipefail`, with say/die/
# pkg_installed/apt_install/AS_ROOT available. It may append to TEST_PACKAGES
# and TEST_SETUP_HOOKS and export variables for Maven. It must be idempotent and
# quiet when there is nothing to do (one `say` line per thing it does).
shopt -s nullglob
for testbed_script in "$ROOT"/scripts/testbed/*.sh; do
	# shellcheck disable=SC1090
	. "$testbed_script"
done
shopt -u nullglob

# ---------------------------------------------------------------------------
missing=$(missing_pkgs "${TEST_PACKAGES[@]}")
if [ -n "$missing" ]; then
	# shellcheck disable=SC2086 # word splitting wanted: one package per word
	apt_install $missing
fi

ensure_postgres_running
ensure_pg_test_role
export OPS_TEST_PG_URL="jdbc:postgresql://$PG_HOST:$PG_PORT/postgres"
export OPS_TEST_PG_USER="$PG_TEST_ROLE"
export OPS_TEST_PG_PASSWORD="$PG_TEST_PASSWORD"

for hook in "${TEST_SETUP_HOOKS[@]}"; do
	"$hook"
done

# ---------------------------------------------------------------------------
# Maven as a child (not exec), so that the teardown hooks run after it; the
# script exits with Maven's code.
_cleanup
"$ROOT/scripts/lint-models.sh" # the BPMN models pass bpmnlint (.bpmnlintrc), no warnings
"$ROOT/scripts/web-front-tests.sh"
"$ROOT/scripts/monitoring-tests.sh" # promtool: the alert rules are valid and pass their unit tests
mvn_rc=0
mvn_started=$(date +%s)
mvn -B --no-transfer-progress verify "$@" || mvn_rc=$?
"$ROOT/scripts/lib/test-times.sh" --since "$mvn_started" || true
exit "$mvn_rc"
