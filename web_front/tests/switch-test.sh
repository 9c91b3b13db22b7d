#!/usr/bin/env bash
# Loopback test of web_front/reporting-switch, as root: its interface, exit codes and failure paths against a
# real nginx web front (own prefix), two stand-in app servers and a real nft table of its own.
#
#   apps    one nginx: build-A on 127.0.0.11:BASE+2, build-B on 127.0.0.12:BASE+2
#   front   nginx on 127.0.0.1:BASE, upstream = stable address 127.0.0.20:BASE+3 (DNAT'ed by the script);
#           it includes the record file and an extra file the test can break (to make `nginx -t` fail)
#   nft     table ip rsw_test_<pid>; failures are injected through an `nft` wrapper named in the settings
#           (NFT=...) that passes everything to the real nft unless a mode file says otherwise
#
# Prints one line per check and a closing "N passed, N failed"; exits 1 when a check failed.
# Stops everything it started and deletes its nft table, even on failure.
#
# Usage: web_front/tests/switch-test.sh [PORT_BASE]     (default 18280; uses PORT_BASE..PORT_BASE+3)
set -euo pipefail

HERE="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
readonly SWITCH="$HERE/../reporting-switch"
readonly BASE=${1:-18280}
readonly FRONT=127.0.0.1:$BASE APP_PORT=$((BASE + 2))
readonly A=127.0.0.11:$APP_PORT B=127.0.0.12:$APP_PORT STABLE=127.0.0.20:$((BASE + 3))
readonly DEAD=127.0.0.13:$APP_PORT # nothing listens there
readonly TABLE="rsw_test_$$"
NFT_BIN=$(command -v nft)
NGINX_BIN=$(command -v nginx)
readonly NFT_BIN NGINX_BIN

((EUID == 0)) || {
	echo "run as root" >&2
	exit 1
}

TMP=$(mktemp -d /tmp/switch-test.XXXXXX)
PIDFILES=()
# alive PID: the process exists and is not a zombie (a daemonised nginx master is reaped by PID 1, later).
alive() {
	local state=''
	[[ -r /proc/$1/stat ]] && read -r _ _ state _ <"/proc/$1/stat" 2>/dev/null && [[ $state != Z ]]
}
cleanup() {
	local rc=$? f pid i
	trap - EXIT INT TERM HUP
	for f in "${PIDFILES[@]}"; do
		[[ -s $f ]] || continue
		pid=$(<"$f")
		kill -TERM "$pid" 2>/dev/null || continue
		for ((i = 0; i < 50; i++)); do
			alive "$pid" || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null || true
	done
	"$NFT_BIN" delete table ip "$TABLE" 2>/dev/null || true
	rm -rf -- "$TMP"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# --- servers -----------------------------------------------------------------------------------------------------
mkdir -p "$TMP"/{apps,front}/{conf,logs}
cat >"$TMP/apps/conf/nginx.conf" <<EOF
worker_processes 1;
pid logs/nginx.pid;
error_log logs/error.log warn;
events { worker_connections 256; }
http {
    access_log off;
    server { listen $A; location / { return 200 "build-A\n"; } }
    server { listen $B; location / { return 200 "build-B\n"; } }
}
EOF
cat >"$TMP/front/conf/nginx.conf" <<EOF
worker_processes 1;
pid logs/nginx.pid;
error_log logs/error.log warn;
events { worker_connections 256; }
http {
    access_log off;
    include $TMP/front/conf/extra.conf;
    upstream reporting_prod {
        include $TMP/front/conf/prod-upstream.conf;
        server $STABLE max_fails=0;
        keepalive 8;
        keepalive_time 500ms;
        keepalive_timeout 500ms;
    }
    server {
        listen $FRONT;
        location / {
            proxy_pass http://reporting_prod;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
    }
}
EOF
: >"$TMP/front/conf/extra.conf"
printf '# placeholder\n' >"$TMP/front/conf/prod-upstream.conf"
for d in apps front; do
	"$NGINX_BIN" -p "$TMP/$d/" -c "$TMP/$d/conf/nginx.conf"
	PIDFILES+=("$TMP/$d/logs/nginx.pid")
done

# The nft wrapper: modes (file $TMP/nft-mode):
#   fail-once     the next `nft -f` gets an invalid line appended (the real nft rejects the whole transaction)
#   fail-always   every `nft -f` does
#   lie-once      the first `list chain *_dnat` after an `nft -f` shows another target
#   stuck         `nft -f` works once; after that every `nft -f` fails and every `list` lies (restore fails)
cat >"$TMP/nft" <<EOF
#!/usr/bin/env bash
set -euo pipefail
real=$NFT_BIN
state=$TMP
EOF
cat >>"$TMP/nft" <<'EOF'
mode=$(cat "$state/nft-mode" 2>/dev/null || echo pass)
lie() { "$real" "$@" | sed 's/dnat to [0-9.:]*/dnat to 127.0.0.99:9/'; }
if [[ ${1:-} == -f ]]; then
	tx=$(cat)
	bad=0
	case $mode in
	fail-once) bad=1; rm -f "$state/nft-mode" ;;
	fail-always) bad=1 ;;
	lie-once) touch "$state/nft-applied" ;;
	stuck) [[ -e $state/nft-applied ]] && bad=1; touch "$state/nft-applied" ;;
	esac
	if ((bad)); then tx+=$'\nthis is not nft syntax'; fi
	printf '%s\n' "$tx" | "$real" "$@"
	exit
fi
if [[ ${1:-} == list && ${5:-} == *_dnat && -e $state/nft-applied ]]; then
	case $mode in
	lie-once) [[ -e $state/nft-lied ]] || { touch "$state/nft-lied"; lie "$@"; exit; } ;;
	stuck) lie "$@"; exit ;;
	esac
fi
exec "$real" "$@"
EOF
chmod 0755 "$TMP/nft"

CONF=$TMP/reporting-switch.conf
write_conf() { # extra lines...
	{
		echo "NFT=$TMP/nft"
		echo "NFT_TABLE=$TABLE"
		echo "NGINX=$NGINX_BIN"
		echo "NGINX_PREFIX=$TMP/front/"
		echo "NGINX_CONF=$TMP/front/conf/nginx.conf"
		echo "LOCK_FILE=$TMP/lock"
		echo "STABLE_prod=$STABLE"
		echo "RECORD_prod=$TMP/front/conf/prod-upstream.conf"
		printf '%s\n' "$@"
	} >"$CONF"
	chmod 0644 "$CONF"
}
write_conf
export REPORTING_SWITCH_CONF=$CONF

# --- helpers -----------------------------------------------------------------------------------------------------
PASSED=0 FAILED=0
ok() {
	PASSED=$((PASSED + 1))
	echo "ok     - $*"
}
not_ok() {
	FAILED=$((FAILED + 1))
	echo "NOT OK - $*"
}
# run ARGS...: runs the switch script; sets RC, OUT, ERR.
run() {
	RC=0
	"$SWITCH" "$@" >"$TMP/out" 2>"$TMP/err" || RC=$?
	OUT=$(<"$TMP/out")
	ERR=$(<"$TMP/err")
}
body() { curl -s -m 2 "http://$FRONT/" || true; }
# state: the live rule, the record file and what the front serves, as one string.
state() {
	printf '%s|%s|%s' "$("$NFT_BIN" list chain ip "$TABLE" prod_dnat 2>&1 | grep -o 'dnat to [0-9.:]*' || true)" \
		"$(sha256sum "$TMP/front/conf/prod-upstream.conf" | cut -c1-16)" "$(body)"
}
expect() { # LABEL RC OUT_PATTERN ERR_PATTERN
	local label=$1 rc=$2 out=$3 err=$4
	# shellcheck disable=SC2053 # OUT and ERR are matched against glob patterns on purpose
	if [[ $RC == "$rc" && $OUT == $out && $ERR == $err ]]; then
		ok "$label (exit $RC${OUT:+, \"$OUT\"})"
	else
		not_ok "$label: expected exit $rc, got $RC; out='$OUT' err='$ERR'"
	fi
}
same_state() { # LABEL BEFORE
	local now
	now=$(state)
	if [[ $now == "$2" ]]; then ok "$1: nothing changed"; else not_ok "$1: state changed: '$2' -> '$now'"; fi
}
wait_body() {
	local i
	for ((i = 0; i < 40; i++)); do
		[[ $(body) == "$1" ]] && return 0
		sleep 0.05
	done
	return 1
}

# --- checks ------------------------------------------------------------------------------------------------------
run prod show
expect "show before any switch" 1 "" "*no target is set for prod*"
run prod set "$A"
expect "first set" 0 "switched prod from none to $A" ""
run prod show
expect "show prints the target" 0 "$A" ""
if [[ $(body) == build-A ]]; then ok "front serves build-A"; else not_ok "front serves '$(body)'"; fi
if grep -qx "# current app server: $A" "$TMP/front/conf/prod-upstream.conf"; then ok "record names $A"; else not_ok "record: $(cat "$TMP/front/conf/prod-upstream.conf")"; fi

before=$(state)
# shellcheck disable=SC2016 # the $(id) and `id` are literal input on purpose
for bad in "127.0.0.11" "127.0.0.11:" ":$APP_PORT" "127.0.0.11:0" "127.0.0.11:65536" "127.0.0.11:080" \
	"256.0.0.1:80" "1.2.3.04:80" "0.1.2.3:80" "224.0.0.1:80" "1.2.3:80" "1.2.3.4.5:80" " $A" "$A " $'\n'"$A" "$A"$'\n' \
	"$A;id" "$A && id" '$(id)' '`id`' "127.0.0.11:$APP_PORT|id" "localhost:80" "[::1]:80" "::1" "-h" "" \
	"$STABLE"; do
	run prod set "$bad"
	expect "bad address $(printf '%q' "$bad")" 2 "" "*"
done
for args in "dev set $B" "PROD set $B" "prod set $B $A" "prod set" "prod frob" "prod show x" "prod" "qa show"; do
	# shellcheck disable=SC2086 # split on purpose
	run $args
	expect "bad input: $args" 2 "" "*"
done
same_state "after all bad input" "$before"

before=$(state)
run prod set "$A"
expect "same address" 0 "unchanged prod $A" ""
same_state "same address" "$before"

run prod set "$DEAD"
expect "nothing listens at the new address" 3 "" "*cannot open a TCP connection to $DEAD*nothing was changed*"
same_state "unreachable target" "$before"

echo fail-once >"$TMP/nft-mode"
run prod set "$B"
expect "forced nft failure" 3 "" "*nft -f failed*restored the previous target $A*"
same_state "forced nft failure" "$before"

echo lie-once >"$TMP/nft-mode"
run prod set "$B"
rm -f "$TMP/nft-mode" "$TMP/nft-applied" "$TMP/nft-lied"
expect "read-back mismatch" 3 "" "*read back shows 127.0.0.99:9, not $B*restored the previous target $A*"
same_state "read-back mismatch" "$before"

echo 'this_is_not_a_directive on;' >"$TMP/front/conf/extra.conf"
run prod set "$B"
: >"$TMP/front/conf/extra.conf"
expect "nginx -t fails" 3 "" "*nginx -t failed*nothing was changed*"
same_state "nginx -t fails" "$before"

run prod set "$B"
expect "switch to B" 0 "switched prod from $A to $B" ""
if wait_body build-B; then ok "front serves build-B"; else not_ok "front serves '$(body)'"; fi
if grep -qx "# current app server: $B" "$TMP/front/conf/prod-upstream.conf" &&
	grep -qx "# previous app server: $A" "$TMP/front/conf/prod-upstream.conf"; then
	ok "record names $B (previous $A)"
else
	not_ok "record: $(cat "$TMP/front/conf/prod-upstream.conf")"
fi

echo stuck >"$TMP/nft-mode"
run prod set "$A"
rm -f "$TMP/nft-mode" "$TMP/nft-applied"
expect "switch fails and restore fails" 4 "" "*FAILED AND RESTORING $B FAILED TOO*"
# Put it right by hand, as a person would.
run prod set "$B"
expect "manual repair after exit 4" 0 "switched prod from $A to $B" ""

# Lock: another holder of the lock for longer than LOCK_TIMEOUT.
write_conf "LOCK_TIMEOUT=1"
before=$(state)
flock "$TMP/lock" sleep 3 &
holder=$!
sleep 0.3
run prod set "$A"
wait "$holder"
expect "lock held by another switch" 1 "" "*holds*nothing changed*"
same_state "lock timeout" "$before"
write_conf

# Concurrency: 12 switches at once, alternating targets; all must succeed and leave one consistent rule.
pids=()
for i in $(seq 1 12); do
	if ((i % 2)); then t=$A; else t=$B; fi
	"$SWITCH" prod set "$t" >"$TMP/conc.$i.out" 2>"$TMP/conc.$i.err" &
	pids+=($!)
done
bad=0
for i in "${!pids[@]}"; do wait "${pids[$i]}" || bad=$((bad + 1)); done
rules=$("$NFT_BIN" list chain ip "$TABLE" prod_dnat | grep -c 'dnat to' || true)
run prod show
live=$OUT
if ((bad == 0)) && ((rules == 1)) && grep -qx "# current app server: $live" "$TMP/front/conf/prod-upstream.conf" &&
	wait_body "$([[ $live == "$A" ]] && echo build-A || echo build-B)"; then
	ok "12 concurrent switches: all exit 0, one rule, record and front agree ($live)"
else
	not_ok "concurrent switches: $bad failed, $rules rules, live $live; $(cat "$TMP"/conc.*.err)"
fi

# Reboot / flushed ruleset: reapply from the record file (which keeps its "previous" line).
prev_line=$(grep '^# previous app server: ' "$TMP/front/conf/prod-upstream.conf")
"$NFT_BIN" delete table ip "$TABLE"
run prod reapply
expect "reapply after the table was deleted" 0 "switched prod from none to $live" ""
if grep -qxF "$prev_line" "$TMP/front/conf/prod-upstream.conf" && wait_body "$([[ $live == "$A" ]] && echo build-A || echo build-B)"; then
	ok "reapply: front serves $live again, record keeps '$prev_line'"
else
	not_ok "reapply: record $(cat "$TMP/front/conf/prod-upstream.conf"), front '$(body)'"
fi
# A stale record (edited by hand) and a set to the live target: unchanged, and the record is refreshed.
printf '# current app server: 127.0.0.99:9\n' >"$TMP/front/conf/prod-upstream.conf"
run prod set "$live"
expect "same address with a stale record" 0 "unchanged prod $live" "*refreshed the record file*"
if grep -qx "# current app server: $live" "$TMP/front/conf/prod-upstream.conf"; then ok "stale record refreshed"; else not_ok "record not refreshed"; fi
run prod reapply
expect "reapply again" 0 "unchanged prod $live" ""

# Settings file checks.
chmod 0664 "$CONF"
run prod show
expect "group-writable settings file" 1 "" "*must not be writable*"
write_conf "FOO=bar"
run prod show
expect "unknown setting" 1 "" "*unknown setting FOO*"
write_conf "STABLE_qa=127.0.0.20:\$(id)"
run prod show
expect "bad value in settings" 1 "" "*STABLE_qa must be IPv4:PORT*"
write_conf

echo "$PASSED passed, $FAILED failed"
((FAILED == 0))
