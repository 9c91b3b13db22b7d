#!/usr/bin/env bash
# Which host set-up does the DNAT switch need on a REAL web front, where the app servers are on another host?
# Checked in a private network namespace (unshare -n; gone when the script ends) that has only `lo` and a fake
# LAN interface lan0 = 198.51.100.1/24 (a dummy, or ifb where dummy is missing: both drop what is sent to them).
# The "app server" 198.51.100.7:8000 does not exist: nothing leaves the namespace. For each variant we open a
# TCP connection to the stable address and count, after source NAT (a filter postrouting chain at priority 300),
# the SYNs that leave lan0 by source address. Only a SYN with source 198.51.100.1 (the host's own LAN address)
# could be answered by a real app server (and passes OpenStack port security).
#
# The last variant runs web_front/reporting-switch itself with STABLE_prod=169.254.80.1:8080 (on lo), the
# INSTALL.md set-up, and checks that its DNAT + masquerade rules send the SYN out with the LAN source.
#
# Prints a table and "N passed, N failed"; exits 1 when a variant did not behave as expected. Run as root.
set -euo pipefail

HERE="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
if [[ ${1:-} != --inside ]]; then
	((EUID == 0)) || {
		echo "run as root" >&2
		exit 1
	}
	exec unshare --net -- "$BASH" "${BASH_SOURCE[0]}" --inside
fi

TMP=$(mktemp -d /tmp/netns-topology.XXXXXX)
trap 'rm -rf -- "$TMP"' EXIT

ip link set lo up
if ! ip link add lan0 type dummy 2>/dev/null; then ip link add lan0 type ifb; fi
ip addr add 198.51.100.1/24 dev lan0
ip link set lan0 up
ip addr add 169.254.80.1/32 dev lo

readonly APP=198.51.100.7:8000
PASSED=0 FAILED=0

# variant LABEL STABLE_IP MASQUERADE(0|1) ROUTE_LOCALNET(0|1) EXPECTED_SOURCE(none|IP)
variant() {
	local label=$1 stable=$2 masq=$3 localnet=$4 want=$5 masq_rule=''
	sysctl -qw net.ipv4.conf.all.route_localnet="$localnet" net.ipv4.conf.lan0.route_localnet="$localnet" \
		net.ipv4.conf.lo.route_localnet="$localnet"
	[[ $masq == 1 ]] && masq_rule="ct original ip daddr $stable ct original protocol tcp ct original proto-dst 8080 oifname != \"lo\" masquerade"
	nft flush ruleset
	nft -f - <<EOF
table ip t {
	chain d {
		type nat hook output priority -100; policy accept;
		ip daddr $stable tcp dport 8080 dnat to $APP
	}
	chain s {
		type nat hook postrouting priority 100; policy accept;
		$masq_rule
	}
}
EOF
	count_and_report "$label" "$stable" "$want"
}

count_and_report() { # LABEL STABLE_IP EXPECTED_SOURCE
	local label=$1 stable=$2 want=$3 src got=none n
	nft -f - <<EOF
table ip count {
	chain c {
		type filter hook postrouting priority 300; policy accept;
		oifname "lan0" ip daddr ${APP%:*} tcp dport ${APP#*:} tcp flags syn counter
	}
	chain s {
		type filter hook postrouting priority 301; policy accept;
		oifname "lan0" ip daddr ${APP%:*} tcp flags syn ip saddr 198.51.100.1 counter
		oifname "lan0" ip daddr ${APP%:*} tcp flags syn ip saddr 127.0.0.1 counter
		oifname "lan0" ip daddr ${APP%:*} tcp flags syn ip saddr 169.254.80.1 counter
	}
}
EOF
	curl -s -o /dev/null --connect-timeout 1 "http://$stable:8080/" || true
	n=$(nft list chain ip count c | grep -o 'packets [0-9]*' | head -1 | cut -d' ' -f2)
	for src in 198.51.100.1 127.0.0.1 169.254.80.1; do
		if nft list chain ip count s | grep "ip saddr $src " | grep -q 'packets [1-9]'; then got=$src; fi
	done
	nft delete table ip count
	local verdict="ok    "
	if [[ $got == "$want" ]]; then PASSED=$((PASSED + 1)); else
		FAILED=$((FAILED + 1))
		verdict="NOT OK"
	fi
	printf '%s %-70s SYNs out: %-2s source: %-13s (expected %s)\n' "$verdict" "$label" "$n" "$got" "$want"
}

echo "stable address -> DNAT to app server $APP on the LAN (web front's LAN address 198.51.100.1)"
variant "127.0.0.20 (loopback), no masquerade, route_localnet=0" 127.0.0.20 0 0 none
variant "127.0.0.20 (loopback), masquerade, route_localnet=0" 127.0.0.20 1 0 none
variant "127.0.0.20 (loopback), no masquerade, route_localnet=1" 127.0.0.20 0 1 127.0.0.1
variant "127.0.0.20 (loopback), masquerade, route_localnet=1" 127.0.0.20 1 1 198.51.100.1
variant "169.254.80.1 on lo, no masquerade" 169.254.80.1 0 0 169.254.80.1
variant "169.254.80.1 on lo, masquerade (the INSTALL.md set-up)" 169.254.80.1 1 0 198.51.100.1

# The switch script itself, with the INSTALL.md set-up (no TCP checks: nothing answers in this namespace).
nft flush ruleset
sysctl -qw net.ipv4.conf.all.route_localnet=0 net.ipv4.conf.lan0.route_localnet=0 net.ipv4.conf.lo.route_localnet=0
cat >"$TMP/rs.conf" <<EOF
NFT_TABLE=reporting_switch
NGINX=$(type -P true)
LOCK_FILE=$TMP/lock
CONNECT_CHECK=no
STABLE_prod=169.254.80.1:8080
RECORD_prod=$TMP/prod-upstream.conf
EOF
chmod 0644 "$TMP/rs.conf"
REPORTING_SWITCH_CONF=$TMP/rs.conf "$HERE/../reporting-switch" prod set "$APP" >/dev/null
count_and_report "reporting-switch prod set $APP (stable 169.254.80.1 on lo)" 169.254.80.1 198.51.100.1

echo "$PASSED passed, $FAILED failed"
((FAILED == 0))
