# shellcheck shell=bash
# The Debian packages the project needs: the one list, for scripts/test.sh and
# scripts/sandbox. Sourced, never executed. Add to the lists here, or from a
# scripts/testbed/*.sh hook (TEST_PACKAGES+=(...)).

# What the running system needs on this machine (the sandbox, and the tests too).
# shellcheck disable=SC2034 # used by the scripts that source this file
SANDBOX_PACKAGES=(
	postgresql postgresql-client # the databases, and pg_isready/psql/pg_dump/pg_restore
	nginx nftables               # the web fronts, and the switch's DNAT rule
	openssh-server openssh-client
	duplicity gnupg              # backups
	curl jq                      # scripts/release.sh
	iproute2                     # ss: scripts/sandbox checks its ports
)

# What the tests need besides.
# shellcheck disable=SC2034
TEST_PACKAGES=(
	"${SANDBOX_PACKAGES[@]}"
	openssl procps           # web_front/tests: certificates, sysctl (iproute2, for a network namespace, is above)
	docker-compose           # `docker-compose config` check of docker-compose.yml
	wrk                      # load checks
	chromium chromium-driver # browser tests
	sqlite3
	slapd ldap-utils         # security/LdapLoginIT: a real OpenLDAP directory, started by the test (support/LoopbackLdap)
	prometheus               # promtool (scripts/monitoring-tests.sh), and the server monitoring/PrometheusAlertIT starts
)

# add_build_packages ARRAY: appends a JDK 17, Maven and Node.js/npm (bpmnlint)
# to the named array, each only when the machine has none (a JDK older than 17
# counts as none: then JAVA_HOME is set to the one installed).
add_build_packages() {
	local -n _packages=$1
	local jdk_package=openjdk-17-jdk-headless javac_cmd=javac javac_major
	[ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && javac_cmd="$JAVA_HOME/bin/javac"
	if ! command -v "$javac_cmd" >/dev/null 2>&1; then
		_packages+=("$jdk_package")
	else
		javac_major=$("$javac_cmd" -version 2>&1 | awk '/^javac/ {split($2, v, "."); print v[1]; exit}')
		if [ "${javac_major:-0}" -lt 17 ] 2>/dev/null; then
			_packages+=("$jdk_package")
			JAVA_HOME=/usr/lib/jvm/java-17-openjdk-$(dpkg --print-architecture)
			export JAVA_HOME
		fi
	fi
	command -v mvn >/dev/null 2>&1 || _packages+=(maven)
	command -v node >/dev/null 2>&1 || _packages+=(nodejs)
	command -v npm >/dev/null 2>&1 || _packages+=(npm)
	return 0
}
