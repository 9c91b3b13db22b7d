#!/usr/bin/env bash
# Web front switch benchmark: the OLD way (rewrite the upstream include + `nginx -s reload`) against the NEW way
# (web_front/reporting-switch: nginx proxies to a stable address, an nftables DNAT rule maps it to the current app
# server and is replaced in one `nft -f` transaction; nginx is never reloaded), side by side in one run.
#
# Everything runs on loopback, as root (nft needs it), and is stopped at the end (trap), even on failure:
#   apps         one nginx: build-A on 127.0.0.11:APP_PORT, build-B on 127.0.0.12:APP_PORT (fixed bodies)
#   front-old    nginx web front on 127.0.0.1:PORT_BASE+1, upstream from an include file (old way)
#   front-new    nginx web front on 127.0.0.1:PORT_BASE, upstream = stable address 127.0.0.20:PORT_BASE+3,
#                DNAT'ed by reporting-switch (own config file, own nft table rsw_bench_<pid>)
# Both fronts: same worker count, same upstream keep-alive (keepalive 64, keepalive_time 500ms,
# keepalive_timeout 500ms, see web_front/INSTALL.md).
#
# Phases (wrk: 2 threads, 50 keep-alive connections, no retries; each phase DURATION s):
#   old steady, old switching, new steady, new switching
# The old-way phases run first, before the nft table exists, so that the "new steady" column also shows what
# conntrack + NAT cost. A switching phase waits LEAD s, does SWITCHES switches alternating B, A, B, ... one per
# INTERVAL s (scheduled on a fixed grid), then lets wrk run to its end.
#
# The switch-over time is measured from the real load, not from a side probe: wrk's Lua `response` hook
# (scripts/bench/switch/wrk-switch.lua) counts, per millisecond of CLOCK_REALTIME, how many responses came
# from build-A and from build-B; the driver stamps each switch with $EPOCHREALTIME (the same clock) just before
# starting the switch command and after it returns. For each switch: "first new" = first millisecond with a
# response from the new server, "last old" = last millisecond with a response from the old one, both counted
# from the switch start and within that switch's interval. (A curl probe every 20 ms would quantise at 20 ms+,
# add process start-up noise and compete for the 2 cores.)
#
# The figures are for a closing note, not a pass/fail test: the script exits 0 when every phase ran.
set -euo pipefail

readonly SCRIPT_NAME="${0##*/}"
REPO_ROOT="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
readonly REPO_ROOT
readonly SWITCH="$REPO_ROOT/web_front/reporting-switch"
readonly LUA="$REPO_ROOT/scripts/bench/switch/wrk-switch.lua"

usage() {
	cat <<EOF
Usage: scripts/$SCRIPT_NAME [options]    (as root)

Benchmarks switching an nginx web front between two stand-in app servers on loopback under wrk load:
the old way (include rewrite + nginx -s reload) against web_front/reporting-switch (nftables DNAT),
and prints one table. Takes about 2 minutes with the defaults (4 phases of 24 s, 2 warm-ups of 3 s).

Options (environment variables of the same name work too):
  --port-base N    first of 4 TCP ports used on 127.0.0.1/.11/.12/.20 (default \$PORT_BASE or 18080)
  --duration S     seconds per wrk phase (default \$DURATION or 24)
  --switches N     switches per switching phase (default \$SWITCHES or 20)
  --interval S     seconds between switches (default \$INTERVAL or 1)
  --lead S         seconds of load before the first switch (default \$LEAD or 2)
  --workers N      nginx worker processes of each web front (default \$FRONT_WORKERS or 2)
  --keep           keep the temporary directory (configs, logs, raw wrk data); also KEEP_TMP=1
  -h, --help       show this help
EOF
}

die() {
	echo "$SCRIPT_NAME: error: $*" >&2
	exit 1
}
log() { echo "$SCRIPT_NAME: $*" >&2; }

PORT_BASE="${PORT_BASE:-18080}"
DURATION="${DURATION:-24}"
SWITCHES="${SWITCHES:-20}"
INTERVAL="${INTERVAL:-1}"
LEAD="${LEAD:-2}"
FRONT_WORKERS="${FRONT_WORKERS:-2}"
KEEP_TMP="${KEEP_TMP:-0}"
while (($# > 0)); do
	case $1 in
	--port-base) PORT_BASE=${2:?}; shift 2 ;;
	--duration) DURATION=${2:?}; shift 2 ;;
	--switches) SWITCHES=${2:?}; shift 2 ;;
	--interval) INTERVAL=${2:?}; shift 2 ;;
	--lead) LEAD=${2:?}; shift 2 ;;
	--workers) FRONT_WORKERS=${2:?}; shift 2 ;;
	--keep) KEEP_TMP=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; die "unknown option: $1" ;;
	esac
done
if ! [[ $PORT_BASE =~ ^[1-9][0-9]{3,4}$ ]] || ((PORT_BASE > 65532)); then die "--port-base must be 1000-65532"; fi
[[ $DURATION =~ ^[1-9][0-9]{0,2}$ ]] || die "--duration must be 1-999 seconds"
[[ $SWITCHES =~ ^[1-9][0-9]{0,2}$ ]] || die "--switches must be 1-999"
[[ $INTERVAL =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--interval must be a number of seconds"
[[ $LEAD =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--lead must be a number of seconds"
[[ $FRONT_WORKERS =~ ^[1-8]$ ]] || die "--workers must be 1-8"
# The switches must fit in the wrk run (with half an interval to spare).
awk -v d="$DURATION" -v l="$LEAD" -v n="$SWITCHES" -v i="$INTERVAL" 'BEGIN { exit !(l + (n - 0.5) * i < d) }' ||
	die "LEAD + SWITCHES x INTERVAL must be shorter than DURATION"

readonly FRONT_NEW_PORT=$PORT_BASE FRONT_OLD_PORT=$((PORT_BASE + 1)) APP_PORT=$((PORT_BASE + 2)) STABLE_PORT=$((PORT_BASE + 3))
readonly APP_A=127.0.0.11:$APP_PORT APP_B=127.0.0.12:$APP_PORT STABLE=127.0.0.20:$STABLE_PORT
readonly NFT_TABLE="rsw_bench_$$"

# ---------------------------------------------------------------------------------------------------------------
# Preflight
# ---------------------------------------------------------------------------------------------------------------
((EUID == 0)) || die "run as root (nftables needs it)"
for cmd in nginx nft wrk curl ss flock awk; do
	command -v "$cmd" >/dev/null || die "$cmd not found (Debian: apt-get install -y --no-install-recommends nginx nftables wrk curl iproute2)"
done
[[ -x $SWITCH ]] || die "$SWITCH missing or not executable"
[[ -r $LUA ]] || die "$LUA missing"
NGINX_BIN=$(command -v nginx)
NFT_BIN=$(command -v nft)
for port in "$FRONT_NEW_PORT" "$FRONT_OLD_PORT" "$APP_PORT" "$STABLE_PORT"; do
	if ss -Hltn "sport = :$port" | grep -q .; then die "TCP port $port is in use (see --port-base)"; fi
done

# ---------------------------------------------------------------------------------------------------------------
# Clean-up: stop everything this script started, delete its nft table and temporary files
# ---------------------------------------------------------------------------------------------------------------
TMP=$(mktemp -d /tmp/bench-switch.XXXXXX)
NGINX_PIDFILES=()
WRK_PID=''
# alive PID: the process exists and is not a zombie (a daemonised nginx master is reaped by PID 1, later).
alive() {
	local state=''
	[[ -r /proc/$1/stat ]] && read -r _ _ state _ <"/proc/$1/stat" 2>/dev/null && [[ $state != Z ]]
}
cleanup() {
	local rc=$? pidfile pid i
	trap - EXIT INT TERM HUP
	[[ -z $WRK_PID ]] || kill "$WRK_PID" 2>/dev/null || true
	for pidfile in "${NGINX_PIDFILES[@]}"; do
		[[ -s $pidfile ]] || continue
		pid=$(<"$pidfile")
		kill -TERM "$pid" 2>/dev/null || continue
		for ((i = 0; i < 50; i++)); do
			alive "$pid" || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null || true
	done
	if "$NFT_BIN" list table ip "$NFT_TABLE" >/dev/null 2>&1; then
		"$NFT_BIN" delete table ip "$NFT_TABLE" || log "could not delete nft table ip $NFT_TABLE"
	fi
	if [[ $KEEP_TMP == 1 ]]; then
		log "kept $TMP"
	else
		rm -rf -- "$TMP"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# ---------------------------------------------------------------------------------------------------------------
# nginx instances
# ---------------------------------------------------------------------------------------------------------------
write_apps_conf() { # DIR
	cat >"$1/conf/nginx.conf" <<EOF
# Stand-in app servers: a fixed body naming the build.
worker_processes 1;
pid logs/nginx.pid;
error_log logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 100000;
    server { listen $APP_A reuseport; location / { return 200 "build-A\n"; } }
    server { listen $APP_B reuseport; location / { return 200 "build-B\n"; } }
}
EOF
}

write_front_conf() { # DIR LISTEN_PORT UPSTREAM_LINES
	cat >"$1/conf/nginx.conf" <<EOF
# Test web front ($1).
worker_processes $FRONT_WORKERS;
pid logs/nginx.pid;
error_log logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 100000;
    upstream reporting_prod {
$3
        keepalive 64;
        keepalive_time 500ms;
        keepalive_timeout 500ms;
        keepalive_requests 100000;
    }
    server {
        listen 127.0.0.1:$2;
        location / {
            proxy_pass http://reporting_prod;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$host;
        }
    }
}
EOF
}

start_nginx() { # DIR
	"$NGINX_BIN" -p "$1/" -c "$1/conf/nginx.conf" -t -q || die "nginx -t failed for $1"
	"$NGINX_BIN" -p "$1/" -c "$1/conf/nginx.conf" || die "nginx failed to start in $1 (see $1/logs/error.log)"
	NGINX_PIDFILES+=("$1/logs/nginx.pid")
}

wait_body() { # URL EXPECTED
	local i body
	for ((i = 0; i < 50; i++)); do
		body=$(curl -s -m 1 "$1" 2>/dev/null || true)
		[[ $body == "$2" ]] && return 0
		sleep 0.1
	done
	die "$1 did not answer '$2' (got '${body:-nothing}')"
}

for d in apps front-old front-new; do mkdir -p "$TMP/$d/conf" "$TMP/$d/logs"; done
write_apps_conf "$TMP/apps"
printf '        server %s max_fails=0;\n' "$APP_A" >"$TMP/front-old/conf/upstream.conf"
write_front_conf "$TMP/front-old" "$FRONT_OLD_PORT" "        include $TMP/front-old/conf/upstream.conf;"
# front-new: the record file is included (comment-only), as on a real web front.
printf '# placeholder until the first switch\n' >"$TMP/front-new/conf/prod-upstream.conf"
write_front_conf "$TMP/front-new" "$FRONT_NEW_PORT" "        include $TMP/front-new/conf/prod-upstream.conf;
        server $STABLE max_fails=0;"

cat >"$TMP/reporting-switch.conf" <<EOF
# reporting-switch settings for this benchmark (see web_front/reporting-switch.conf)
NFT=$NFT_BIN
NFT_TABLE=$NFT_TABLE
NGINX=$NGINX_BIN
NGINX_PREFIX=$TMP/front-new/
NGINX_CONF=$TMP/front-new/conf/nginx.conf
LOCK_FILE=$TMP/reporting-switch.lock
STABLE_prod=$STABLE
RECORD_prod=$TMP/front-new/conf/prod-upstream.conf
EOF
chmod 0644 "$TMP/reporting-switch.conf"
export REPORTING_SWITCH_CONF="$TMP/reporting-switch.conf"

start_nginx "$TMP/apps"
start_nginx "$TMP/front-old"
start_nginx "$TMP/front-new"
wait_body "http://$APP_A/" build-A
wait_body "http://$APP_B/" build-B
wait_body "http://127.0.0.1:$FRONT_OLD_PORT/" build-A

# ---------------------------------------------------------------------------------------------------------------
# Switches
# ---------------------------------------------------------------------------------------------------------------
addr_of() { if [[ $1 == A ]]; then echo "$APP_A"; else echo "$APP_B"; fi; }

switch_old() { # A|B: the old way: rewrite the include, nginx -t, nginx -s reload
	local dir=$TMP/front-old
	printf '        server %s max_fails=0;\n' "$(addr_of "$1")" >"$dir/conf/upstream.conf.new"
	mv -f "$dir/conf/upstream.conf.new" "$dir/conf/upstream.conf"
	"$NGINX_BIN" -p "$dir/" -c "$dir/conf/nginx.conf" -t -q &&
		"$NGINX_BIN" -p "$dir/" -c "$dir/conf/nginx.conf" -s reload 2>/dev/null
}

switch_new() { # A|B
	"$SWITCH" prod set "$(addr_of "$1")" >/dev/null
}

# warm_up URL: 3 s of the same load, not measured (first connections, caches, CPU frequency).
warm_up() {
	log "warm-up: wrk -t2 -c50 -d3s $1"
	local rc=0
	wrk -t2 -c50 -d3s "$1" >/dev/null 2>&1 &
	WRK_PID=$! # in the background: `wait` lets a signal's trap run at once
	wait "$WRK_PID" || rc=$?
	WRK_PID=''
	((rc == 0)) || die "wrk failed to warm up $1"
	sleep 1
}

# run_phase NAME URL MODE(steady|old|new): wrk for DURATION s; in a switching phase, SWITCHES switches.
run_phase() {
	local name=$1 url=$2 mode=$3 out=$TMP/$1
	log "phase $name: wrk -t2 -c50 -d${DURATION}s $url${mode:+ ($mode)}"
	RSW_WRK_OUT="$out.wrk" wrk -t2 -c50 -d"${DURATION}s" --timeout 2s -s "$LUA" "$url" >"$out.wrk-stdout" 2>&1 &
	WRK_PID=$!
	: >"$out.switches"
	if [[ $mode != steady ]]; then
		local t0 i to from start end rc due now
		t0=$EPOCHREALTIME
		from=A
		for ((i = 0; i < SWITCHES; i++)); do
			due=$(awk -v t="$t0" -v l="$LEAD" -v i="$i" -v s="$INTERVAL" 'BEGIN { printf "%.6f", t + l + i * s }')
			now=$EPOCHREALTIME
			sleep "$(awk -v d="$due" -v n="$now" 'BEGIN { w = d - n; printf "%.3f", (w > 0 ? w : 0) }')"
			if [[ $from == A ]]; then to=B; else to=A; fi
			start=$EPOCHREALTIME
			rc=0
			"switch_$mode" "$to" || rc=$?
			end=$EPOCHREALTIME
			echo "$i $start $end $rc $from $to" >>"$out.switches"
			((rc == 0)) && from=$to
		done
	fi
	local wrk_rc=0
	wait "$WRK_PID" || wrk_rc=$?
	WRK_PID=''
	((wrk_rc == 0)) || die "wrk failed in phase $name: $(cat "$out.wrk-stdout")"
	[[ -s $out.wrk ]] || die "wrk wrote no results in phase $name"
	# Leave the web front on build-A for the next phase.
	if [[ $mode == old ]]; then switch_old A; elif [[ $mode == new ]]; then switch_new A; fi
	sleep 1
}

# The old way first, before the nft table exists.
warm_up "http://127.0.0.1:$FRONT_OLD_PORT/"
run_phase old-steady "http://127.0.0.1:$FRONT_OLD_PORT/" steady
run_phase old-switch "http://127.0.0.1:$FRONT_OLD_PORT/" old
"$SWITCH" prod set "$APP_A" >/dev/null || die "reporting-switch could not set the first target"
wait_body "http://127.0.0.1:$FRONT_NEW_PORT/" build-A
warm_up "http://127.0.0.1:$FRONT_NEW_PORT/"
run_phase new-steady "http://127.0.0.1:$FRONT_NEW_PORT/" steady
run_phase new-switch "http://127.0.0.1:$FRONT_NEW_PORT/" new

# ---------------------------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------------------------
# summary_field PHASE KEY: a value from the wrk summary line.
summary_field() {
	awk -v k="$2" '$1 == "summary" { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) print kv[2] } }' "$TMP/$1.wrk"
}

# switch_stats PHASE: "ok failed cmd_med cmd_max first_med first_max last_med last_max" (ms).
switch_stats() {
	awk '
		FNR == NR { n++; s[n] = $2 * 1000; e[n] = $3 * 1000; rc[n] = $4; from[n] = $5; to[n] = $6; next }
		$1 == "A" || $1 == "B" {
			ms = $2
			for (i = n; i >= 1; i--) if (ms >= int(s[i])) break
			if (i < 1 || rc[i] != 0) next
			d = ms - int(s[i])
			if ($1 == to[i] && (!(i in first) || d < first[i])) first[i] = d
			if ($1 == from[i] && (!(i in last) || d > last[i])) last[i] = d
		}
		function med(a, m,   k, j, t, c, v) {
			c = 0
			for (k = 1; k <= n; k++) if (k in a) v[++c] = a[k]
			for (k = 2; k <= c; k++) { t = v[k]; for (j = k - 1; j >= 1 && v[j] > t; j--) v[j + 1] = v[j]; v[j + 1] = t }
			if (c == 0) return "-"
			return sprintf("%.0f", (m == "max") ? v[c] : ((c % 2) ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2))
		}
		END {
			for (i = 1; i <= n; i++) { if (rc[i] == 0) ok++; else bad++; cmd[i] = e[i] - s[i] }
			printf "%d %d %.0f %.0f %s %s %s %s\n", ok, bad, med(cmd, "med"), med(cmd, "max"),
				med(first, "med"), med(first, "max"), med(last, "med"), med(last, "max")
		}' "$TMP/$1.switches" "$TMP/$1.wrk"
}

row() { printf '%-44s | %12s | %12s | %12s | %12s\n' "$@"; }
ms_of_us() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'; }

declare -A V
for p in old-steady old-switch new-steady new-switch; do
	for k in requests duration_us connect read write timeout non2xx p50_us p99_us; do
		V[$p.$k]=$(summary_field "$p" "$k")
	done
	V[$p.rps]=$(awk -v r="${V[$p.requests]}" -v d="${V[$p.duration_us]}" 'BEGIN { printf "%.0f", r / (d / 1e6) }')
	V[$p.p50]=$(ms_of_us "${V[$p.p50_us]}")
	V[$p.p99]=$(ms_of_us "${V[$p.p99_us]}")
done
read -r o_ok o_bad o_cmd_med o_cmd_max o_first_med o_first_max o_last_med o_last_max < <(switch_stats old-switch)
read -r n_ok n_bad n_cmd_med n_cmd_max n_first_med n_first_max n_last_med n_last_max < <(switch_stats new-switch)

echo
echo "Web front switch benchmark: wrk 2 threads, 50 keep-alive connections, no retries, ${DURATION} s per phase;"
echo "web fronts: nginx $("$NGINX_BIN" -v 2>&1 | sed 's|.*/||'), $FRONT_WORKERS workers, upstream keepalive 64 (keepalive_time 500ms, keepalive_timeout 500ms);"
echo "$SWITCHES switches A->B->A... one per ${INTERVAL} s; $(nproc) CPUs; all on loopback."
echo
row "" "OLD steady" "OLD switching" "NEW steady" "NEW switching"
row "" "(reload)" "(reload)" "(nft DNAT)" "(nft DNAT)"
printf -- '---------------------------------------------+--------------+--------------+--------------+--------------\n'
r() { row "$1" "${V[old-steady.$2]}" "${V[old-switch.$2]}" "${V[new-steady.$2]}" "${V[new-switch.$2]}"; }
r "requests" requests
r "requests/s" rps
r "socket errors: connect" connect
r "socket errors: read" read
r "socket errors: write" write
r "socket errors: timeout" timeout
r "non-2xx responses" non2xx
r "latency p50 (ms)" p50
r "latency p99 (ms)" p99
row "switches ok / failed" "-" "$o_ok / $o_bad" "-" "$n_ok / $n_bad"
row "switch command time, median / max (ms)" "-" "$o_cmd_med / $o_cmd_max" "-" "$n_cmd_med / $n_cmd_max"
row "first reply from NEW server, med / max (ms)" "-" "$o_first_med / $o_first_max" "-" "$n_first_med / $n_first_max"
row "last reply from OLD server, med / max (ms)" "-" "$o_last_med / $o_last_max" "-" "$n_last_med / $n_last_max"
echo
echo "Switch times are counted from the start of each switch command; 'first reply from NEW' and 'last reply from OLD'"
echo "come from wrk's response hook (1 ms resolution). OLD switch = rewrite include + nginx -t + nginx -s reload;"
echo "NEW switch = web_front/reporting-switch prod set (TCP pre-check, record file + nginx -t, nft -f, read-back, TCP check)."
