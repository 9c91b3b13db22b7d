# shellcheck shell=bash
# PostgreSQL for the tests: a local cluster on 127.0.0.1:5432 and a login role.
# Sourced by scripts/test.sh after scripts/lib/common.sh.

PG_HOST=127.0.0.1
PG_PORT=5432
# Loopback-only test credentials; the tests read them from OPS_TEST_PG_*.
PG_TEST_ROLE=ops_test
# Distinct from every name the tests use, so that secret scans (argv, logs, ACT_* tables) can look for it.
PG_TEST_PASSWORD=ops-test-pw-5b1e

# psql as the postgres superuser over the Unix socket.
_pg_super_psql() {
	if [ "$(id -u)" -eq 0 ]; then
		(cd / && runuser -u postgres -- psql -X -q -p "$PG_PORT" -v ON_ERROR_STOP=1 "$@")
	elif [ "$AS_ROOT_OK" -eq 1 ]; then
		(cd / && sudo -n -u postgres psql -X -q -p "$PG_PORT" -v ON_ERROR_STOP=1 "$@")
	elif [ "$(id -un)" = postgres ]; then
		psql -X -q -p "$PG_PORT" -v ON_ERROR_STOP=1 "$@"
	else
		return 1
	fi
}

_pg_ready() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT" >/dev/null 2>&1; }

ensure_postgres_running() {
	_pg_ready && return 0
	[ "$AS_ROOT_OK" -eq 1 ] ||
		die "PostgreSQL is not accepting connections on $PG_HOST:$PG_PORT -- start it as root: pg_ctlcluster --skip-systemctl-redirect <version> main start"
	local version
	# shellcheck disable=SC2012 # version directory names are plain numbers
	version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1 || true)
	if [ -z "$version" ] || [ ! -d "/etc/postgresql/$version/main" ]; then
		# shellcheck disable=SC2012
		[ -n "$version" ] || version=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1 || true)
		[ -n "$version" ] || die "no PostgreSQL server found under /usr/lib/postgresql"
		say "creating PostgreSQL $version cluster 'main' (port $PG_PORT, listen on localhost)"
		"${AS_ROOT[@]}" pg_createcluster --port "$PG_PORT" -o "listen_addresses=localhost" "$version" main >/dev/null
	fi
	say "starting PostgreSQL $version/main"
	# The socket directory lives on a tmpfs on real machines.
	"${AS_ROOT[@]}" install -d -o postgres -g postgres -m 2775 /var/run/postgresql
	"${AS_ROOT[@]}" pg_ctlcluster --skip-systemctl-redirect "$version" main start ||
		die "pg_ctlcluster $version main start failed; see /var/log/postgresql/postgresql-$version-main.log"
	local _
	for _ in $(seq 1 30); do
		_pg_ready && return 0
		sleep 1
	done
	die "PostgreSQL $version/main started but $PG_HOST:$PG_PORT does not answer (check listen_addresses and port in /etc/postgresql/$version/main/postgresql.conf)"
}

# True when the test role can log in over TCP with its password and may create databases.
_pg_test_role_ok() {
	local out
	out=$(PGPASSWORD="$PG_TEST_PASSWORD" PGCONNECT_TIMEOUT=5 psql -X -At -h "$PG_HOST" -p "$PG_PORT" \
		-U "$PG_TEST_ROLE" -d postgres -c 'select rolcreatedb from pg_roles where rolname = current_user' 2>/dev/null) || return 1
	[ "$out" = t ]
}

ensure_pg_test_role() {
	_pg_test_role_ok && return 0
	say "creating/updating PostgreSQL role $PG_TEST_ROLE (LOGIN CREATEDB)"
	_pg_super_psql -d postgres <<SQL || die "cannot create role $PG_TEST_ROLE: run as root, or as a superuser run: CREATE ROLE $PG_TEST_ROLE LOGIN CREATEDB PASSWORD '$PG_TEST_PASSWORD'"
DO \$\$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_TEST_ROLE') THEN
		CREATE ROLE $PG_TEST_ROLE LOGIN CREATEDB PASSWORD '$PG_TEST_PASSWORD';
	ELSE
		ALTER ROLE $PG_TEST_ROLE LOGIN CREATEDB PASSWORD '$PG_TEST_PASSWORD';
	END IF;
END
\$\$;
SQL
	local err
	err=$(PGPASSWORD="$PG_TEST_PASSWORD" psql -X -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_TEST_ROLE" -d postgres -c 'select 1' 2>&1 >/dev/null) ||
		die "role $PG_TEST_ROLE cannot log in over TCP on $PG_HOST:$PG_PORT: $err (check pg_hba.conf)"
}
