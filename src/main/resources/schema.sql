-- The service's own tables, next to the engine's ACT_* tables in the same database. Created at start when missing
-- (spring.sql.init); statements that work on H2 and PostgreSQL alike.

-- Named locks held by a process instance: one deploy per environment, one backup or restore per database.
CREATE TABLE IF NOT EXISTS ops_lock (
  name        VARCHAR(100) PRIMARY KEY,
  holder      VARCHAR(64),
  started_by  VARCHAR(100),
  acquired_at TIMESTAMP WITH TIME ZONE
);

-- Monotonic counters: the last stack number used per environment, so that a number is never used twice.
CREATE TABLE IF NOT EXISTS ops_counter (
  name  VARCHAR(100) PRIMARY KEY,
  counter_value BIGINT NOT NULL
);

-- One row per deploy-replace or rollback run: what runs where, since when, and who asked.
CREATE TABLE IF NOT EXISTS ops_deployment (
  id               VARCHAR(64) PRIMARY KEY,
  kind             VARCHAR(20) NOT NULL,
  environment      VARCHAR(20) NOT NULL,
  build            VARCHAR(100),
  stack_name       VARCHAR(100),
  stack_id         VARCHAR(100),
  address          VARCHAR(64),
  previous_address VARCHAR(64),
  template_hash    VARCHAR(64),
  started_by       VARCHAR(100),
  started_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  ended_at         TIMESTAMP WITH TIME ZONE,
  outcome          VARCHAR(20) NOT NULL,
  detail           VARCHAR(2000)
);
CREATE INDEX IF NOT EXISTS ops_deployment_env ON ops_deployment (environment, started_at);

-- One row per nightly-backup or qa-restore run: when, who, how it ended, and for a restore which backup it used.
CREATE TABLE IF NOT EXISTS ops_backup_run (
  id          VARCHAR(64) PRIMARY KEY,
  kind        VARCHAR(20) NOT NULL,
  started_by  VARCHAR(100),
  started_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  ended_at    TIMESTAMP WITH TIME ZONE,
  outcome     VARCHAR(20) NOT NULL,
  detail      VARCHAR(2000),
  dump_bytes  BIGINT,
  backup_run  VARCHAR(64),
  backup_time TIMESTAMP WITH TIME ZONE
);
CREATE INDEX IF NOT EXISTS ops_backup_run_started ON ops_backup_run (kind, started_at);

-- One row per backup set uploaded to a tier: duplicity's set time, size, how long the upload took, whether it was
-- verified, and when retention removed it. Retention counts only verified sets toward its floor.
CREATE TABLE IF NOT EXISTS ops_backup_set (
  tier        VARCHAR(10) NOT NULL,
  set_time    TIMESTAMP WITH TIME ZONE NOT NULL,
  run_id      VARCHAR(64) NOT NULL,
  size_bytes  BIGINT,
  duration_ms BIGINT,
  verified    BOOLEAN NOT NULL,
  removed_at  TIMESTAMP WITH TIME ZONE,
  PRIMARY KEY (tier, set_time)
);

-- One row per release: the build, who asked, the QA and Prod deploys, and the UAT decision (who, when, why).
CREATE TABLE IF NOT EXISTS ops_release (
  id               VARCHAR(64) PRIMARY KEY,
  build            VARCHAR(100) NOT NULL,
  started_by       VARCHAR(100),
  requested_by     VARCHAR(100),
  started_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  ended_at         TIMESTAMP WITH TIME ZONE,
  outcome          VARCHAR(20) NOT NULL,
  detail           VARCHAR(2000),
  qa_stack         VARCHAR(100),
  qa_data_as_of    TIMESTAMP WITH TIME ZONE,
  decision         VARCHAR(20),
  decided_by       VARCHAR(100),
  decided_at       TIMESTAMP WITH TIME ZONE,
  decision_comment VARCHAR(2000)
);

-- The UAT approval a Prod deploy was made under (empty for deploys outside a release).
ALTER TABLE ops_deployment ADD COLUMN IF NOT EXISTS release_id VARCHAR(64);
ALTER TABLE ops_deployment ADD COLUMN IF NOT EXISTS approved_by VARCHAR(100);
ALTER TABLE ops_deployment ADD COLUMN IF NOT EXISTS approved_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE ops_deployment ADD COLUMN IF NOT EXISTS approval_comment VARCHAR(2000);

-- Under what authority a deploy ran: APPROVED (Prod, through a release whose testers approved the build), SKIPPED
-- (an operator's direct deploy to Prod, with the reason), empty for QA and rollbacks.
ALTER TABLE ops_deployment ADD COLUMN IF NOT EXISTS uat VARCHAR(20);
ALTER TABLE ops_deployment ADD COLUMN IF NOT EXISTS reason VARCHAR(500);

-- When a run's server began to serve (written with the switch, so a run cancelled right after its switch still counts)
-- and when it was switched back. Retirement, rollback and "what serves" read these, not the outcome.
ALTER TABLE ops_deployment ADD COLUMN IF NOT EXISTS served_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE ops_deployment ADD COLUMN IF NOT EXISTS switched_back_at TIMESTAMP WITH TIME ZONE;
UPDATE ops_deployment SET served_at = ended_at WHERE served_at IS NULL AND outcome IN ('DEPLOYED', 'ROLLED_BACK');

-- UAT by several testers (ops.release.approvals-required): the count a release started with, the QA run its testers
-- were shown (a later switch of QA, even back to the same stack, voids the approvals), and one row per approval. A
-- tester approves a release once (the key); approvals given before QA changed are voided, not deleted.
ALTER TABLE ops_release ADD COLUMN IF NOT EXISTS approvals_required INT;
ALTER TABLE ops_release ADD COLUMN IF NOT EXISTS qa_run VARCHAR(64);
CREATE TABLE IF NOT EXISTS ops_release_approval (
  release_id       VARCHAR(64) NOT NULL,
  approved_by      VARCHAR(100) NOT NULL,
  approved_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  approval_comment VARCHAR(2000),
  voided_at        TIMESTAMP WITH TIME ZONE,
  PRIMARY KEY (release_id, approved_by)
);

-- A Prod deploy's approvers: every tester, comma-separated in approved_by, and each approval (tester, time, comment)
-- as a JSON list in approvals.
ALTER TABLE ops_deployment ALTER COLUMN approved_by SET DATA TYPE VARCHAR(1000);
ALTER TABLE ops_deployment ADD COLUMN IF NOT EXISTS approvals VARCHAR(30000);
