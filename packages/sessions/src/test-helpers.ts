import { createRequire } from 'node:module';
import { type PostgresCluster, postgresUnavailableReason, startPostgres } from '@plumb/testing/postgres';
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
 * Why the SQLite tests cannot run on this Node, or undefined. better-sqlite3 is a native addon
 * built by `pnpm install` for the Node that ran it; CI then runs the suite again on Node 24,
 * where that build cannot load (another NODE_MODULE_VERSION). Any other load failure is an error.
 */
export const sqliteSkipReason: string | undefined = (() => {
  try {
    const Database = createRequire(import.meta.url)('better-sqlite3') as new (
      path: string,
    ) => { close(): void };
    new Database(':memory:').close();
    return undefined;
  } catch (error) {
    const message = (error as Error).message;
    if (!/NODE_MODULE_VERSION|ERR_DLOPEN_FAILED|compiled against a different Node/.test(message)) throw error;
    return `better-sqlite3 was built for another Node version than ${process.version} (pnpm install builds it for the Node that runs the install)`;
  }
})();
