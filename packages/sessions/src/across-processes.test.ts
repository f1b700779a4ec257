import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSession } from '@plumb/agent';
import { type Emulator, startEmulator } from '@plumb/testing';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openSessionStore } from './index.js';
import { postgresSkipReason, sqliteSkipReason, usePostgres } from './test-helpers.js';

const child = fileURLToPath(new URL('./fixtures/chat-child.ts', import.meta.url));
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'plumb-sessions-x-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

interface ChildReport {
  conflicts: number;
  results: Array<{ text: string; cacheHitRatio: number }>;
}

/** Runs turns of a session in a new Node process (source condition, tsx), bounded in time. */
function runChild(env: Record<string, string>): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const process_ = spawn(process.execPath, ['--import', 'tsx', '--conditions=@plumb/source', child], {
      cwd: packageDir,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => process_.kill('SIGKILL'), 60_000);
    process_.stdout.on('data', (chunk) => {
      out += chunk;
    });
    process_.stderr.on('data', (chunk) => {
      err += chunk;
    });
    process_.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as ChildReport);
      else reject(new Error(`child exited ${code}: ${err.slice(-2000)}`));
    });
  });
}

function backends(): Array<{ name: string; skip: string | undefined; location: () => string }> {
  const pg = usePostgres('across');
  return [
    { name: 'SQLite', skip: sqliteSkipReason, location: () => join(dir, 'sessions.db') },
    { name: 'Postgres', skip: postgresSkipReason, location: () => pg.url() },
  ];
}

describe('sessions across processes', () => {
  for (const backend of backends()) {
    const title = `${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`;
    describe.skipIf(backend.skip !== undefined)(title, () => {
      it('a conversation started in one process continues in another, byte for byte, on the cache', async () => {
        emulator = await startEmulator({
          port: 0,
          script: [
            { reasoning: 'Look it up.', toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
            { reasoning: 'Answer.', content: 'Paris: 21C.' },
            { reasoning: 'Same data.', content: 'Same tomorrow.' },
          ],
        });
        const env = {
          STORE: backend.location(),
          SESSION: `restart-${backend.name}`,
          BASE_URL: emulator.url,
          TOOLS: '1',
          USER_ID: 'ann',
        };
        const first = await runChild({ ...env, TURNS: JSON.stringify(['Weather in Paris?']) });
        const second = await runChild({ ...env, TURNS: JSON.stringify(['And tomorrow?']) });

        expect(first.results[0]?.text).toBe('Paris: 21C.');
        expect(second.results[0]?.text).toBe('Same tomorrow.');
        expect(second.results[0]?.cacheHitRatio).toBeGreaterThan(0.3);
        const [, answered, continued] = emulator.requests.filter((request) =>
          request.path.endsWith('/chat/completions'),
        );
        // The second process sent the first one's history as it was sent, then the new question.
        const before = JSON.stringify(answered?.body.messages).slice(0, -1);
        expect(continued?.rawBody.includes(before)).toBe(true);
        expect(continued?.body.user_id).toBe('ann');
        expect(emulator.failures).toEqual([]); // the replay rule held across the restart
        const store = await openSessionStore(backend.location());
        const stored = await readSession(store, env.SESSION, { userId: 'ann' });
        expect(stored?.messages.map((message) => message.role)).toEqual([
          'system',
          'user',
          'assistant',
          'tool',
          'assistant',
          'user',
          'assistant',
        ]);
        await store.close?.();
      }, 120_000);

      it('two processes appending to one session at the same time lose no turn', async () => {
        emulator = await startEmulator({ port: 0, script: () => ({ content: 'noted' }) });
        const env = { STORE: backend.location(), SESSION: `race-${backend.name}`, BASE_URL: emulator.url };
        const turns = (tag: string) => JSON.stringify(Array.from({ length: 8 }, (_, i) => `${tag}-${i}`));
        const reports = await Promise.all([
          runChild({ ...env, TURNS: turns('a') }),
          runChild({ ...env, TURNS: turns('b') }),
        ]);

        expect(reports.every((report) => report.results.length === 8)).toBe(true);
        const store = await openSessionStore(backend.location());
        const stored = await readSession(store, env.SESSION);
        await store.close?.();
        const users = (stored?.messages ?? [])
          .filter((message) => message.role === 'user')
          .map((m) => m.content);
        expect([...users].sort()).toEqual([...JSON.parse(turns('a')), ...JSON.parse(turns('b'))].sort());
        // Turns never interleave: after the system message, user and assistant alternate.
        expect(stored?.messages.slice(1).map((message) => message.role)).toEqual(
          Array.from({ length: 32 }, (_, i) => (i % 2 === 0 ? 'user' : 'assistant')),
        );
        // Each process kept its own order.
        for (const tag of ['a', 'b']) {
          const own = users.filter((content) => String(content).startsWith(`${tag}-`));
          expect(own).toEqual(JSON.parse(turns(tag)));
        }
      }, 120_000);
    });
  }
});
