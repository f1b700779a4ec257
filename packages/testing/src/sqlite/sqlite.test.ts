import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { sqliteUnavailableReason } from './sqlite.js';

/** A module of the monorepo that depends on better-sqlite3 (the sessions package). */
const SESSIONS = new URL('../../../sessions/src/index.ts', import.meta.url);

const root = mkdtempSync(join(tmpdir(), 'plumb-sqlite-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A module whose `better-sqlite3` is a stand-in that throws `message` when loaded. */
function besideFailing(name: string, message: string): URL {
  const dir = join(root, name);
  mkdirSync(join(dir, 'node_modules', 'better-sqlite3'), { recursive: true });
  writeFileSync(
    join(dir, 'node_modules', 'better-sqlite3', 'index.js'),
    `throw new Error(${JSON.stringify(message)});`,
  );
  return pathToFileURL(join(dir, 'module.js'));
}

describe('sqliteUnavailableReason', () => {
  it('gives a reason naming this Node when the addon was built for another one', () => {
    const from = besideFailing(
      'abi',
      'The module was compiled against a different Node.js version using NODE_MODULE_VERSION 115.',
    );
    expect(sqliteUnavailableReason(from)).toContain(`another Node version than ${process.version}`);
  });

  it('gives a reason for a load after a failed one in the same process (Node: "did not self-register")', () => {
    const from = besideFailing('second-load', "Module did not self-register: '/x/better_sqlite3.node'.");
    expect(sqliteUnavailableReason(from)).toContain(`another Node version than ${process.version}`);
  });

  it('throws any other failure (a broken build is not a reason to skip)', () => {
    expect(() => sqliteUnavailableReason(besideFailing('broken', 'cannot open shared object'))).toThrow(
      /cannot open shared object/,
    );
  });

  it('agrees with loading the real addon: undefined where it opens, a reason where it cannot', () => {
    const reason = sqliteUnavailableReason(SESSIONS);
    let loads: boolean;
    try {
      const Database = createRequire(SESSIONS)('better-sqlite3') as new (path: string) => { close(): void };
      new Database(':memory:').close();
      loads = true;
    } catch {
      loads = false;
    }
    if (loads) expect(reason).toBeUndefined();
    else expect(reason).toContain(`another Node version than ${process.version}`);
  });
});
