# shellcheck shell=bash
# shellcheck disable=SC2034 # the TB_* settings are read by the scripts that source this
# The loopback OpenStack test bed: Keystone + Heat (heat-all) and Swift, from
# Debian packages, every server on 127.0.0.1. Functions used by the entry points
# beside this folder (start, stop, status, smoke) and, through them, by the
# scripts/test.sh hook scripts/testbed/openstack.sh.
#
# Sourced, never executed; expects `set -euo pipefail` and scripts/lib/common.sh
# (say, die, pkg_installed, missing_pkgs, apt_install, AS_ROOT) in the caller.
# Everything here is prefixed tb_/TB_ so that it cannot clash with the caller.
#
# Layout:
#   system (one test bed per machine, fixed ports):
#     /etc/keystone/keystone.conf, /etc/keystone/testbed-uwsgi.ini  Keystone, 127.0.0.1:5000
#     /var/lib/keystone/keystone.db                                 its SQLite DB (WAL)
#     /etc/heat/heat.conf, /var/lib/heat/heat.sqlite                heat-all, 127.0.0.1:8004
#     /etc/swift/*.conf, /etc/swift/*.ring.gz                       Swift, proxy 127.0.0.1:8081
#     /var/lib/swift/node/d1                                        Swift's one "disk" (plain directory)
#     memcached 127.0.0.1:11211 (tempauth tokens); Swift servers 6200-6202
#   state dir $TESTBED_DIR (default <repo>/testbed, git-ignored):
#     secrets.env      generated passwords (0600), made on first set-up and kept
#     openstack.env    what tests and people read: member user + Swift (KEY=VALUE lines)
#     admin.env        the same for the Keystone admin
#     run/*.pid        one per server; `stop` stops exactly these PIDs
#     logs/*.log       the servers' console output (Keystone's and Heat's own logs
#                      are in /var/log/keystone and /var/log/heat)

TB_ROOT=${TB_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}
TB_DIR=${TESTBED_DIR:-$TB_ROOT/testbed}
TB_RUN=$TB_DIR/run
TB_LOGS=$TB_DIR/logs
TB_CONF=$TB_ROOT/scripts/testbed/conf
TB_LIB=$TB_ROOT/scripts/testbed/lib

TB_HOST=127.0.0.1
TB_KEYSTONE_PORT=5000
TB_HEAT_PORT=8004
# No Nova here: the catalog's compute endpoint points at a port the tests serve themselves
# (support/StandInCompute: os-getConsoleOutput only). Nothing of the test bed listens on it.
TB_COMPUTE_PORT=8774
TB_SWIFT_PORT=8081 # not 8080: that is the service's own default port
TB_MEMCACHED_PORT=11211
TB_REGION=RegionOne
TB_PROJECT=reporting
TB_USER=reporting-ops
TB_SWIFT_USER=test:tester
TB_SWIFT_DEVICES=/var/lib/swift/node
TB_KEYSTONE_DB=/var/lib/keystone/keystone.db
TB_HEAT_DB=/var/lib/heat/heat.sqlite
TB_UWSGI_INI=/etc/keystone/testbed-uwsgi.ini

# Debian packages of the test bed (no recommends). heat-all is in heat-common.
TB_PACKAGES=(
	keystone uwsgi-core uwsgi-plugin-python3
	heat-common python3-openstackclient python3-heatclient
	swift swift-proxy swift-account swift-container swift-object python3-swiftclient memcached
	duplicity curl sqlite3
)

# Servers in start order; stop goes backwards.
TB_SERVERS=(memcached swift-account swift-container swift-object swift-proxy keystone heat)

tb_url_keystone() { printf 'http://%s:%s/v3' "$TB_HOST" "$TB_KEYSTONE_PORT"; }
tb_url_swift_auth() { printf 'http://%s:%s/auth/v1.0' "$TB_HOST" "$TB_SWIFT_PORT"; }

# --- processes -------------------------------------------------------------

tb_pidfile() { printf '%s/%s.pid' "$TB_RUN" "$1"; }

# What must appear in /proc/PID/cmdline for the PID file to be trusted.
tb_cmd_marker() {
	case $1 in
	keystone) echo uwsgi ;;
	heat) echo heat-all ;;
	memcached) echo memcached ;;
	swift-*) echo "$1-server" ;;
	esac
}

# tb_pid NAME: prints the PID from NAME's PID file when that process is alive
# and is what we started (not a recycled PID); false otherwise.
tb_pid() {
	local f pid
	f=$(tb_pidfile "$1")
	[ -r "$f" ] || return 1
	pid=$(cat "$f" 2>/dev/null) || return 1
	[[ $pid =~ ^[0-9]+$ ]] || return 1
	[ -r "/proc/$pid/cmdline" ] || return 1
	tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$(tb_cmd_marker "$1")" || return 1
	printf '%s\n' "$pid"
}

tb_port() {
	case $1 in
	keystone) echo "$TB_KEYSTONE_PORT" ;;
	heat) echo "$TB_HEAT_PORT" ;;
	memcached) echo "$TB_MEMCACHED_PORT" ;;
	swift-object) echo 6200 ;;
	swift-container) echo 6201 ;;
	swift-account) echo 6202 ;;
	swift-proxy) echo "$TB_SWIFT_PORT" ;;
	esac
}

# tb_port_open PORT: something listens on 127.0.0.1:PORT.
tb_port_open() { (exec 3<>"/dev/tcp/$TB_HOST/$1") 2>/dev/null; }

# tb_healthy NAME: the server answers as it should (one quick request).
tb_healthy() {
	local port code
	port=$(tb_port "$1")
	case $1 in
	keystone)
		code=$(curl -s -m "${TB_HEALTH_TIMEOUT:-5}" -o /dev/null -w '%{http_code}' "http://$TB_HOST:$port/v3") || return 1
		[ "$code" = 200 ]
		;;
	heat)
		code=$(curl -s -m "${TB_HEALTH_TIMEOUT:-5}" -o /dev/null -w '%{http_code}' "http://$TB_HOST:$port/") || return 1
		[ "$code" = 300 ]
		;;
	memcached)
		tb_port_open "$port"
		;;
	swift-*)
		[ "$(curl -s -m "${TB_HEALTH_TIMEOUT:-5}" "http://$TB_HOST:$port/healthcheck" 2>/dev/null)" = OK ]
		;;
	esac
}

# tb_start_server NAME: starts NAME in the background (no wait), PID file in run/.
tb_start_server() {
	local name=$1 pidfile log
	pidfile=$(tb_pidfile "$name")
	log=$TB_LOGS/$name.log
	# The caller found no live process behind the PID file; a killed server may still be a zombie (PID 1 reaps
	# late here), which start-stop-daemon would take for a running one. The stale file goes.
	rm -f "$pidfile"
	local ssd=(start-stop-daemon --start --background --make-pidfile --pidfile "$pidfile" --output "$log")
	case $name in
	keystone)
		"${ssd[@]}" --startas /usr/bin/uwsgi-core -- --ini "$TB_UWSGI_INI"
		;;
	heat)
		# One process: engine + API, in-memory RPC (transport_url = fake://).
		"${ssd[@]}" --chuid heat:heat --chdir /var/lib/heat --startas /usr/bin/heat-all -- --config-file /etc/heat/heat.conf
		;;
	memcached)
		"${ssd[@]}" --startas /usr/bin/memcached -- -u memcache -l "$TB_HOST" -p "$TB_MEMCACHED_PORT" -U 0 -m 64
		;;
	swift-*)
		# Foreground (workers = 0, no fork); -v: log to the console, there is no syslog.
		"${ssd[@]}" --startas "/usr/bin/$name-server" -- "/etc/swift/${name#swift-}-server.conf" -v
		;;
	esac
}

# tb_alive PID: the process exists and is not a zombie (PID 1 on some machines
# reaps late, and kill -0 succeeds on a zombie).
tb_alive() {
	local st
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "${st%% *}" != Z ]
}

# tb_stop_servers NAME...: SIGTERM to each (only the PIDs from our PID files),
# then SIGKILL to any still there after 10 s (heat-all sometimes hangs on
# SIGTERM). Prints one "NAME (pid N)" line per server stopped.
tb_stop_servers() {
	local name pid names=() pids=() i left
	for name in "$@"; do
		if pid=$(tb_pid "$name"); then
			kill -TERM "$pid" 2>/dev/null || true
			names+=("$name")
			pids+=("$pid")
		fi
		rm -f -- "$(tb_pidfile "$name")"
	done
	for _ in $(seq 1 100); do
		left=0
		for pid in "${pids[@]}"; do tb_alive "$pid" && left=1; done
		[ "$left" = 0 ] && break
		sleep 0.1
	done
	for i in "${!pids[@]}"; do
		if tb_alive "${pids[i]}"; then
			kill -KILL "${pids[i]}" 2>/dev/null || true
			echo "${names[i]} (pid ${pids[i]}, SIGKILL after 10 s)"
		else
			echo "${names[i]} (pid ${pids[i]})"
		fi
	done
	for _ in $(seq 1 50); do
		left=0
		for pid in "${pids[@]}"; do tb_alive "$pid" && left=1; done
		[ "$left" = 0 ] && break
		sleep 0.1
	done
}

# tb_wait_healthy NAME...: waits up to 60 s for all; dies naming the log on failure.
tb_wait_healthy() {
	local name pending=("$@") left i
	for _ in $(seq 1 240); do
		left=()
		for name in "${pending[@]}"; do
			TB_HEALTH_TIMEOUT=1 tb_healthy "$name" || left+=("$name")
		done
		[ "${#left[@]}" -eq 0 ] && return 0
		for name in "${left[@]}"; do
			tb_pid "$name" >/dev/null || die "$name exited at start; see $TB_LOGS/$name.log"
		done
		pending=("${left[@]}")
		sleep 0.25
	done
	die "${pending[*]} not answering after 60 s; see $TB_LOGS/${pending[0]}.log"
}

# --- files -----------------------------------------------------------------

# tb_install_file SRC DEST OWNER:GROUP MODE: installs SRC as DEST when the
# content, owner or mode differ. True when DEST changed.
tb_install_file() {
	local src=$1 dest=$2 owner=$3 mode=$4
	if [ -f "$dest" ] && cmp -s "$src" "$dest" &&
		[ "$(stat -c '%U:%G %a' "$dest")" = "$owner ${mode#0}" ]; then
		return 1
	fi
	install -D -o "${owner%%:*}" -g "${owner#*:}" -m "$mode" "$src" "$dest"
	return 0
}

# tb_render TEMPLATE: prints TEMPLATE with every @NAME@ replaced by $TB_V_NAME.
tb_render() {
	local out key var
	out=$(cat "$1")
	while [[ $out =~ @([A-Z0-9_]+)@ ]]; do
		key=${BASH_REMATCH[1]}
		var=TB_V_$key
		[ -n "${!var+x}" ] || die "tb_render: no value for @$key@ in $1"
		out=${out//"@$key@"/${!var}}
	done
	printf '%s\n' "$out"
}

# tb_random [LEN]: letters and digits only (safe in URLs, JSON, ini and sed).
# Reads a fixed amount so that no pipe stage dies of SIGPIPE under pipefail.
tb_random() { head -c 1000 /dev/urandom | LC_ALL=C tr -dc 'A-Za-z0-9' | cut -c "1-${1:-24}"; }

# --- secrets and credentials files -----------------------------------------

# Loads $TB_DIR/secrets.env, adding any missing password (random, kept).
tb_load_secrets() {
	local f=$TB_DIR/secrets.env changed=0 key
	TB_ADMIN_PASSWORD='' TB_MEMBER_PASSWORD='' TB_HEAT_PASSWORD='' TB_SWIFT_KEY=''
	if [ -r "$f" ]; then
		[ "$(stat -c %a "$f")" = 600 ] || chmod 600 "$f"
		while IFS='=' read -r key value; do
			case $key in
			ADMIN_PASSWORD) TB_ADMIN_PASSWORD=$value ;;
			MEMBER_PASSWORD) TB_MEMBER_PASSWORD=$value ;;
			HEAT_PASSWORD) TB_HEAT_PASSWORD=$value ;;
			SWIFT_KEY) TB_SWIFT_KEY=$value ;;
			esac
		done <"$f"
	fi
	[ -n "$TB_ADMIN_PASSWORD" ] || { TB_ADMIN_PASSWORD=$(tb_random 24); changed=1; }
	[ -n "$TB_MEMBER_PASSWORD" ] || { TB_MEMBER_PASSWORD=$(tb_random 24); changed=1; }
	[ -n "$TB_HEAT_PASSWORD" ] || { TB_HEAT_PASSWORD=$(tb_random 24); changed=1; }
	[ -n "$TB_SWIFT_KEY" ] || { TB_SWIFT_KEY=$(tb_random 24); changed=1; }
	if [ "$changed" = 1 ]; then
		(
			umask 077
			{
				printf '# Generated by scripts/testbed: passwords of the loopback test bed (tests only).\n'
				printf 'ADMIN_PASSWORD=%s\nMEMBER_PASSWORD=%s\nHEAT_PASSWORD=%s\nSWIFT_KEY=%s\n' \
					"$TB_ADMIN_PASSWORD" "$TB_MEMBER_PASSWORD" "$TB_HEAT_PASSWORD" "$TB_SWIFT_KEY"
			} >"$f.tmp"
		)
		mv -f "$f.tmp" "$f"
		say "generated test-bed passwords in $f"
	fi
}

# The credentials files: KEY=VALUE lines, no quotes, no `export`, so that both
# `set -a; . FILE; set +a` and java.util.Properties read them.
tb_write_env_files() {
	local tmp
	tmp=$(mktemp "$TB_DIR/.env.XXXXXX")
	{
		printf '# Generated by scripts/testbed/start: loopback OpenStack test bed (tests only).\n'
		printf '# KEY=VALUE lines: shell (set -a; . %s; set +a) or java.util.Properties.\n' "$TB_DIR/openstack.env"
		printf '# Keystone v3 (identity) and Heat (orchestration, from the catalog), member user.\n'
		tb_os_lines "$TB_USER" "$TB_MEMBER_PASSWORD" "$TB_PROJECT"
		printf 'HEAT_URL=http://%s:%s/v1\n' "$TB_HOST" "$TB_HEAT_PORT"
		printf '# Compute (from the catalog): served by the tests themselves while they run, not by the test bed.\n'
		printf 'COMPUTE_URL=http://%s:%s/v2.1\n' "$TB_HOST" "$TB_COMPUTE_PORT"
		printf '# Swift, tempauth (auth v1.0). duplicity 0.8 needs ST_AUTH/ST_USER/ST_KEY besides SWIFT_*.\n'
		printf 'SWIFT_AUTHURL=%s\nSWIFT_USERNAME=%s\nSWIFT_PASSWORD=%s\nSWIFT_AUTHVERSION=1\n' \
			"$(tb_url_swift_auth)" "$TB_SWIFT_USER" "$TB_SWIFT_KEY"
		printf 'ST_AUTH=%s\nST_USER=%s\nST_KEY=%s\n' "$(tb_url_swift_auth)" "$TB_SWIFT_USER" "$TB_SWIFT_KEY"
		# The swift CLI would otherwise take OS_IDENTITY_API_VERSION=3 and try Keystone.
		printf 'ST_AUTH_VERSION=1.0\n'
		printf 'SWIFT_STORAGE_URL=http://%s:%s/v1/AUTH_test\n' "$TB_HOST" "$TB_SWIFT_PORT"
	} >"$tmp"
	tb_replace_if_changed "$tmp" "$TB_DIR/openstack.env"
	tmp=$(mktemp "$TB_DIR/.env.XXXXXX")
	{
		printf '# Generated by scripts/testbed/start: Keystone admin of the loopback test bed (tests only).\n'
		tb_os_lines admin "$TB_ADMIN_PASSWORD" admin
	} >"$tmp"
	tb_replace_if_changed "$tmp" "$TB_DIR/admin.env"
}

tb_os_lines() {
	printf 'OS_AUTH_URL=%s\nOS_IDENTITY_API_VERSION=3\nOS_USERNAME=%s\nOS_PASSWORD=%s\nOS_PROJECT_NAME=%s\n' \
		"$(tb_url_keystone)" "$1" "$2" "$3"
	printf 'OS_USER_DOMAIN_NAME=Default\nOS_PROJECT_DOMAIN_NAME=Default\nOS_REGION_NAME=%s\nOS_INTERFACE=public\n' "$TB_REGION"
}

tb_replace_if_changed() {
	chmod 600 "$1"
	if cmp -s "$1" "$2"; then
		rm -f -- "$1"
	else
		mv -f -- "$1" "$2"
		say "wrote $2"
	fi
}

# When run through sudo, hand the state dir back to the calling user so that
# Maven (running as that user) can read the credentials.
tb_give_back_state_dir() {
	if [ "$(id -u)" -eq 0 ] && [ -n "${SUDO_UID:-}" ] && [ "${SUDO_UID}" != 0 ]; then
		chown -R "$SUDO_UID:${SUDO_GID:-$SUDO_UID}" "$TB_DIR" 2>/dev/null || true
	fi
}

# --- Keystone / Heat / Swift checks ----------------------------------------

# tb_token USER PASSWORD PROJECT: issues a project-scoped token; prints the
# response body (with the catalog) and returns true on 201.
tb_token() {
	local body code out
	body=$(printf '{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"%s","domain":{"id":"default"},"password":"%s"}}},"scope":{"project":{"name":"%s","domain":{"id":"default"}}}}}' "$1" "$2" "$3")
	# the body (a password) on stdin: never in argv, where every process on the machine can read it
	out=$(curl -s -m 20 -D "$TB_RUN/.token-headers" -w '\n%{http_code}' -H 'Content-Type: application/json' \
		--data-binary @- "$(tb_url_keystone)/auth/tokens" <<<"$body") || return 1
	code=${out##*$'\n'}
	[ "$code" = 201 ] || return 1
	printf '%s\n' "${out%$'\n'*}"
}

tb_token_header() { awk 'tolower($1) == "x-subject-token:" {print $2}' "$TB_RUN/.token-headers" | tr -d '\r'; }

tb_sqlite() { sqlite3 -batch "$@" 2>/dev/null; }

# True when the DB file has table TABLE and is in WAL mode.
tb_db_ready() {
	[ -s "$1" ] || return 1
	[ "$(tb_sqlite "$1" "select count(*) from sqlite_master where type='table' and name='$2';")" = 1 ] || return 1
	[ "$(tb_sqlite "$1" 'PRAGMA journal_mode;')" = wal ]
}
