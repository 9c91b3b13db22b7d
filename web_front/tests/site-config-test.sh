#!/usr/bin/env bash
# Loopback test of the shipped nginx site configs (web_front/nginx/) together with web_front/reporting-switch,
# as root. The configs are copied into a private nginx prefix with only these changes (sed): listen on
# 127.0.0.1:BASE / BASE+1 instead of :80 / :443 (IPv6 listens dropped), stable addresses 169.254.80.1:8080 and
# 169.254.80.2:8080 -> 127.0.0.20:BASE+3 and 127.0.0.21:BASE+3, file paths into the prefix, self-signed ECDSA
# certificates for the placeholder names, and `allow 127.0.0.2;` added to QA's allow list.
#
# Checks: nginx -t; HTTP -> HTTPS redirect; TLS 1.2 and 1.3 accepted, TLS 1.0/1.1 and a non-AEAD suite refused;
# HTTP/2; HSTS on prod only; QA's allow/deny; proxying through the stable address to the app server named by
# reporting-switch, and a switch seen through the real site config; `nginx -T` shows the current app server.
# Prints one line per check and "N passed, N failed"; exits 1 when a check failed. Stops what it started.
#
# Usage: web_front/tests/site-config-test.sh [PORT_BASE]     (default 18380; uses PORT_BASE..PORT_BASE+3)
set -euo pipefail

HERE="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
readonly WF="$HERE/.."
readonly BASE=${1:-18380}
readonly HTTP_PORT=$BASE HTTPS_PORT=$((BASE + 1)) APP_PORT=$((BASE + 2)) STABLE_PORT=$((BASE + 3))
readonly A=127.0.0.11:$APP_PORT B=127.0.0.12:$APP_PORT
readonly PROD=reporting.example.edu.au QA=reporting-qa.example.edu.au
readonly TABLE="rsw_sitetest_$$"
NFT_BIN=$(command -v nft)
NGINX_BIN=$(command -v nginx)
readonly NFT_BIN NGINX_BIN

((EUID == 0)) || {
	echo "run as root" >&2
	exit 1
}
for c in openssl curl; do command -v "$c" >/dev/null || {
	echo "$c is needed" >&2
	exit 1
}; done

TMP=$(mktemp -d /tmp/site-config-test.XXXXXX)
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

PASSED=0 FAILED=0
check() { # LABEL COMMAND...
	local label=$1
	shift
	if "$@" >"$TMP/check.out" 2>&1; then
		PASSED=$((PASSED + 1))
		echo "ok     - $label"
	else
		FAILED=$((FAILED + 1))
		echo "NOT OK - $label: $(head -c 600 "$TMP/check.out")"
	fi
}

# --- stand-in app servers ------------------------------------------------------------------------------------------
mkdir -p "$TMP"/{apps,front}/{conf,logs} "$TMP/front/conf/snippets" "$TMP/front/conf/sites" "$TMP/reporting" "$TMP/ssl"
cat >"$TMP/apps/conf/nginx.conf" <<EOF
worker_processes 1;
pid logs/nginx.pid;
error_log logs/error.log warn;
events { worker_connections 256; }
http {
    access_log off;
    server { listen $A; location / { return 200 "build-A \$http_x_forwarded_proto \$http_host\n"; } }
    server { listen $B; location / { return 200 "build-B \$http_x_forwarded_proto \$http_host\n"; } }
}
EOF
"$NGINX_BIN" -p "$TMP/apps/" -c "$TMP/apps/conf/nginx.conf"
PIDFILES+=("$TMP/apps/logs/nginx.pid")

# --- the web front: the shipped configs in a private prefix ------------------------------------------------------
F=$TMP/front
for name in "$PROD" "$QA"; do
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=$name" \
		-addext "subjectAltName=DNS:$name" -keyout "$TMP/ssl/$name.key" -out "$TMP/ssl/$name.fullchain.pem" 2>/dev/null
done
cp "$WF"/nginx/snippets/*.conf "$F/conf/snippets/"
for site in prod qa; do
	sed -e "s|^\( *\)listen 80;|\1listen 127.0.0.1:$HTTP_PORT;|" \
		-e "s|^\( *\)listen 443 ssl http2;|\1listen 127.0.0.1:$HTTPS_PORT ssl http2;|" \
		-e '/listen \[::\]/d' \
		-e "s|169\.254\.80\.1:8080|127.0.0.20:$STABLE_PORT|" \
		-e "s|169\.254\.80\.2:8080|127.0.0.21:$STABLE_PORT|" \
		-e "s|/etc/nginx/reporting/|$TMP/reporting/|" \
		-e "s|/etc/ssl/reporting/|$TMP/ssl/|" \
		-e "s|/var/log/nginx/|$F/logs/|" \
		-e "s|^\( *\)deny all;|\1allow 127.0.0.2;\n\1deny all;|" \
		"$WF/nginx/sites-available/reporting-$site.conf" >"$F/conf/sites-pending-$site.conf"
done
cat >"$F/conf/nginx.conf" <<EOF
worker_processes 1;
pid logs/nginx.pid;
error_log logs/error.log warn;
events { worker_connections 256; }
http {
    access_log off;
    include $F/conf/sites/*.conf;
}
EOF
cat >"$TMP/reporting-switch.conf" <<EOF
NFT_TABLE=$TABLE
NGINX=$NGINX_BIN
NGINX_PREFIX=$F/
NGINX_CONF=$F/conf/nginx.conf
LOCK_FILE=$TMP/lock
STABLE_prod=127.0.0.20:$STABLE_PORT
STABLE_qa=127.0.0.21:$STABLE_PORT
RECORD_prod=$TMP/reporting/prod-upstream.conf
RECORD_qa=$TMP/reporting/qa-upstream.conf
EOF
chmod 0644 "$TMP/reporting-switch.conf"
export REPORTING_SWITCH_CONF=$TMP/reporting-switch.conf

# As in INSTALL.md: set the first targets (this writes the record files), then enable the sites.
check "reporting-switch prod set (first target)" "$WF/reporting-switch" prod set "$A"
check "reporting-switch qa set (first target)" "$WF/reporting-switch" qa set "$B"
mv "$F/conf/sites-pending-prod.conf" "$F/conf/sites/reporting-prod.conf"
mv "$F/conf/sites-pending-qa.conf" "$F/conf/sites/reporting-qa.conf"
check "nginx -t with both sites" "$NGINX_BIN" -p "$F/" -c "$F/conf/nginx.conf" -t -q
"$NGINX_BIN" -p "$F/" -c "$F/conf/nginx.conf"
PIDFILES+=("$F/logs/nginx.pid")

c() { # NAME CURL-ARGS... : curl with the name resolved to loopback and our CA
	local name=$1
	shift
	curl -sS -m 5 --resolve "$name:$HTTP_PORT:127.0.0.1" --resolve "$name:$HTTPS_PORT:127.0.0.1" \
		--cacert "$TMP/ssl/$name.fullchain.pem" "$@"
}
expect_in() { # PATTERN COMMAND...: the command's output matches the glob
	local pattern=$1 out
	shift
	out=$("$@" 2>&1) || true
	printf '%s\n' "$out"
	# shellcheck disable=SC2053 # glob on purpose
	[[ $out == $pattern ]]
}
handshake() { # NAME OPENSSL-ARGS...: succeeds when the TLS handshake succeeds
	local name=$1
	shift
	openssl s_client -connect "127.0.0.1:$HTTPS_PORT" -servername "$name" "$@" </dev/null 2>&1 |
		grep -E '^(New|Protocol|    Protocol|    Cipher)' | grep -v 'NONE' | grep -q 'Cipher'
}
not() { ! "$@"; }

check "prod: http redirects to https" expect_in "*301*Location: https://$PROD/x?y=1*" c "$PROD" -si "http://$PROD:$HTTP_PORT/x?y=1"
check "prod: https reaches build-A through the stable address" \
	expect_in "*HTTP/2 200*strict-transport-security: max-age=63072000*build-A https $PROD*" c "$PROD" -si "https://$PROD:$HTTPS_PORT/"
check "prod: server_tokens off" not expect_in "*server: nginx/*" c "$PROD" -si "https://$PROD:$HTTPS_PORT/"
check "prod: TLS 1.3 accepted" c "$PROD" -s -o /dev/null --tlsv1.3 "https://$PROD:$HTTPS_PORT/"
check "prod: TLS 1.2 accepted" c "$PROD" -s -o /dev/null --tlsv1.2 --tls-max 1.2 "https://$PROD:$HTTPS_PORT/"
check "prod: TLS 1.1 refused" not handshake "$PROD" -tls1_1 -cipher 'DEFAULT@SECLEVEL=0'
check "prod: TLS 1.0 refused" not handshake "$PROD" -tls1 -cipher 'DEFAULT@SECLEVEL=0'
check "prod: TLS 1.2 ECDHE-ECDSA-AES128-GCM-SHA256 accepted" handshake "$PROD" -tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256
check "prod: TLS 1.2 CBC suite refused" not handshake "$PROD" -tls1_2 -cipher 'ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0'
check "qa: denied from a network not in the allow list" expect_in "*HTTP/2 403*" c "$QA" -si "https://$QA:$HTTPS_PORT/"
check "qa: allowed network reaches build-B, no HSTS, noindex" \
	expect_in "*HTTP/2 200*x-robots-tag: noindex, nofollow*build-B https $QA*" c "$QA" -si --interface 127.0.0.2 "https://$QA:$HTTPS_PORT/"
check "qa: no HSTS" not expect_in "*strict-transport-security*" c "$QA" -si --interface 127.0.0.2 "https://$QA:$HTTPS_PORT/"

check "reporting-switch prod set B" expect_in "switched prod from $A to $B" "$WF/reporting-switch" prod set "$B"
switched() {
	local i
	for ((i = 0; i < 30; i++)); do
		[[ $(c "$PROD" -s "https://$PROD:$HTTPS_PORT/") == build-B* ]] && return 0
		sleep 0.1
	done
	return 1
}
check "prod serves build-B within 3 s of the switch (nginx not reloaded)" switched
check "nginx -T shows the current app server" expect_in "*# current app server: $B*" "$NGINX_BIN" -p "$F/" -c "$F/conf/nginx.conf" -T
check "qa unaffected by the prod switch" expect_in "$B" "$WF/reporting-switch" qa show

echo "$PASSED passed, $FAILED failed"
((FAILED == 0))
