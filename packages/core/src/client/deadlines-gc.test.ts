import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { TRANSPORTS, type TransportName } from '../test-helpers.js';

/**
 * Every deadline fires while garbage collections run. Node 20's undici keeps the abort path of a
 * `fetch` with `redirect: 'error'` only weakly reachable once the headers arrived, so before the
 * fix a GC made timeouts and aborts silently stop working (the call hung). The paths run in a
 * child `node --expose-gc` (this Node: 20 in `pnpm test`, 24 in CI's second run), see
 * __fixtures__/gc-deadlines.ts, once over each transport (node:http, fetch).
 */

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Outcome {
  name: string;
  error: string;
  kind?: string | undefined;
  cause?: string | undefined;
}

/** Runs the fixture over one transport; its outcome lines. */
async function outcomesOver(transport: TransportName): Promise<Outcome[]> {
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--expose-gc', '--conditions=@plumb/source', '--import', 'tsx', 'src/__fixtures__/gc-deadlines.ts'],
      {
        cwd: packageDir,
        timeout: 60_000,
        env: { ...process.env, DEEPSEEK_API_KEY: '', PLUMB_LOG: '', PLUMB_TEST_TRANSPORT: transport },
      },
      (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
    );
  });
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Outcome);
}

describe.each(TRANSPORTS)(
  `deadlines under garbage collection, %s transport (node ${process.version})`,
  (transport) => {
    let outcomes: Outcome[] = [];

    beforeAll(async () => {
      outcomes = await outcomesOver(transport);
    }, 70_000);

    function outcome(name: string): Outcome {
      const found = outcomes.find((entry) => entry.name === name);
      if (found === undefined) throw new Error(`the child process reported nothing for '${name}'`);
      return found;
    }

    const cases: Array<[string, Partial<Outcome>]> = [
      ['create: timeout before headers', { error: 'APITimeoutError', kind: 'attempt' }],
      ['create: timeout after headers', { error: 'APITimeoutError', kind: 'attempt' }],
      ['create: signal before headers', { error: 'APIUserAbortError' }],
      ['create: signal after headers', { error: 'APIUserAbortError' }],
      ['stream: timeout before headers', { error: 'APITimeoutError', kind: 'attempt' }],
      ['stream: timeout after headers', { error: 'APITimeoutError', kind: 'attempt' }],
      ['stream: idleTimeout', { error: 'StreamInterruptedError', cause: 'APITimeoutError', kind: 'idle' }],
      ['stream: signal while idle', { error: 'APIUserAbortError' }],
      ['stream: abort() before headers', { error: 'APIUserAbortError' }],
      ['stream: abort() while idle', { error: 'APIUserAbortError' }],
      [
        'fim stream: idleTimeout',
        { error: 'StreamInterruptedError', cause: 'APITimeoutError', kind: 'idle' },
      ],
      ['slot wait: timeout', { error: 'APITimeoutError', kind: 'slot' }],
      ['slot: a started stream dropped unfinished', { error: 'SlotFreed' }],
    ];
    for (const [name, expected] of cases) {
      it(`${name} fires`, () => {
        expect(outcome(name)).toMatchObject({ name, ...expected });
      });
    }
  },
);
