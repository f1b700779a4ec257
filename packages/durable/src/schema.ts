import type { Pool } from 'pg';

/** The schema of plumb's own tables (runs, events, usage, workers, the account gate). */
export const SCHEMA = 'plumb_durable';

const DDL = `
CREATE SCHEMA IF NOT EXISTS ${SCHEMA};
CREATE TABLE IF NOT EXISTS ${SCHEMA}.runs (
  run_id text PRIMARY KEY,
  agent text NOT NULL,
  status text NOT NULL,
  segment integer NOT NULL DEFAULT 0,
  input jsonb NOT NULL,
  state text,
  tools text,
  interruptions jsonb,
  decisions jsonb,
  expires_at timestamptz,
  result jsonb,
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS runs_status ON ${SCHEMA}.runs (status, updated_at);
CREATE TABLE IF NOT EXISTS ${SCHEMA}.events (
  seq bigserial PRIMARY KEY,
  run_id text NOT NULL,
  key text NOT NULL,
  event jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (run_id, key)
);
CREATE TABLE IF NOT EXISTS ${SCHEMA}.hooks_fired (
  run_id text NOT NULL,
  key text NOT NULL,
  fired_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, key)
);
CREATE TABLE IF NOT EXISTS ${SCHEMA}.usage (
  run_id text NOT NULL,
  segment integer NOT NULL,
  step integer NOT NULL,
  agent text NOT NULL,
  model text NOT NULL,
  day date NOT NULL,
  prompt_tokens bigint NOT NULL,
  completion_tokens bigint NOT NULL,
  cache_hit_tokens bigint NOT NULL,
  cache_miss_tokens bigint NOT NULL,
  cost double precision,
  currency text,
  PRIMARY KEY (run_id, segment, step)
);
CREATE TABLE IF NOT EXISTS ${SCHEMA}.workers (
  worker_id text PRIMARY KEY,
  pid integer,
  host text,
  started_at timestamptz NOT NULL DEFAULT now(),
  last_seen timestamptz NOT NULL DEFAULT now(),
  adopted_by text,
  adopted_at timestamptz
);
CREATE TABLE IF NOT EXISTS ${SCHEMA}.backoff (
  account text PRIMARY KEY,
  until timestamptz NOT NULL,
  set_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
`;

// One advisory lock key for every migration of this package: workers starting together run
// the migrations one after the other instead of racing CREATE statements.
const MIGRATION_LOCK = 7_406_392_118;

/**
 * Creates plumb's tables and runs `engineMigrate` (DBOS's system-database migrations), once,
 * under a session advisory lock: concurrent callers run one after the other, and each later
 * one finds everything in place. The lock is polled with pg_try_advisory_lock, never waited for
 * in one statement: DBOS creates indexes CONCURRENTLY, which waits for every open statement of
 * the database to end, so a waiting pg_advisory_lock would deadlock with the holder's migration.
 */
export async function migrate(pool: Pool, engineMigrate: () => Promise<void>): Promise<void> {
  const client = await pool.connect();
  try {
    for (;;) {
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [
        MIGRATION_LOCK,
      ]);
      if (rows[0]?.ok) break;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
    }
    try {
      await engineMigrate();
      await client.query(DDL);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}
