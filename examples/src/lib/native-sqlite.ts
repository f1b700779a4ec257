/**
 * Examples that open a SQLite file through better-sqlite3, a native addon that `pnpm install`
 * builds for the Node that ran it. CI runs the suite a second time on Node 24, where that build
 * cannot load (another NODE_MODULE_VERSION): those examples are skipped there, visibly.
 */
import { createRequire } from 'node:module';

const NEEDS_SQLITE = new Set(['recording', 'session-chat']);

const unavailable: string | undefined = (() => {
  try {
    const Database = createRequire(import.meta.url)('better-sqlite3') as new (
      path: string,
    ) => { close(): void };
    new Database(':memory:').close();
    return undefined;
  } catch (error) {
    const message = (error as Error).message;
    if (!/NODE_MODULE_VERSION|ERR_DLOPEN_FAILED|compiled against a different Node/.test(message)) throw error;
    return `better-sqlite3 was built for another Node version than ${process.version}`;
  }
})();

/** Why example `name` cannot run on this Node, or undefined. */
export function sqliteSkipReason(name: string): string | undefined {
  return NEEDS_SQLITE.has(name) ? unavailable : undefined;
}

/** Why better-sqlite3 cannot load on this Node, or undefined when it can. */
export const sqliteUnavailable: string | undefined = unavailable;
