# shellcheck shell=bash
# Helpers shared by scripts/test.sh and the scripts/testbed/*.sh hooks it sources.
# Sourced, never executed; expects `set -euo pipefail` in the caller.

# One short line per thing done, on stderr, so Maven's output stays on stdout.
say() { printf '%s: %s\n' "${SAY_PREFIX:-test.sh}" "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

# How to run a command as root: nothing when we are root, `sudo -n` when a
# password-less sudo is available, otherwise unset (AS_ROOT_OK=0).
AS_ROOT=()
AS_ROOT_OK=1
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		AS_ROOT=(sudo -n)
	else
		AS_ROOT_OK=0
	fi
fi

# Files to remove when the script exits, however it exits.
_CLEANUP_PATHS=()
_cleanup() {
	local p
	for p in "${_CLEANUP_PATHS[@]}"; do
		"${AS_ROOT[@]}" rm -f -- "$p" 2>/dev/null || true
	done
	_CLEANUP_PATHS=()
}
trap _cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# pkg_installed NAME: true when the Debian package is installed (fast, no apt).
pkg_installed() {
	local status
	status=$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) || return 1
	[[ $status == *" ok installed" ]]
}

# missing_pkgs NAME...: prints the names that are not installed, space separated.
missing_pkgs() {
	local p out=()
	for p in "$@"; do
		pkg_installed "$p" || out+=("$p")
	done
	printf '%s' "${out[*]}"
}

# apt_install NAME...: installs the given packages with no recommends, no
# prompts, and no service started by their postinst scripts. Runs apt-get update
# first (callers only call this when something is missing). apt's output goes to
# a log that is printed (tail) only on failure.
apt_install() {
	[ "$#" -gt 0 ] || return 0
	if [ "$AS_ROOT_OK" -ne 1 ]; then
		die "missing Debian packages: $* -- install them as root: apt-get install --no-install-recommends $*"
	fi
	local policy=/usr/sbin/policy-rc.d log
	log=$(mktemp "${TMPDIR:-/tmp}/test-sh-apt.XXXXXX")
	# Keep postinst scripts (nginx, sshd, postgresql...) from starting services on
	# 0.0.0.0: "exit 101" = action forbidden. An existing policy is left alone.
	if [ ! -e "$policy" ]; then
		_CLEANUP_PATHS+=("$policy")
		printf '#!/bin/sh\n# Temporary, from scripts/test.sh: no service starts during its apt-get install.\nexit 101\n' |
			"${AS_ROOT[@]}" tee "$policy" >/dev/null
		"${AS_ROOT[@]}" chmod 755 "$policy"
	fi
	say "installing Debian packages: $*"
	local rc=0
	{
		"${AS_ROOT[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300 update &&
			"${AS_ROOT[@]}" env DEBIAN_FRONTEND=noninteractive NEEDRESTART_MODE=a apt-get -q -y \
				-o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
				install --no-install-recommends "$@"
	} </dev/null >"$log" 2>&1 || rc=$?
	if [[ " ${_CLEANUP_PATHS[*]} " == *" $policy "* ]]; then
		"${AS_ROOT[@]}" rm -f -- "$policy"
		local keep=() p
		for p in "${_CLEANUP_PATHS[@]}"; do [ "$p" = "$policy" ] || keep+=("$p"); done
		_CLEANUP_PATHS=("${keep[@]}")
	fi
	if [ "$rc" -ne 0 ]; then
		tail -n 40 "$log" >&2
		die "apt-get failed (exit $rc); full log: $log"
	fi
	rm -f -- "$log"
	local still
	still=$(missing_pkgs "$@")
	[ -z "$still" ] || die "still not installed after apt-get: $still"
}
