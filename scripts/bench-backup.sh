#!/usr/bin/env bash
# Benchmark of nightly-backup and qa-restore (figures for the closing note, not a test): a Prod database of about
# 1 GB on the local PostgreSQL, the service in-process, duplicity + GnuPG to a file:// target:
#   1. a night that uploads to the daily tier only;
#   2. a night that uploads to daily, weekly and monthly at once (parallel branches), against the same three uploads
#      one after another;
#   3. the QA restore after it (duplicity restore, pg_restore -j2, row-count comparison, swap, migrations);
#   4. then, in the same run on the same database, the old scripts' way: pg_dump -Fc, duplicity full with GnuPG's
#      defaults to each tier in turn, duplicity restore, createdb, one pg_restore, dropdb, rename.
# Prints the two side by side with their ratios, and ends with one machine-readable line per figure:
#   ratio night-daily 0.NN / ratio night-three-tiers 0.NN / ratio qa-copy 0.NN / swap-unavailable-s N.NN
# Needs the same machine set-up as scripts/test.sh (PostgreSQL, duplicity, gpg, sshd) and ~6 GB of disk; takes about
# 10 minutes for 1 GB.
#
#   scripts/bench-backup.sh [-Dbench.sizeMb=1024] [-Dbench.dump-compression=1] [-Dbench.restore-jobs=2]
#                           [-Dbench.restore-maintenance-work-mem=512MB]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export OPS_TEST_PG_URL=${OPS_TEST_PG_URL:-jdbc:postgresql://127.0.0.1:5432/postgres}
export OPS_TEST_PG_USER=${OPS_TEST_PG_USER:-ops_test} OPS_TEST_PG_PASSWORD=${OPS_TEST_PG_PASSWORD:-ops-test-pw-5b1e}
log=$(mktemp /tmp/bench-backup.XXXXXX.log)
mvn -B -q -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=BackupBenchmark \
	-Dfailsafe.failIfNoSpecifiedTests=false "$@" verify >"$log" 2>&1 || { tail -50 "$log"; exit 1; }
sed -n '/^backup benchmark:/,/^$/p' "$log" | head -40
echo "(full log: $log)"
