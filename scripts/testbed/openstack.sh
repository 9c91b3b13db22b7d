# shellcheck shell=bash
# scripts/test.sh hook: the loopback OpenStack test bed for the integration
# tests -- Keystone + Heat (127.0.0.1:5000, :8004) and Swift (127.0.0.1:8081).
# Sourced by scripts/test.sh (see its contract); adds the Debian packages, a
# set-up hook that makes sure all is configured and running (scripts/testbed/
# start: idempotent, quiet when all is up) and a teardown hook that stops the
# servers after Maven when this run started them. Exports for Maven:
#
#   OPS_TESTBED_ENV   path of the credentials file (KEY=VALUE lines, readable
#                     by java.util.Properties): OS_AUTH_URL, OS_USERNAME,
#                     OS_PASSWORD, OS_PROJECT_NAME, ..., SWIFT_*, ST_*
#
# Environment: OPS_TESTBED=off skips the test bed (OPS_TESTBED_ENV stays unset);
# TESTBED_DIR moves the state dir (default <repo>/testbed); TESTBED_KEEP=1
# leaves servers this run started running after the tests.

if [ "${OPS_TESTBED:-on}" != off ]; then
	# shellcheck source=scripts/testbed/lib/testbed.bash
	. "$ROOT/scripts/testbed/lib/testbed.bash"
	TEST_PACKAGES+=("${TB_PACKAGES[@]}")
	TEST_SETUP_HOOKS+=(testbed_openstack_up)
	TEST_TEARDOWN_HOOKS+=(testbed_openstack_down)
fi

_TB_STARTED_HERE=0

testbed_openstack_up() {
	local dir=${TESTBED_DIR:-$ROOT/testbed}
	# Started by this run (so stopped after it) unless everything already answers.
	"$ROOT/scripts/testbed/status" -q || _TB_STARTED_HERE=1
	if [ "$(id -u)" -eq 0 ]; then
		"$ROOT/scripts/testbed/start"
	elif [ "$AS_ROOT_OK" -eq 1 ]; then
		"${AS_ROOT[@]}" env TESTBED_DIR="$dir" "$ROOT/scripts/testbed/start"
	elif [ "$_TB_STARTED_HERE" = 1 ]; then
		_TB_STARTED_HERE=0
		die "the OpenStack test bed is not running; start it as root: sudo scripts/testbed/start"
	fi
	[ -r "$dir/openstack.env" ] || die "cannot read the test bed's credentials file $dir/openstack.env"
	export OPS_TESTBED_ENV="$dir/openstack.env"
}

testbed_openstack_down() {
	[ "$_TB_STARTED_HERE" = 1 ] || return 0
	_TB_STARTED_HERE=0
	if [ "${TESTBED_KEEP:-0}" = 1 ]; then
		say "leaving the OpenStack test bed running (TESTBED_KEEP=1); scripts/testbed/stop stops it"
		return 0
	fi
	"${AS_ROOT[@]}" env TESTBED_DIR="${TESTBED_DIR:-$ROOT/testbed}" "$ROOT/scripts/testbed/stop"
}
