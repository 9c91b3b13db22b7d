#!/usr/bin/env bash
# Start-up benchmark: the packaged service (target/reporting-ops.jar) against a bare Camunda 7.24 starter app,
# both on a cold embedded H2 file database, under the same JVM flags, for several start-up variants:
#   plain        java -jar app.jar
#   cds          Spring Boot 3.3+ CDS: extracted jar + dynamic AppCDS archive from a training run
#   cds-lazy     cds + --spring.main.lazy-initialization=true
#   cds-lazy-c1  cds-lazy + -XX:TieredStopAtLevel=1 (C1 only)
# Any dash-joined combination of the tokens plain|cds|lazy|c1 is accepted as a variant name (e.g. "lazy", "cds-c1").
#
# Measures per run: ready time (wall time from just before exec'ing java to the first health poll answering UP)
# and VmRSS of the java process ~2 s after UP. Reports median [min-max] over RUNS runs per app and variant.
#
# Run from anywhere; paths are resolved relative to the repository root (the parent of scripts/).
set -euo pipefail

readonly SCRIPT_NAME="${0##*/}"
REPO_ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
readonly REPO_ROOT

usage() {
	cat <<EOF
Usage: scripts/$SCRIPT_NAME [options]

Measures launch-to-health-UP time and resident memory (RSS) of the packaged service
(target/reporting-ops.jar, on embedded H2) side by side with a bare Camunda 7.24 starter app
(webapp + rest + actuator + H2) that this script generates, builds and caches under
target/bench-bare-app/. Every run gets a fresh temporary working directory and a cold H2 file DB.

Options:
  --rebuild          rebuild target/reporting-ops.jar (mvn -B -q -DskipTests package) and the bare app
  --runs N           runs per app and variant (default: \$RUNS or 3)
  --variants LIST    comma-separated variants (default: \$VARIANTS or plain,cds,cds-lazy,cds-lazy-c1);
                     a variant is "plain" or a dash-joined set of: cds, lazy, c1
  --app WHICH        both (default), ours or bare
  -h, --help         show this help

Environment:
  RUNS               runs per app and variant (default 3)
  VARIANTS           as --variants
  JAVA               java launcher (default: \$JAVA_HOME/bin/java if set, else java on PATH)
  JAVA_OPTS          extra JVM flags applied to every run of BOTH apps (e.g. "-Xmx512m"); default none
  READY_TIMEOUT      seconds to wait for health UP before a run counts as failed (default 180)
  RSS_DELAY          seconds between UP and reading VmRSS (default 2)
  KEEP_TMP=1         keep the temporary directory (logs of every run) instead of deleting it

Reference (issue tracker): a bare app measured ready ~7.5 s, RSS ~490 MB on a reference machine;
target for the service: within 1.2x of the bare app (plain java -jar).
EOF
}

die() {
	echo "$SCRIPT_NAME: error: $*" >&2
	exit 1
}
log() { echo "$*" >&2; }

# ---------------------------------------------------------------------------------------------------------------
# Options
# ---------------------------------------------------------------------------------------------------------------
REBUILD=0
RUNS="${RUNS:-3}"
VARIANTS="${VARIANTS:-plain,cds,cds-lazy,cds-lazy-c1}"
WHICH_APPS="both"
READY_TIMEOUT="${READY_TIMEOUT:-180}"
RSS_DELAY="${RSS_DELAY:-2}"
KEEP_TMP="${KEEP_TMP:-0}"

while (($# > 0)); do
	case "$1" in
	--rebuild) REBUILD=1 ;;
	--runs)
		(($# >= 2)) || die "--runs needs a value"
		RUNS="$2"
		shift
		;;
	--runs=*) RUNS="${1#--runs=}" ;;
	--variants)
		(($# >= 2)) || die "--variants needs a value"
		VARIANTS="$2"
		shift
		;;
	--variants=*) VARIANTS="${1#--variants=}" ;;
	--app)
		(($# >= 2)) || die "--app needs a value"
		WHICH_APPS="$2"
		shift
		;;
	--app=*) WHICH_APPS="${1#--app=}" ;;
	-h | --help)
		usage
		exit 0
		;;
	*) die "unknown argument: $1 (see --help)" ;;
	esac
	shift
done

[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer, got '$RUNS'"
[[ "$READY_TIMEOUT" =~ ^[1-9][0-9]*$ ]] || die "READY_TIMEOUT must be a positive integer (seconds)"
[[ "$RSS_DELAY" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "RSS_DELAY must be a number of seconds"
case "$WHICH_APPS" in
both) APPS=(bare ours) ;;
ours) APPS=(ours) ;;
bare) APPS=(bare) ;;
*) die "--app must be both, ours or bare" ;;
esac

IFS=',' read -r -a VARIANT_LIST <<<"$VARIANTS"
((${#VARIANT_LIST[@]} > 0)) || die "no variants given"
for v in "${VARIANT_LIST[@]}"; do
	[[ "$v" == plain ]] && continue
	IFS='-' read -r -a toks <<<"$v"
	for t in "${toks[@]}"; do
		case "$t" in
		cds | lazy | c1) ;;
		*) die "unknown variant '$v' (tokens: cds, lazy, c1; or 'plain')" ;;
		esac
	done
done

if [[ -n "${JAVA:-}" ]]; then
	:
elif [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
	JAVA="$JAVA_HOME/bin/java"
else
	JAVA="java"
fi
command -v "$JAVA" >/dev/null || die "java not found ($JAVA)"
command -v curl >/dev/null || die "curl is required"
command -v mvn >/dev/null || die "mvn is required"
# Word-split JAVA_OPTS on purpose: it is a list of flags (no quoting support, flags must not contain spaces).
read -r -a EXTRA_JVM_OPTS <<<"${JAVA_OPTS:-}"

OURS_JAR="$REPO_ROOT/target/reporting-ops.jar"
BARE_CACHE="$REPO_ROOT/target/bench-bare-app"
BARE_JAR="$BARE_CACHE/bench-bare-app.jar"

# ---------------------------------------------------------------------------------------------------------------
# Clean-up: one temp root for everything; the one java process we may have running at a time is tracked in
# CHILD_PID so that Ctrl-C or a failure never leaves a server (or its H2 lock) behind.
# ---------------------------------------------------------------------------------------------------------------
TMP_ROOT="$(mktemp -d "${TMPDIR:-/tmp}/bench-startup.XXXXXX")"
CHILD_PID=""

stop_pid() {
	# SIGTERM first so Spring/Camunda shut down cleanly (H2 closes its file); SIGKILL after 15 s.
	local pid="$1" i
	kill -0 "$pid" 2>/dev/null || {
		wait "$pid" 2>/dev/null || true
		return 0
	}
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < 150; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		log "  process $pid did not stop within 15 s after SIGTERM; sending SIGKILL"
		kill -KILL "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || true
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM HUP
	if [[ -n "$CHILD_PID" ]]; then
		stop_pid "$CHILD_PID"
		CHILD_PID=""
	fi
	if [[ "$KEEP_TMP" == 1 ]]; then
		log "kept temporary directory: $TMP_ROOT"
	else
		rm -rf -- "$TMP_ROOT"
	fi
	exit "$rc"
}
trap cleanup EXIT
# Turn signals into a normal exit so the EXIT trap does the work exactly once.
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# ---------------------------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------------------------

# Microseconds since the epoch, without forking: bash 5's EPOCHREALTIME (its decimal point follows the locale).
# Used directly rather than through $(...) so that a Ctrl-C cannot leave an empty value in an arithmetic test.
[[ -n "${EPOCHREALTIME:-}" ]] || die "bash 5 or later is required (EPOCHREALTIME)"
now_us() { printf -v "$1" '%s' "${EPOCHREALTIME/[.,]/}"; }

# A free TCP port on 127.0.0.1. Picked below the kernel's ephemeral range (ip_local_port_range), because a port in
# that range can be taken at any moment by some outgoing connection's local end, which makes Tomcat's bind fail
# ("Port N was already in use") although nothing listens there. Rejected if something listens on it (ss, when
# present, sees listeners on every address) or accepts a connection on 127.0.0.1. A bind that still loses a race
# is retried by the caller with another port.
PORT_LO=20000
PORT_HI=32767
if [[ -r /proc/sys/net/ipv4/ip_local_port_range ]]; then
	read -r eph_lo _ </proc/sys/net/ipv4/ip_local_port_range
	if [[ "$eph_lo" =~ ^[0-9]+$ ]] && ((eph_lo > 11000)); then
		PORT_HI=$((eph_lo - 1))
		PORT_LO=$((eph_lo > 21000 ? 20000 : 10000))
	fi
fi
free_port() {
	local p tries
	for ((tries = 0; tries < 200; tries++)); do
		p=$((PORT_LO + (RANDOM * 32768 + RANDOM) % (PORT_HI - PORT_LO + 1)))
		if command -v ss >/dev/null && [[ -n "$(ss -Hltn "sport = :$p" 2>/dev/null)" ]]; then
			continue
		fi
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	die "could not find a free loopback port"
}

# Top-level "status" of a Spring health JSON document (the first "status" key is the top-level one).
health_status() {
	local body="$1"
	if [[ "$body" =~ \"status\"[[:space:]]*:[[:space:]]*\"([A-Z_]+)\" ]]; then
		echo "${BASH_REMATCH[1]}"
	fi
}

# median / min / max of integers given as arguments; prints "median min max" (median of an even count is the
# mean of the middle two, rounded down).
stats() {
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "- - -"; exit }
		if (NR % 2) m = v[(NR + 1) / 2]; else m = int((v[NR / 2] + v[NR / 2 + 1]) / 2)
		print m, v[1], v[NR] }'
}

# Last lines of a failed run's log, without the JVM's CDS dump warnings (dozens of them would hide the real error).
show_log_tail() {
	echo "---- last lines of $1 (CDS warnings omitted) ----" >&2
	grep -v -F '][warning][cds' "$1" | tail -n 40 >&2 || true
	echo "----" >&2
}

ms_to_s() { awk -v ms="$1" 'BEGIN { printf "%.2f", ms / 1000 }'; }
kb_to_mb() { awk -v kb="$1" 'BEGIN { printf "%.0f", kb / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else printf "-" }'; }

# ---------------------------------------------------------------------------------------------------------------
# The bare Camunda 7.24 starter app: generated into a temp dir, built with Maven Central only, cached as a jar
# under target/bench-bare-app/ together with a fingerprint of its sources so a changed template rebuilds.
# ---------------------------------------------------------------------------------------------------------------
write_bare_sources() {
	local dir="$1"
	mkdir -p "$dir/src/main/java/bench/bare" "$dir/src/main/resources"
	cat >"$dir/pom.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
	xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
	<modelVersion>4.0.0</modelVersion>
	<parent>
		<groupId>org.springframework.boot</groupId>
		<artifactId>spring-boot-starter-parent</artifactId>
		<version>3.5.7</version>
		<relativePath/>
	</parent>
	<groupId>bench</groupId>
	<artifactId>bench-bare-app</artifactId>
	<version>1</version>
	<properties>
		<java.version>17</java.version>
	</properties>
	<dependencyManagement>
		<dependencies>
			<dependency>
				<groupId>org.camunda.bpm</groupId>
				<artifactId>camunda-bom</artifactId>
				<version>7.24.0</version>
				<type>pom</type>
				<scope>import</scope>
			</dependency>
		</dependencies>
	</dependencyManagement>
	<dependencies>
		<dependency>
			<groupId>org.camunda.bpm.springboot</groupId>
			<artifactId>camunda-bpm-spring-boot-starter-webapp</artifactId>
		</dependency>
		<dependency>
			<groupId>org.camunda.bpm.springboot</groupId>
			<artifactId>camunda-bpm-spring-boot-starter-rest</artifactId>
		</dependency>
		<dependency>
			<groupId>org.springframework.boot</groupId>
			<artifactId>spring-boot-starter-actuator</artifactId>
		</dependency>
		<!-- Not optional: the Camunda 7.24 starters bring spring-jdbc but no connection pool, so with an explicit
		     spring.datasource.url Spring Boot creates no DataSource and the engine fails for want of a
		     PlatformTransactionManager. This is also what the Camunda getting-started app and the service have. -->
		<dependency>
			<groupId>org.springframework.boot</groupId>
			<artifactId>spring-boot-starter-jdbc</artifactId>
		</dependency>
		<dependency>
			<groupId>com.h2database</groupId>
			<artifactId>h2</artifactId>
		</dependency>
	</dependencies>
	<build>
		<finalName>${project.artifactId}</finalName>
		<plugins>
			<plugin>
				<groupId>org.springframework.boot</groupId>
				<artifactId>spring-boot-maven-plugin</artifactId>
			</plugin>
		</plugins>
	</build>
</project>
EOF
	cat >"$dir/src/main/java/bench/bare/BareApplication.java" <<'EOF'
package bench.bare;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class BareApplication {

	public static void main(String[] args) {
		SpringApplication.run(BareApplication.class, args);
	}

}
EOF
	# Health is exposed over HTTP by default; say so explicitly so the benchmark does not depend on defaults.
	cat >"$dir/src/main/resources/application.properties" <<'EOF'
spring.application.name=bench-bare-app
management.endpoints.web.exposure.include=health
EOF
}

ensure_bare_app() {
	local gen="$TMP_ROOT/bare-src" fp
	write_bare_sources "$gen"
	fp="$(cd "$gen" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"
	if [[ "$REBUILD" == 0 && -f "$BARE_JAR" && -f "$BARE_CACHE/fingerprint" && "$(cat "$BARE_CACHE/fingerprint")" == "$fp" ]]; then
		log "bare app: using cached $BARE_JAR"
		return 0
	fi
	log "bare app: building in $gen (Maven Central) ..."
	if ! mvn -B -q -DskipTests -f "$gen/pom.xml" package >"$TMP_ROOT/bare-build.log" 2>&1; then
		tail -n 60 "$TMP_ROOT/bare-build.log" >&2
		die "bare app build failed"
	fi
	mkdir -p "$BARE_CACHE"
	rm -rf -- "$BARE_CACHE/src"
	# Keep the generated sources next to the jar so a reader can see exactly what was measured.
	cp -R "$gen/pom.xml" "$gen/src" "$BARE_CACHE/"
	cp "$gen/target/bench-bare-app.jar" "$BARE_JAR"
	echo "$fp" >"$BARE_CACHE/fingerprint"
	log "bare app: built $BARE_JAR"
}

ensure_ours() {
	if [[ "$REBUILD" == 1 || ! -f "$OURS_JAR" ]]; then
		log "service: building $OURS_JAR (mvn -B -q -DskipTests package) ..."
		if ! (cd "$REPO_ROOT" && mvn -B -q -DskipTests package) >"$TMP_ROOT/ours-build.log" 2>&1; then
			tail -n 60 "$TMP_ROOT/ours-build.log" >&2
			die "service build failed (use --app bare to measure only the bare app)"
		fi
	fi
	[[ -f "$OURS_JAR" ]] || die "$OURS_JAR not found after build"
	log "service: using $OURS_JAR"
}

# The jars are measured from a private copy: a concurrent `mvn package` (or `mvn clean`) in the work tree must not
# swap or delete the jar between runs of one benchmark.
snapshot_jar() {
	local app="$1" src="$2"
	mkdir -p "$TMP_ROOT/jars/$app"
	cp "$src" "$TMP_ROOT/jars/$app/"
	SRC_JAR[$app]="$src"
}
declare -A SRC_JAR=()

app_jar() {
	case "$1" in
	bare) echo "$TMP_ROOT/jars/bare/${BARE_JAR##*/}" ;;
	ours) echo "$TMP_ROOT/jars/ours/${OURS_JAR##*/}" ;;
	esac
}

# Arguments that give app $1 a cold H2 file DB (and for ours, its data dir) under run directory $2.
# Same DB URL shape for both, so the only difference is the application itself.
app_args() {
	local app="$1" run_dir="$2"
	APP_ARGS=(--spring.datasource.url="jdbc:h2:file:$run_dir/data/engine")
	if [[ "$app" == ours ]]; then
		APP_ARGS+=(--ops.data-dir="$run_dir/data")
	fi
}

# ---------------------------------------------------------------------------------------------------------------
# CDS (Spring Boot 3.3+ recipe): extract the jar, then one training run that exits right after the context is
# refreshed and dumps a dynamic archive of every class loaded so far. The archive is only valid for the exact
# same class path, so later runs must launch the extracted jar at the same path.
# ---------------------------------------------------------------------------------------------------------------
declare -A CDS_JAR=() CDS_JSA=()

prepare_cds() {
	local app="$1" jar dir train_dir rc warns
	jar="$(app_jar "$app")"
	dir="$TMP_ROOT/cds-$app"
	log "cds[$app]: extracting $jar ..."
	if ! "$JAVA" -Djarmode=tools -jar "$jar" extract --destination "$dir" >"$TMP_ROOT/cds-$app-extract.log" 2>&1; then
		cat "$TMP_ROOT/cds-$app-extract.log" >&2
		die "cds[$app]: jar extraction failed"
	fi
	# The extracted launcher jar keeps the original file name (e.g. reporting-ops.jar), not "app.jar".
	CDS_JAR[$app]="$dir/${jar##*/}"
	CDS_JSA[$app]="$dir/app.jsa"
	[[ -f "${CDS_JAR[$app]}" ]] || die "cds[$app]: ${CDS_JAR[$app]} missing after extraction"

	train_dir="$TMP_ROOT/cds-$app-train"
	mkdir -p "$train_dir/data"
	app_args "$app" "$train_dir"
	log "cds[$app]: training run (-XX:ArchiveClassesAtExit, -Dspring.context.exit=onRefresh) ..."
	local t0 t1
	now_us t0
	set +e
	# Runs in its own fresh working directory with a cold DB, like the measured runs; the port is a free one
	# although onRefresh exits before the web server starts accepting.
	(cd "$train_dir" && exec "$JAVA" "${EXTRA_JVM_OPTS[@]}" -XX:ArchiveClassesAtExit="${CDS_JSA[$app]}" \
		-Dspring.context.exit=onRefresh -jar "${CDS_JAR[$app]}" \
		--server.port="$(free_port)" --server.address=127.0.0.1 "${APP_ARGS[@]}") \
		>"$train_dir/train.log" 2>&1 </dev/null
	rc=$?
	set -e
	now_us t1
	if [[ $rc -ne 0 || ! -s "${CDS_JSA[$app]}" ]]; then
		show_log_tail "$train_dir/train.log"
		die "cds[$app]: training run failed (exit $rc) or produced no archive"
	fi
	warns="$(grep -c -E '\[warning\]\[cds' "$train_dir/train.log" || true)"
	log "cds[$app]: archive $(du -h "${CDS_JSA[$app]}" | cut -f1) in $(ms_to_s $(((t1 - t0) / 1000))) s; $warns CDS warning line(s) during dump"
	CDS_WARNINGS[$app]="$warns"
}
declare -A CDS_WARNINGS=()

# ---------------------------------------------------------------------------------------------------------------
# One measured run. Sets RUN_READY_MS, RUN_RSS_KB, RUN_REST_CODE, RUN_BOOT_S (Spring's own "Started ... in").
# ---------------------------------------------------------------------------------------------------------------
measure_once() {
	local app="$1" variant="$2" label="$3"
	local run_dir port jar status body t0 t1 now deadline pid rss_kb
	local -a jvm=() extra_args=()
	RUN_RETRY=0
	run_dir="$(mktemp -d "$TMP_ROOT/run-$app-$variant.XXXX")"
	mkdir -p "$run_dir/data"
	port="$(free_port)"
	app_args "$app" "$run_dir"

	jar="$(app_jar "$app")"
	if [[ "$variant" != plain ]]; then
		IFS='-' read -r -a toks <<<"$variant"
		for t in "${toks[@]}"; do
			case "$t" in
			cds)
				jvm+=(-XX:SharedArchiveFile="${CDS_JSA[$app]}")
				jar="${CDS_JAR[$app]}"
				;;
			lazy) extra_args+=(--spring.main.lazy-initialization=true) ;;
			c1) jvm+=(-XX:TieredStopAtLevel=1) ;;
			esac
		done
	fi

	local url="http://127.0.0.1:$port/actuator/health"
	now_us t0
	# cd + exec in a subshell: the subshell becomes java (same PID), so $! is the JVM whose RSS we read.
	(cd "$run_dir" && exec "$JAVA" "${EXTRA_JVM_OPTS[@]}" "${jvm[@]}" -jar "$jar" \
		--server.port="$port" --server.address=127.0.0.1 "${APP_ARGS[@]}" "${extra_args[@]}") \
		>"$run_dir/app.log" 2>&1 </dev/null &
	pid=$!
	CHILD_PID="$pid"

	deadline=$((t0 + READY_TIMEOUT * 1000000))
	status=""
	while :; do
		body="$(curl -s --max-time 1 "$url" 2>/dev/null || true)"
		status="$(health_status "$body")"
		if [[ "$status" == UP ]]; then
			now_us t1
			break
		fi
		if ! kill -0 "$pid" 2>/dev/null; then
			wait "$pid" 2>/dev/null || true
			CHILD_PID=""
			if grep -q -E "Port $port was already in use" "$run_dir/app.log"; then
				log "  [$label] port $port was taken meanwhile; retrying with another port"
				[[ "$KEEP_TMP" == 1 ]] || rm -rf -- "$run_dir"
				RUN_RETRY=1
				return 0
			fi
			show_log_tail "$run_dir/app.log"
			die "[$label] java exited before health was UP (log above)"
		fi
		now_us now
		if ((now > deadline)); then
			show_log_tail "$run_dir/app.log"
			die "[$label] health not UP within ${READY_TIMEOUT}s (last status: '${status:-none}')"
		fi
		sleep 0.05
	done
	RUN_READY_MS=$(((t1 - t0) / 1000))

	sleep "$RSS_DELAY"
	# VmRSS is the figure asked for; RssAnon (heap, metaspace, code cache, thread stacks) and RssFile (mapped
	# jars, libjvm, CDS archives) are kept for the per-run line because CDS moves memory between them.
	local status_txt
	status_txt="$(cat "/proc/$pid/status" 2>/dev/null || true)"
	rss_kb="$(awk '/^VmRSS:/ { print $2 }' <<<"$status_txt")"
	[[ -n "$rss_kb" ]] || die "[$label] could not read VmRSS of pid $pid"
	RUN_RSS_KB="$rss_kb"
	RUN_RSS_ANON_KB="$(awk '/^RssAnon:/ { print $2 }' <<<"$status_txt")"
	RUN_RSS_FILE_KB="$(awk '/^RssFile:/ { print $2 }' <<<"$status_txt")"

	# Side note, taken after RSS so it does not influence it: is the engine REST API open without credentials?
	RUN_REST_CODE="$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 \
		"http://127.0.0.1:$port/engine-rest/process-definition" 2>/dev/null || true)"

	stop_pid "$pid"
	CHILD_PID=""

	RUN_BOOT_S="$(sed -n -E 's/.*Started [^ ]+ in ([0-9.]+) seconds.*/\1/p' "$run_dir/app.log" | head -n 1)"
	if grep -q -E 'Unable to use shared archive|shared class paths mismatch|\[warning\]\[cds' "$run_dir/app.log"; then
		log "  [$label] WARNING: the JVM reported a CDS problem; this run may not have used the archive:"
		grep -E 'shared archive|class paths mismatch|\[cds' "$run_dir/app.log" | head -n 5 >&2 || true
	fi
	if [[ "$KEEP_TMP" != 1 ]]; then
		rm -rf -- "$run_dir"
	fi
	return 0
}

# ---------------------------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------------------------
now_us START_US
# Other busy processes skew a 2-core machine badly; say so up front rather than silently report slow numbers.
LOAD_AT_START="$(cut -d' ' -f1-3 /proc/loadavg)"
OTHER_JAVA="$(pgrep -c -x java || true)"
if [[ "${OTHER_JAVA:-0}" != 0 ]]; then
	log "note: $OTHER_JAVA other java process(es) already running (e.g. a service or a Maven build); results may be skewed"
fi
for app in "${APPS[@]}"; do
	case "$app" in
	bare)
		ensure_bare_app
		snapshot_jar bare "$BARE_JAR"
		;;
	ours)
		ensure_ours
		snapshot_jar ours "$OURS_JAR"
		;;
	esac
done

need_cds=0
for v in "${VARIANT_LIST[@]}"; do
	[[ "$v" == *cds* ]] && need_cds=1
done
if ((need_cds)); then
	for app in "${APPS[@]}"; do
		prepare_cds "$app"
	done
fi

declare -A READY=() RSS=() BOOT=() REST=()
for variant in "${VARIANT_LIST[@]}"; do
	for ((i = 1; i <= RUNS; i++)); do
		# Alternate the apps within each round so slow drift of the machine affects both alike.
		for app in "${APPS[@]}"; do
			label="$app $variant $i/$RUNS"
			# Called plainly, not as an `until` condition: bash ignores `set -e` inside a function used as a
			# condition. A lost port race is signalled through RUN_RETRY; every other failure exits via die.
			for ((attempt = 1; ; attempt++)); do
				measure_once "$app" "$variant" "$label"
				[[ "$RUN_RETRY" == 1 ]] || break
				((attempt < 3)) || die "[$label] could not get a free port in 3 attempts"
			done
			key="$app|$variant"
			READY[$key]="${READY[$key]:-} $RUN_READY_MS"
			RSS[$key]="${RSS[$key]:-} $RUN_RSS_KB"
			[[ -n "$RUN_BOOT_S" ]] && BOOT[$key]="${BOOT[$key]:-} $(awk -v s="$RUN_BOOT_S" 'BEGIN { printf "%d", s * 1000 }')"
			REST[$app]="${REST[$app]:-} $RUN_REST_CODE"
			log "  [$label] ready $(ms_to_s "$RUN_READY_MS") s, RSS $(kb_to_mb "$RUN_RSS_KB") MB (anon $(kb_to_mb "${RUN_RSS_ANON_KB:-0}"), file $(kb_to_mb "${RUN_RSS_FILE_KB:-0}")), Boot 'Started in' ${RUN_BOOT_S:-?} s, /engine-rest/process-definition -> $RUN_REST_CODE"
		done
	done
done
now_us END_US

# ---------------------------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------------------------
java_version="$("$JAVA" -version 2>&1 | head -n 2 | tail -n 1)"
echo
echo "== Start-up benchmark: launch -> /actuator/health UP, VmRSS ${RSS_DELAY}s after UP (cold H2 file DB each run) =="
echo "JVM: $java_version; cores: $(nproc); runs per cell: $RUNS; extra JVM flags (both apps): ${JAVA_OPTS:-none}"
echo "load average at start: $LOAD_AT_START; other java processes at start: ${OTHER_JAVA:-0}"
for app in "${APPS[@]}"; do
	echo "$app: ${SRC_JAR[$app]} ($(du -h "$(app_jar "$app")" | cut -f1))"
done
echo
declare -A MED_READY=() MED_RSS=()
fmt_row='%-5s  %-12s  %-22s  %-19s  %-13s  %-17s  %s\n'
# shellcheck disable=SC2059 # the format string is ours
printf "$fmt_row" app variant "ready s med [min-max]" "RSS MB med [min-max]" "Boot Started s" "vs bare ready/RSS" "vs own plain ready/RSS"
# shellcheck disable=SC2059
printf "$fmt_row" ----- ------------ ---------------------- ------------------- ------------- ----------------- ----------------------
for variant in "${VARIANT_LIST[@]}"; do
	for app in "${APPS[@]}"; do
		key="$app|$variant"
		# shellcheck disable=SC2086 # the lists are space-separated integers
		read -r rm rmin rmax <<<"$(stats ${READY[$key]})"
		# shellcheck disable=SC2086
		read -r sm smin smax <<<"$(stats ${RSS[$key]})"
		boot="-"
		if [[ -n "${BOOT[$key]:-}" ]]; then
			# shellcheck disable=SC2086
			read -r bm _ _ <<<"$(stats ${BOOT[$key]})"
			boot="$(ms_to_s "$bm")"
		fi
		MED_READY[$key]="$rm"
		MED_RSS[$key]="$sm"
		vs_bare="-"
		if [[ "$app" == ours && -n "${MED_READY[bare|$variant]:-}" ]]; then
			vs_bare="$(ratio "$rm" "${MED_READY[bare|$variant]}") / $(ratio "$sm" "${MED_RSS[bare|$variant]}")"
		fi
		vs_plain="-"
		if [[ "$variant" != plain && -n "${MED_READY[$app|plain]:-}" ]]; then
			vs_plain="$(ratio "$rm" "${MED_READY[$app|plain]}") / $(ratio "$sm" "${MED_RSS[$app|plain]}")"
		fi
		# shellcheck disable=SC2059
		printf "$fmt_row" "$app" "$variant" \
			"$(ms_to_s "$rm") [$(ms_to_s "$rmin")-$(ms_to_s "$rmax")]" \
			"$(kb_to_mb "$sm") [$(kb_to_mb "$smin")-$(kb_to_mb "$smax")]" \
			"$boot" "$vs_bare" "$vs_plain"
	done
done
echo
echo "variants: plain = java -jar; cds = extracted jar + -XX:SharedArchiveFile (dynamic archive from a"
echo "  -Dspring.context.exit=onRefresh training run); lazy = --spring.main.lazy-initialization=true;"
echo "  c1 = -XX:TieredStopAtLevel=1. 'Boot Started s' is Spring Boot's own 'Started ... in' (JVM start excluded)."
if ((need_cds)); then
	for app in "${APPS[@]}"; do
		echo "  cds[$app]: ${CDS_WARNINGS[$app]:-0} '[warning][cds' line(s) while dumping the archive (classes the JVM could not archive)"
	done
fi

# Without -Xmx the JVM's max heap is 1/4 of RAM, and G1 sizes the heap by GC-time ratio: a shorter start-up (CDS,
# lazy) makes GC look relatively costlier, so G1 commits and touches more heap. That shows up as a higher RSS that
# is heap ergonomics, not the archive itself.
if [[ " ${EXTRA_JVM_OPTS[*]} " != *" -Xmx"* ]]; then
	max_heap_mb="$("$JAVA" -XX:+PrintFlagsFinal -version 2>/dev/null | awk '$2 == "MaxHeapSize" { printf "%.0f", $4 / 1048576 }')"
	echo "  RSS caveat: no -Xmx given, so max heap = ${max_heap_mb:-?} MB (1/4 of RAM); G1 grows the heap more when start-up"
	echo "  is shorter, so cds/lazy rows can show a higher RSS that is heap sizing, not CDS. For a like-for-like"
	echo "  memory comparison rerun with e.g. JAVA_OPTS=-Xmx512m (applied to both apps)."
fi

# Target from the issue tracker: ours within 1.2x of the bare app, plain java -jar.
if [[ -n "${MED_READY[ours|plain]:-}" && -n "${MED_READY[bare|plain]:-}" ]]; then
	verdict() { awk -v a="$1" -v b="$2" 'BEGIN { r = a / b; printf "%.2fx (%s)", r, (r <= 1.2 ? "within 1.2x" : "OVER 1.2x") }'; }
	echo
	echo "target (plain java -jar, ours vs bare, <= 1.2x): ready $(verdict "${MED_READY[ours|plain]}" "${MED_READY[bare|plain]}"), RSS $(verdict "${MED_RSS[ours|plain]}" "${MED_RSS[bare|plain]}")"
fi

echo
for app in "${APPS[@]}"; do
	# shellcheck disable=SC2086
	codes="$(printf '%s\n' ${REST[$app]} | sort -u | paste -sd, -)"
	case "$app" in
	bare) note="(bare starter: REST API unauthenticated by default)" ;;
	ours) if [[ "$codes" == 401 ]]; then note="(expected 401: OK)"; else note="(EXPECTED 401 - check REST authentication!)"; fi ;;
	esac
	echo "side note: $app GET /engine-rest/process-definition without credentials -> HTTP $codes $note"
done
echo "total wall time: $(ms_to_s $(((END_US - START_US) / 1000))) s"
