#!/usr/bin/env bash
# Starts a release of BUILD on the reporting-ops service (QA, UAT approval in Tasklist, Prod) and follows it to its
# end, printing one line per step (and one per tester's approval: "Approved by tom: comment"). The application's Jenkins pipeline calls it (docs/jenkins/app-release-stage.groovy);
# people can too, and `scripts/sandbox release` runs it against the sandbox.
#
#   OPS_PASSWORD=... scripts/release.sh BUILD [REQUESTED_BY]
#
# BUILD         the build reference (letters, digits, . _ -; at most 64)
# REQUESTED_BY  optional: the person the release is for (e.g. Jenkins' BUILD_USER_ID); they may not approve it
#
# Environment:
#   OPS_URL            the service (default http://127.0.0.1:8080)
#   OPS_USER           the REST user (default jenkins)
#   OPS_PASSWORD       its password, or OPS_PASSWORD_FILE: a file holding it (never on the command line)
#   OPS_POLL_SECONDS   how often to look (default 2)
#   OPS_TIMEOUT_SECONDS  give up following after this long (default 345600 = 4 days; the release goes on)
#
# Exit codes (docs/operations.md, "Jenkins", has the same table):
#   0  released: the build serves on Prod
#   1  the release ended without reaching Prod: a deploy failed (FAILED), the fresh Prod backup failed
#      (BACKUP_FAILED; Prod untouched), or it was cancelled in Cockpit or ended any other way; the reason is printed
#   2  bad usage: wrong arguments, no password, a build or user id that is not well-formed, curl or jq missing;
#      nothing was sent
#   3  refused at start: the service answered the start with an error (bad input, another release running, a user
#      that may not start releases); nothing started
#   4  rejected in UAT
#   5  expired in UAT (ops.release.approval-deadline): nobody answered, or fewer testers approved than
#      ops.release.approvals-required
#   6  QA changed during UAT: the answer was refused because QA no longer served the build the task showed (any
#      approvals given before it are void)
#   7  gave up following after OPS_TIMEOUT_SECONDS; the release goes on in the service
#   8  the service could not be reached: at the start (nothing started), or for an hour while following (the
#      release goes on in the service)
# A lookup that fails while following (the service restarting, an error answer) is tried again at the next look.
set -euo pipefail

usage() { echo "usage: OPS_PASSWORD=... $0 BUILD [REQUESTED_BY]" >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || usage
build=$1
requested_by=${2:-}
url=${OPS_URL:-http://127.0.0.1:8080}
url=${url%/}
user=${OPS_USER:-jenkins}
poll=${OPS_POLL_SECONDS:-2}
timeout=${OPS_TIMEOUT_SECONDS:-345600}
if [ -z "${OPS_PASSWORD:-}" ] && [ -n "${OPS_PASSWORD_FILE:-}" ]; then
	OPS_PASSWORD=$(<"$OPS_PASSWORD_FILE")
fi
[ -n "${OPS_PASSWORD:-}" ] || { echo "release: set OPS_PASSWORD or OPS_PASSWORD_FILE" >&2; exit 2; }
[[ $build =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$ ]] || { echo "release: '$build' is not a build reference" >&2; exit 2; }
[ -z "$requested_by" ] || [[ $requested_by =~ ^[a-z][a-z0-9._-]{0,63}$ ]] ||
	{ echo "release: '$requested_by' is not a user id" >&2; exit 2; }
command -v jq >/dev/null || { echo "release: jq is missing" >&2; exit 2; }
command -v curl >/dev/null || { echo "release: curl is missing" >&2; exit 2; }

# The credentials go to curl in a config file only this user can read: never in argv, where ps would show them.
auth=$(mktemp)
trap 'rm -f "$auth"' EXIT
chmod 600 "$auth"
escaped=$(printf '%s:%s' "$user" "$OPS_PASSWORD" | sed 's/\\/\\\\/g; s/"/\\"/g')
printf 'user = "%s"\n' "$escaped" >"$auth"

# api METHOD PATH [JSON]: prints the body; fails (status 8) when the service cannot be reached.
api() {
	local out status
	out=$(curl -sS --max-time 30 -K "$auth" -X "$1" -H 'Content-Type: application/json' \
		${3:+--data "$3"} -w '\n%{http_code}' "$url/engine-rest$2") || { echo "release: cannot reach $url" >&2; return 8; }
	status=${out##*$'\n'}
	body=${out%$'\n'*}
	printf '%s' "$body"
	[[ $status == 2* ]]
}

say() { printf '%s  %s\n' "$(date -u +%H:%M:%S)" "$*"; }

variables=$(jq -n --arg build "$build" --arg by "$requested_by" \
	'{build: {value: $build, type: "String"}} + (if $by == "" then {} else {requestedBy: {value: $by, type: "String"}} end)')
start_rc=0
started=$(api POST /process-definition/key/release/start "{\"businessKey\":\"build-$build\",\"variables\":$variables}") ||
	start_rc=$?
# 8: api has said that the service cannot be reached
[ "$start_rc" -ne 8 ] || exit 8
if [ "$start_rc" -ne 0 ]; then
	echo "release: refused: $(jq -r '.message // .' <<<"$started" 2>/dev/null || echo "$started")" >&2
	exit 3
fi
release=$(jq -r .id <<<"$started")
say "release $release of build $build started${requested_by:+ for $requested_by} ($url/camunda/app/cockpit/default/#/process-instance/$release)"

declare -A printed=()
variable() { # variable INSTANCE NAME
	api GET "/history/variable-instance?processInstanceId=$1&variableName=$2" | jq -r '.[0].value // empty'
}
step() { # step KEY TEXT: prints TEXT once per KEY
	if [ -n "${printed[$1]:-}" ]; then return 0; fi
	printed[$1]=1
	say "$2"
}

follow_deploy() { # follow_deploy INSTANCE ENVIRONMENT: fails when a lookup fails
	local id=$1 env=$2 activities
	activities=$(api GET "/history/activity-instance?processInstanceId=$id&sortBy=startTime&sortOrder=asc") || return 1
	while IFS=$'\t' read -r aid activity ended; do
		case "$activity:$ended" in
		Task_CreateStack:true) step "$aid" "[$env] stack $(variable "$id" stackName) created" ;;
		Task_CheckHealth:*) step "health-$id" "[$env] stack complete; checking the new server" ;;
		Task_SwitchWebFront:false) step "$aid" "[$env] new server healthy; switching the web front" ;;
		Task_SwitchWebFront:true) step "$aid" "[$env] web front switched to $(variable "$id" serverAddress)" ;;
		Task_RetireOldStacks:*) step "retire-$id" "[$env] the public URL serves build $build; retiring old stacks" ;;
		Task_SwitchBack:true) step "$aid" "[$env] switched back to the previous server" ;;
		EndEvent_Deployed:*) step "$aid" "[$env] deployed" ;;
		EndEvent_DeployFailed:*) step "$aid" "[$env] deploy failed: $(variable "$id" failureReason)" ;;
		esac
	done < <(jq -r '.[] | [.id, .activityId, (.endTime != null)] | @tsv' <<<"$activities")
}

incidents() { # incidents INSTANCE
	while IFS=$'\t' read -r iid activity message; do
		step "incident-$iid" "INCIDENT at $activity: $message (waiting: an operator can retry it in Cockpit)"
	done < <(api GET "/incident?processInstanceId=$1" | jq -r '.[] | [.id, .activityId, .incidentMessage] | @tsv')
}

approvals() { # prints each approval counted so far ("Approved by tom: comment"), once; fails when a lookup fails
	local json user at comment n=0
	json=$(variable "$release" uatApprovals) || return 1
	while IFS=$'\t' read -r user at comment; do
		n=$((n + 1))
		step "approval-$user" "Approved by $user${comment:+: $comment}$([ "${required:-1}" -le 1 ] || echo " ($n of $required)")"
	done < <(jq -r '.[]? | [.user, .at, (.comment // "")] | @tsv' <<<"${json:-[]}")
}

report_progress() { # report_progress STATE: prints the steps reached since the last look; fails when a lookup fails
	local state=$1 children child env activities aid activity ended required
	children=$(api GET "/history/process-instance?superProcessInstanceId=$release&sortBy=startTime&sortOrder=asc") ||
		return 1
	for child in $(jq -r '.[] | .id' <<<"$children"); do
		env=$(variable "$child" environment) || return 1
		follow_deploy "$child" "$env" || return 1
		if [ "$state" = ACTIVE ]; then incidents "$child"; fi
	done
	activities=$(api GET "/history/activity-instance?processInstanceId=$release&sortBy=startTime&sortOrder=asc") ||
		return 1
	while IFS=$'\t' read -r aid activity ended; do
		case "$activity:$ended" in
		Task_RemindTesters:true) step "$aid" "reminder sent to the testers" ;;
		Task_UatApproval:*)
			# asked again after each approval while more are needed: the wait is printed once, each approval once
			required=$(variable "$release" uatApprovalsRequired) || return 1
			step "uat-wait" "waiting for UAT approval in Tasklist (filter \"UAT approvals\"): QA $(variable "$release" qaUrl), stack $(variable "$release" qaStackName)$([ "${required:-1}" -le 1 ] || echo ", $required approvals from different testers needed")"
			approvals ;;
		Task_CheckProdBackup:true) step "$aid" "$(variable "$release" backupCheck)" ;;
		Timer_WaitForBackup:false) step "$aid" "waiting for the running backup to end" ;;
		CallActivity_TakeBackup:true) step "$aid" "fresh Prod backup: $(variable "$release" backupOutcome)" ;;
		esac
	done < <(jq -r '.[] | [.id, .activityId, (.endTime != null)] | @tsv' <<<"$activities")
	if [ "$state" = ACTIVE ]; then incidents "$release"; fi
}

give_up() {
	say "gave up following after ${timeout}s; the release goes on: $url/camunda/app/cockpit/default/#/process-instance/$release"
	exit 7
}

deadline=$(($(date +%s) + timeout))
unreachable=0
while :; do
	if ! instance=$(api GET "/history/process-instance/$release"); then
		unreachable=$((unreachable + 1))
		# a restarting service is normal; an hour without it is not
		[ $((unreachable * poll)) -lt 3600 ] || exit 8
		sleep "$poll"
		continue
	fi
	unreachable=0
	state=$(jq -r .state <<<"$instance")
	# A lookup below that fails (the service restarting, an error answer) skips the rest of this look: the next one
	# tries again, so a passing fault neither ends the script nor is taken for the release's end.
	if ! report_progress "$state"; then
		[ "$(date +%s)" -lt "$deadline" ] || give_up
		sleep "$poll"
		continue
	fi
	if [ "$state" != ACTIVE ]; then
		if outcome=$(variable "$release" outcome) && reason=$(variable "$release" failureReason) &&
			{ [ -n "$reason" ] || reason=$(variable "$release" uatMessage); }; then
			case "$outcome" in
			RELEASED) say "released: build $build serves on Prod"; exit 0 ;;
			REJECTED) say "REJECTED: $reason"; exit 4 ;;
			EXPIRED) say "EXPIRED: $reason"; exit 5 ;;
			QA_CHANGED) say "REFUSED: $reason"; exit 6 ;;
			FAILED) say "FAILED: $reason"; exit 1 ;;
			BACKUP_FAILED) say "BACKUP FAILED (Prod untouched): $reason"; exit 1 ;;
			*) say "ENDED ($state${outcome:+, $outcome}): ${reason:-cancelled in Cockpit}"; exit 1 ;;
			esac
		fi
	fi
	[ "$(date +%s)" -lt "$deadline" ] || give_up
	sleep "$poll"
done
