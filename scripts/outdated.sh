#!/usr/bin/env bash
# What is out of date in pom.xml: the parent, dependencies (direct and in dependencyManagement), plugins and version
# properties that have newer releases on Maven Central, one line each, from the versions-maven-plugin (pinned in
# pom.xml by versions-maven-plugin.version). Pre-releases (alpha, beta, M, RC, snapshots) are never offered.
# Each line says the level of the step: patch (same major.minor), minor or major. Needs the network; changes nothing.
#
#   scripts/outdated.sh            every update
#   scripts/outdated.sh --patch    patch-level updates only (the newest release of the same major.minor)
#   scripts/outdated.sh [--patch] [extra Maven args]
#
# Dependencies that Spring Boot's or Camunda's BOM manage are listed only when the project uses them directly
# (their update is the parent's or a version property's); the BOMs' hundreds of other entries are not.
# The plugin goal cannot be restricted to patches: with --patch, a plugin whose newest release is a minor or major
# step is counted on a closing note, not listed, so a patch of its own line behind that newer release is not seen.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

patch_only=0
if [ "${1:-}" = "--patch" ]; then
	patch_only=1
	shift
fi

work=$(mktemp -d /tmp/outdated.XXXXXX)
trap 'rm -rf -- "$work"' EXIT

# Comma-separated regular expressions of versions never offered.
ignored='(?i).+[.-](alpha|beta|m|rc|cr|ea|preview)[.-]?[0-9]*([.-].*)?,.+-SNAPSHOT'
args=(-B -q
	"-Dversions.outputFile=$work/report.txt" -Dversions.outputLineWidth=200
	-DprocessDependencyManagementTransitive=false
	"-Dmaven.version.ignore=$ignored")
[ "$patch_only" -eq 1 ] && args+=(-DallowMinorUpdates=false)

if ! mvn "${args[@]}" \
	versions:display-parent-updates \
	versions:display-dependency-updates \
	versions:display-plugin-updates \
	versions:display-property-updates \
	"$@" >"$work/mvn.log" 2>&1; then
	tail -40 "$work/mvn.log" >&2
	echo "outdated.sh: Maven failed (above)" >&2
	exit 1
fi

# report.txt holds the four goals' text, one after the other. Each update is a line "  NAME ..... OLD -> NEW"
# (a long name may end its line with "..." and the versions follow on the next); the header before it names its kind.
awk -v patch_only="$patch_only" '
function level(a, b,   x, y) {
	split(a, x, /[.-]/); split(b, y, /[.-]/)
	if (x[1] != y[1]) return "major"
	if (x[2] != y[2]) return "minor"
	return "patch"
}
/^The parent project has a newer version/ { kind = "parent"; next }
/^The following dependencies in Dependencies / { kind = "dependency"; next }
/^The following dependencies in Dependency Management / { kind = "managed"; next }
/^The following dependencies in pluginManagement / { kind = "plugin-mgmt"; next }
/^The following dependencies in Plugin Dependencies / { kind = "plugin-mgmt"; next }
/^The following plugin updates are available/ { kind = "plugin"; next }
/^The following version property updates are available/ { kind = "property"; next }
/^[^ ]/ { kind = ""; next }
kind == "" { next }
/\.\.\.$/ && !/->/ { pending = $1; next }
/ -> / {
	name = pending != "" ? pending : $1
	pending = ""
	n = split($0, f, / +/)
	old = f[n - 2]; new = f[n]
	lvl = level(old, new)
	if (patch_only && lvl != "patch") { if (kind == "plugin") hidden++; next }
	printf "%-11s %-58s %-14s -> %-14s %s\n", kind, name, old, new, lvl
	count++
}
END {
	print (count + 0) " update(s)" (patch_only ? " at patch level" : "")
	if (hidden) print hidden " plugin(s) whose newest release is a minor or major step (run without --patch to see them)"
}
' "$work/report.txt"
