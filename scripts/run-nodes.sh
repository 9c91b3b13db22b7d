#!/usr/bin/env bash
# Runs N service nodes (separate JVMs) on loopback against one PostgreSQL database: Camunda's homogeneous cluster,
# the way production runs several nodes. For trying it out and for the multi-node benchmarks; see README "Running
# several nodes".
#
#   scripts/run-nodes.sh start [N] [DATABASE]   start N nodes (default 2) on 127.0.0.1:18081.. with database DATABASE
#                                                (default reporting_ops_nodes; created when missing)
#   scripts/run-nodes.sh stop                    stop them (SIGTERM, then SIGKILL after 30 s)
#   scripts/run-nodes.sh status                  which nodes run, and their health
#
# Every node gets the same settings: the database (SPRING_DATASOURCE_*), ops.time-zone, the admin password
# (OPS_SECURITY_ADMINPASSWORD, generated into nodes/admin-password when not set), and whatever else is in the
# environment (OPS_*, CAMUNDA_*). State and logs live in ./nodes/.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
NODES_DIR="$ROOT/nodes"
JAR="$ROOT/target/reporting-ops.jar"
BASE_PORT=${OPS_NODES_BASE_PORT:-18081}
PG_URL_BASE=${OPS_NODES_PG_URL_BASE:-jdbc:postgresql://127.0.0.1:5432}
PG_USER=${OPS_TEST_PG_USER:-ops_test}
PG_PASSWORD=${OPS_TEST_PG_PASSWORD:-ops-test-pw-5b1e}

start() {
	local count=${1:-2} database=${2:-reporting_ops_nodes} i port
	[ -f "$JAR" ] || mvn -B -q -DskipTests package
	mkdir -p "$NODES_DIR"
	if ! PGPASSWORD=$PG_PASSWORD psql -h 127.0.0.1 -U "$PG_USER" -d postgres -tAc \
		"SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
		PGPASSWORD=$PG_PASSWORD psql -h 127.0.0.1 -U "$PG_USER" -d postgres -qc "CREATE DATABASE $database"
	fi
	if [ -z "${OPS_SECURITY_ADMINPASSWORD:-}" ]; then
		[ -f "$NODES_DIR/admin-password" ] || (umask 077 && head -c 18 /dev/urandom | base64 >"$NODES_DIR/admin-password")
		OPS_SECURITY_ADMINPASSWORD=$(<"$NODES_DIR/admin-password")
	fi
	for ((i = 1; i <= count; i++)); do
		port=$((BASE_PORT + i - 1))
		mkdir -p "$NODES_DIR/node$i"
		(
			cd "$NODES_DIR/node$i"
			SPRING_DATASOURCE_URL="$PG_URL_BASE/$database" SPRING_DATASOURCE_USERNAME="$PG_USER" \
				SPRING_DATASOURCE_PASSWORD="$PG_PASSWORD" OPS_SECURITY_ADMINPASSWORD="$OPS_SECURITY_ADMINPASSWORD" \
				SERVER_PORT=$port SERVER_ADDRESS=127.0.0.1 OPS_DATADIR="$NODES_DIR/node$i/data" OPS_NODENAME="node$i" \
				nohup java ${OPS_NODES_JAVA_OPTS:-} -jar "$JAR" >>"$NODES_DIR/node$i/node.log" 2>&1 &
			echo $! >"$NODES_DIR/node$i/pid"
		)
		echo "node$i: starting on http://127.0.0.1:$port (log nodes/node$i/node.log)"
	done
	for ((i = 1; i <= count; i++)); do
		port=$((BASE_PORT + i - 1))
		for _ in $(seq 1 120); do
			curl -sf "http://127.0.0.1:$port/actuator/health" >/dev/null && break
			kill -0 "$(<"$NODES_DIR/node$i/pid")" 2>/dev/null || { echo "node$i exited; see nodes/node$i/node.log" >&2; exit 1; }
			sleep 1
		done
		echo "node$i: up"
	done
}

stop() {
	local pidfile pid
	for pidfile in "$NODES_DIR"/node*/pid; do
		[ -f "$pidfile" ] || continue
		pid=$(<"$pidfile")
		if kill -0 "$pid" 2>/dev/null; then
			kill "$pid"
			for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
			kill -9 "$pid" 2>/dev/null || true
		fi
		rm -f "$pidfile"
		echo "$(basename "$(dirname "$pidfile")"): stopped"
	done
}

status() {
	local dir i=0
	for dir in "$NODES_DIR"/node*; do
		[ -f "$dir/pid" ] || continue
		i=$((${dir##*node}))
		printf '%s: pid %s, health %s\n' "$(basename "$dir")" "$(<"$dir/pid")" \
			"$(curl -sf "http://127.0.0.1:$((BASE_PORT + i - 1))/actuator/health" || echo down)"
	done
}

case "${1:-}" in
start) shift; start "$@" ;;
stop) stop ;;
status) status ;;
*) echo "usage: $0 start [N] [DATABASE] | stop | status" >&2; exit 2 ;;
esac
