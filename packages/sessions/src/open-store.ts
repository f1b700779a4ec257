import type { SessionStore } from '@plumb/agent';
import { postgresSessionStore } from './postgres-store.js';
import { sqliteSessionStore } from './sqlite-store.js';

/**
 * Opens a store from one string: a `postgres://` (or `postgresql://`) URL opens Postgres, anything
 * else is a SQLite file path. Without an argument: `PLUMB_SESSIONS`, else `plumb-sessions.db`.
 */
export function openSessionStore(location?: string): Promise<SessionStore> {
  const where = location ?? process.env.PLUMB_SESSIONS ?? 'plumb-sessions.db';
  if (/^postgres(ql)?:\/\//.test(where)) return postgresSessionStore({ connectionString: where });
  return sqliteSessionStore({ path: where });
}
