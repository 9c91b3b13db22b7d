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
