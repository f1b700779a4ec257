import type { RecordedRequest, Turn } from '@plumb/testing';
import { describe, expect, it } from 'vitest';
import {
  postgresSkipReason,
  requestsFor,
  toolResults,
  userText,
  useWorld,
  type World,
} from './test-helpers.js';

// Each scenario's text picks its delays while `slow` holds it: the reference run of the same
// text runs without them, so both runs see byte-identical answers.
const slow = new Map<string, 'tool' | 'stream' | 'between'>();

async function script(request: RecordedRequest): Promise<Turn> {
  const text = userText(request);
  const mode = slow.get(text);
  const done = toolResults(request);
  if (done === 0) {
    return {
      toolCalls: [
        { name: 'record', arguments: { note: 'a' }, id: 'call_a' },
        { name: 'record', arguments: { note: 'b' }, id: 'call_b' },
      ],
    };
  }
  if (done === 2) {
    if (mode === 'between') await new Promise((resolve) => setTimeout(resolve, 3000));
    return { toolCalls: [{ name: 'record', arguments: { note: 'c' }, id: 'call_c' }] };
  }
  return {
    content: `Recorded a, b and c for "${text}". Everything is in the ledger now, in call order.`,
    ...(mode === 'stream' ? { deltaSize: 3, fault: { chunkDelayMs: 120 } } : {}),
  };
}

/** Requests of one run per model turn (turn = number of tool results before it: 0, 2, 3). */
function turnCounts(requests: RecordedRequest[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const request of requests) counts[toolResults(request)] = (counts[toolResults(request)] ?? 0) + 1;
  return counts;
}

async function reference(world: World, text: string): Promise<string> {
  const runId = await world.durable.start('assistant', text, { runId: `ref-${text.replaceAll(' ', '-')}` });
  const result = await world.durable.result(runId, { timeoutMs: 30_000 });
  expect(result.finishReason).toBe('stop');
  return JSON.stringify(result.messages);
}

/** Runs `text` while `slow`, kills its worker once `when` holds, and checks the replay. */
async function crashRun(
  world: World,
  text: string,
  mode: 'tool' | 'stream' | 'between',
  when: (runId: string) => Promise<boolean>,
): Promise<{ runId: string; killedDuring: number }> {
  const expected = await reference(world, text);
  const before = world.emulator.requests.length;
  slow.set(text, mode);
  const runId = await world.durable.start('assistant', text, { runId: `crash-${mode}` });
  const owner = await world.waitFor('an owner', () => world.owner(runId));
  await world.waitFor('the moment to kill', () => when(runId));
  const victim = world.workers.find((worker) => worker.id === owner);
  if (victim === undefined) throw new Error(`no worker ${owner}`);
  const killedDuring = Math.max(...world.emulator.requests.slice(before).map(toolResults));
  await world.kill(victim);
  // A replacement joins; the run is adopted by a live worker within the heartbeat timeout.
  await world.spawnWorker(`${victim.id}-next`);
  const result = await world.durable.result(runId, { timeoutMs: 90_000 });
  slow.delete(text);
  expect(JSON.stringify(result.messages)).toBe(expected);
  const requests = requestsFor(world.emulator, text).filter((request) => request.index >= before);
  return { runId, killedDuring: requests.length > 0 ? killedDuring : -1 };
}

async function ledgerFor(world: World, runId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const row of await world.ledger()) {
    if (row.key.startsWith(`${runId}/`)) counts[row.key] = (counts[row.key] ?? 0) + 1;
  }
  return counts;
}

async function effectsFor(world: World, runId: string): Promise<string[]> {
  const { rows } = await world.pool.query<{ key: string }>(
    'SELECT key FROM effects WHERE key LIKE $1 ORDER BY key',
    [`${runId}/%`],
  );
  return rows.map((row) => row.key);
}

async function hooksFor(world: World, runId: string): Promise<Record<string, number>> {
  const { rows } = await world.pool.query<{ key: string; n: number }>(
    'SELECT key, count(*)::int AS n FROM hook_ledger WHERE run_id = $1 GROUP BY key',
    [runId],
  );
  return Object.fromEntries(rows.map((row) => [row.key, row.n]));
}

describe.skipIf(postgresSkipReason !== undefined)(
  `a killed worker's run is finished by another${postgresSkipReason ? ` (skipped: ${postgresSkipReason})` : ''}`,
  () => {
    const world = useWorld('durable_crash', script);

    it('workers started together migrate once and come up (no deadlock)', async () => {
      const w = world();
      await Promise.all([w.spawnWorker('w1'), w.spawnWorker('w2')]);
      const { rows } = await w.pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM plumb_durable.workers',
      );
      expect(rows[0]?.n).toBe(2);
    }, 200_000);

    it('killed during a tool call: completed turns once, the interrupted call at most twice with its key, one effect each', async () => {
      const w = world();
      const text = 'note task tool';
      const before = w.emulator.requests.length;
      const { runId } = await crashRun(w, text, 'tool', async (id) =>
        (await w.ledger()).some((row) => row.key === `${id}/0/call_a`),
      );
      const ledger = await ledgerFor(w, runId);
      expect(ledger[`${runId}/0/call_a`]).toBeGreaterThanOrEqual(1);
      expect(ledger[`${runId}/0/call_a`]).toBeLessThanOrEqual(2);
      expect(ledger[`${runId}/1/call_c`]).toBe(1);
      expect(await effectsFor(w, runId)).toEqual([
        `${runId}/0/call_a`,
        `${runId}/0/call_b`,
        `${runId}/1/call_c`,
      ]);
      // Turn 0 completed before the kill: requested once; the later turns once, after the adoption.
      const crash = requestsFor(w.emulator, text).filter((request) => request.index >= before + 3);
      expect(turnCounts(crash)).toEqual({ 0: 1, 2: 1, 3: 1 });
      for (const count of Object.values(await hooksFor(w, runId))) expect(count).toBe(1);
    }, 200_000);

    it('killed during a model stream: the interrupted turn is requested at most twice, the others once', async () => {
      const w = world();
      const text = 'note task stream';
      const before = w.emulator.requests.length;
      const { runId } = await crashRun(w, text, 'stream', async () => {
        const requests = requestsFor(w.emulator, text).filter((request) => request.index >= before + 3);
        return requests.some((request) => toolResults(request) === 3);
      });
      const crash = requestsFor(w.emulator, text).filter((request) => request.index >= before + 3);
      const counts = turnCounts(crash);
      expect(counts[0]).toBe(1);
      expect(counts[2]).toBe(1);
      expect(counts[3]).toBeGreaterThanOrEqual(1);
      expect(counts[3]).toBeLessThanOrEqual(2);
      const ledger = await ledgerFor(w, runId);
      expect(Object.values(ledger)).toEqual([1, 1, 1]);
      for (const count of Object.values(await hooksFor(w, runId))) expect(count).toBe(1);
    }, 200_000);

    it('killed between steps (tools done, next answer pending): nothing done is repeated', async () => {
      const w = world();
      const text = 'note task between';
      const before = w.emulator.requests.length;
      const { runId } = await crashRun(w, text, 'between', async (id) => {
        const done = (await w.ledger()).filter((row) => row.key.startsWith(`${id}/0/`)).length === 2;
        const asked = requestsFor(w.emulator, text).some(
          (request) => request.index >= before + 3 && toolResults(request) === 2,
        );
        return done && asked;
      });
      const counts = turnCounts(
        requestsFor(w.emulator, text).filter((request) => request.index >= before + 3),
      );
      expect(counts[0]).toBe(1);
      expect(counts[2]).toBeGreaterThanOrEqual(1);
      expect(counts[2]).toBeLessThanOrEqual(2);
      expect(counts[3]).toBe(1);
      expect(Object.values(await ledgerFor(w, runId))).toEqual([1, 1, 1]);
      for (const count of Object.values(await hooksFor(w, runId))) expect(count).toBe(1);
    }, 200_000);

    it('a frozen worker (SIGSTOP) is adopted; after SIGCONT there is one outcome and one side effect', async () => {
      const w = world();
      const text = 'note task frozen';
      const expected = await reference(w, text);
      slow.set(text, 'tool');
      const runId = await w.durable.start('assistant', text, { runId: 'frozen' });
      const owner = await w.waitFor('an owner', () => w.owner(runId));
      await w.waitFor('call_a running', async () =>
        (await w.ledger()).some((row) => row.key === `${runId}/0/call_a`),
      );
      const frozen = w.workers.find((worker) => worker.id === owner);
      if (frozen === undefined) throw new Error(`no worker ${owner}`);
      await w.kill(frozen, 'SIGSTOP');
      const result = await w.durable.result(runId, { timeoutMs: 90_000 });
      expect(JSON.stringify(result.messages)).toBe(expected);
      const adopter = await w.pool.query<{ adopted_by: string }>(
        'SELECT adopted_by FROM plumb_durable.workers WHERE worker_id = $1',
        [frozen.id],
      );
      expect(adopter.rows[0]?.adopted_by).not.toBe(frozen.id);
      await w.kill(frozen, 'SIGCONT');
      // The thawed worker finishes its sleeping call, loses the step to the adopter, and rejoins.
      await w.waitFor('the thawed worker to rejoin', async () => {
        const { rows } = await w.pool.query<{ adopted_by: string | null }>(
          "SELECT adopted_by FROM plumb_durable.workers WHERE worker_id = $1 AND last_seen > now() - interval '1 second'",
          [frozen.id],
        );
        return rows[0] !== undefined && rows[0].adopted_by === null;
      });
      await new Promise((resolve) => setTimeout(resolve, 3500)); // let the thawed call finish (3 s sleep)
      slow.delete(text);
      expect(await effectsFor(w, runId)).toEqual([
        `${runId}/0/call_a`,
        `${runId}/0/call_b`,
        `${runId}/1/call_c`,
      ]);
      const ledger = await ledgerFor(w, runId);
      expect(ledger[`${runId}/0/call_a`]).toBe(2); // both executions used the same key
      const status = await w.durable.status(runId);
      expect(status.status).toBe('completed');
      const ends = await w.pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM plumb_durable.events WHERE run_id = $1 AND event->>'type' = 'end'",
        [runId],
      );
      expect(ends.rows[0]?.n).toBe(1);
      expect(JSON.stringify((await w.durable.result(runId)).messages)).toBe(expected);
      for (const count of Object.values(await hooksFor(w, runId))) expect(count).toBe(1);
    }, 200_000);
  },
);
