/**
 * Examples that open a SQLite file through better-sqlite3, a native addon that `pnpm install`
 * builds for the Node that ran it. CI runs the suite a second time on Node 24, where that build
 * cannot load (another NODE_MODULE_VERSION): those examples are skipped there, visibly.
 */
import { sqliteUnavailableReason } from '@plumb/testing/sqlite';

const NEEDS_SQLITE = new Set(['recording', 'session-chat']);

const unavailable: string | undefined = sqliteUnavailableReason(import.meta.url);

/** Why example `name` cannot run on this Node, or undefined. */
export function sqliteSkipReason(name: string): string | undefined {
  return NEEDS_SQLITE.has(name) ? unavailable : undefined;
}

/** Why better-sqlite3 cannot load on this Node, or undefined when it can. */
export const sqliteUnavailable: string | undefined = unavailable;
