/**
 * Examples that start a private PostgreSQL (or use DATABASE_URL). Without the server binaries
 * they are skipped by the example tests, visibly; CI installs them (scripts/ci-postgres.sh) and
 * must run them.
 */
import { postgresUnavailableReason } from '@plumb/testing/postgres';

const NEEDS_POSTGRES = new Set(['durable-workers']);

const unavailable: string | undefined = (() => {
  if (process.env.DATABASE_URL) return undefined;
  const reason = postgresUnavailableReason();
  if (reason !== undefined && process.env.CI === 'true')
    throw new Error(`CI must run the Postgres examples, but ${reason}.`);
  return reason;
})();

/** Why example `name` cannot run here, or undefined. */
export function postgresSkipReason(name: string): string | undefined {
  return NEEDS_POSTGRES.has(name) ? unavailable : undefined;
}
