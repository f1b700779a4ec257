import { type PostgresCluster, postgresUnavailableReason, startPostgres } from '@plumb/testing/postgres';
import { sqliteUnavailableReason } from '@plumb/testing/sqlite';
import { afterAll, beforeAll } from 'vitest';

/** Test-only helpers (excluded from the build). */

/**
 * Why Postgres tests cannot run here, or undefined. In CI (CI=true) a missing PostgreSQL is an
 * error, not a skip: scripts/ci-postgres.sh installs it there.
 */
export const postgresSkipReason: string | undefined = (() => {
  const reason = postgresUnavailableReason();
  if (reason !== undefined && process.env.CI === 'true') {
    throw new Error(`CI must run the Postgres tests, but ${reason}.`);
  }
  return reason;
})();

/** Starts a private cluster for this test file (stopped after it) and gives a fresh database. */
export function usePostgres(database: string): { url: () => string } {
  let cluster: PostgresCluster | undefined;
  let url = '';
  beforeAll(async () => {
    if (postgresSkipReason !== undefined) return;
    cluster = await startPostgres();
    url = await cluster.createDatabase(database);
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);
  return { url: () => url };
}

/**
 * Why the SQLite tests cannot run on this Node, or undefined: CI runs the suite again on Node 24,
 * where the better-sqlite3 build of `pnpm install` (for Node 20) cannot load.
 */
export const sqliteSkipReason: string | undefined = sqliteUnavailableReason(import.meta.url);
