/**
 * Whether better-sqlite3 can be loaded here. It is a native addon that `pnpm install` builds for
 * the Node that ran the install; the same `node_modules` run on another Node (plumb's CI runs the
 * suite again on Node 24) cannot load it (another NODE_MODULE_VERSION). Tests that need it skip
 * visibly with this reason there; any other load failure is a real error and is thrown.
 */
import { createRequire } from 'node:module';

// A second load of an addon whose first load failed in this process (another probe, another
// module) does not repeat the version error: Node then says "Module did not self-register".
const ABI_MISMATCH =
  /NODE_MODULE_VERSION|ERR_DLOPEN_FAILED|compiled against a different Node|did not self-register/;

const reasons = new Map<string, string | undefined>();

/**
 * Why better-sqlite3, resolved from the module at `from` (pass `import.meta.url`), cannot be loaded
 * on this Node: a sentence naming the Node version, or undefined when it opens a database. Throws
 * for any other failure (not installed, a broken build). Checked once per `from`.
 */
export function sqliteUnavailableReason(from: string | URL): string | undefined {
  const key = String(from);
  if (reasons.has(key)) return reasons.get(key);
  let reason: string | undefined;
  try {
    const Database = createRequire(from)('better-sqlite3') as new (path: string) => { close(): void };
    new Database(':memory:').close();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!ABI_MISMATCH.test(message)) throw error;
    reason = `better-sqlite3 was built for another Node version than ${process.version} (pnpm install builds it for the Node that runs the install)`;
  }
  reasons.set(key, reason);
  return reason;
}
