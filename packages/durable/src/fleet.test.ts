import type { RecordedRequest, Turn } from '@plumb/testing';
import { describe, expect, it } from 'vitest';
import { DurableConfigError, type DurableEvent, RunNotFoundError } from './index.js';
import { postgresSkipReason, userText, useWorld } from './test-helpers.js';

const CAP = 2;
let active = 0;
let peak = 0;
let throttleNext: string | undefined;

async function script(request: RecordedRequest): Promise<Turn> {
  const text = userText(request);
  if (throttleNext !== undefined && text === throttleNext) {
    throttleNext = undefined;
    return { fault: { status: 429, headers: { 'retry-after-ms': '2500' } } };
  }
  active++;
  peak = Math.max(peak, active);
  // Hold each answer a little so requests of different workers overlap.
  await new Promise((resolve) => setTimeout(resolve, 100));
  active--;
  if (text.startsWith('stream'))
    return { content: 'one two three four five six seven eight', deltaSize: 4, fault: { chunkDelayMs: 60 } };
  return { content: `Answer to ${text}.` };
}

describe.skipIf(postgresSkipReason !== undefined)(
  `a fleet of workers on one Postgres${postgresSkipReason ? ` (skipped: ${postgresSkipReason})` : ''}`,
  () => {
    const world = useWorld('durable_fleet', script, { concurrencyLimit: CAP });

    it('three workers, twenty runs: never more requests in flight than the shared cap (no 429)', async () => {
      const w = world();
      // Each worker takes at most 4 runs at a time, so no single worker can dequeue all twenty.
      await Promise.all(
        ['f1', 'f2', 'f3'].map((id) =>
          w.spawnWorker(id, { MAX_IN_FLIGHT: String(CAP), WORKER_CONCURRENCY: '4' }),
        ),
      );
      const ids = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          w.durable.start('assistant', `question ${i}`, { runId: `q-${i}` }),
        ),
      );
      for (const id of ids) {
        const result = await w.durable.result(id, { timeoutMs: 60_000 });
        expect(result.text).toBe(`Answer to question ${id.slice(2)}.`);
      }
      const chat = w.emulator.requests.filter((request) => request.path.endsWith('/chat/completions'));
      expect(chat.length).toBeGreaterThanOrEqual(20);
      expect(chat.filter((request) => request.status === 429)).toEqual([]);
      expect(peak).toBeLessThanOrEqual(CAP);
      // More than one worker ran them.
      const { rows } = await w.pool.query<{ n: number }>(
        "SELECT count(DISTINCT executor_id)::int AS n FROM dbos.workflow_status WHERE workflow_uuid LIKE 'q-%'",
      );
      expect(rows[0]?.n).toBeGreaterThan(1);
    }, 200_000);

    it('a 429 seen by one worker holds every worker until the shared deadline', async () => {
      const w = world();
      const from = w.emulator.requests.length;
      throttleNext = 'burst 0';
      const ids = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          w.durable.start('assistant', `burst ${i}`, { runId: `burst-${i}` }),
        ),
      );
      for (const id of ids) await w.durable.result(id, { timeoutMs: 60_000 });
      const throttled = w.emulator.requests.slice(from).filter((request) => request.status === 429);
      expect(throttled).toHaveLength(1);
      const { rows } = await w.pool.query<{ set_at: Date; until: Date }>(
        'SELECT set_at, until FROM plumb_durable.backoff',
      );
      const backoff = rows[0];
      if (backoff === undefined) throw new Error('no shared back-off was stored');
      expect(backoff.until.getTime() - backoff.set_at.getTime()).toBeGreaterThanOrEqual(2400);
      // Requests already on their way when the deadline was stored may still land (a few ms);
      // after that, no worker sends anything until the deadline.
      const during = w.emulator.requests
        .slice(from)
        .filter((request) => {
          const at = w.arrivals.get(request.index) ?? 0;
          return at > backoff.set_at.getTime() + 250 && at < backoff.until.getTime() - 20;
        })
        .map((request) => userText(request));
      expect(during).toEqual([]);
      const after = w.emulator.requests
        .slice(from)
        .filter((request) => (w.arrivals.get(request.index) ?? 0) >= backoff.until.getTime() - 20);
      expect(after.length).toBeGreaterThan(0);
    }, 200_000);

    it('start with the same runId twice is one run; status, list, events and the result from a non-worker process', async () => {
      const w = world();
      const first = await w.durable.start('assistant', 'stream please', { runId: 'visible' });
      const again = await w.durable.start('assistant', 'stream please', { runId: 'visible' });
      expect(again).toBe(first);
      const events: DurableEvent[] = [];
      for await (const event of w.durable.events('visible')) events.push(event);
      const types = events.map((event) => event.type);
      expect(types[0]).toBe('step-start');
      expect(types.at(-1)).toBe('end');
      expect(types.filter((type) => type === 'end')).toHaveLength(1);
      const result = await w.durable.result('visible');
      expect(result.text).toBe('one two three four five six seven eight');
      expect(result.runId).toBe('visible');
      const { rows } = await w.pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM dbos.workflow_status WHERE workflow_uuid LIKE 'visible%'",
      );
      expect(rows[0]?.n).toBe(1);
      expect((await w.durable.status('visible')).status).toBe('completed');
      const listed = await w.durable.list({ status: 'completed', agent: 'assistant', limit: 500 });
      expect(listed.map((run) => run.runId)).toContain('visible');
      await expect(w.durable.status('missing')).rejects.toThrow(RunNotFoundError);
      await expect(w.durable.start('other', 'x', { runId: 'visible' })).rejects.toThrow(DurableConfigError);
      await expect(w.durable.start('assistant', 'x', { runId: 'bad id' })).rejects.toThrow(/runId/);
    }, 200_000);

    it('live deltas reach a listener, and are never stored', async () => {
      const w = world();
      await w.durable.start('assistant', 'stream slowly', { runId: 'live' });
      const events: DurableEvent[] = [];
      for await (const event of w.durable.events('live')) events.push(event);
      expect(events.some((event) => event.type === 'text-delta')).toBe(true);
      const stored = await w.pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM plumb_durable.events WHERE run_id = 'live' AND event->>'type' = 'text-delta'",
      );
      expect(stored.rows[0]?.n).toBe(0);
    }, 200_000);

    it('usage and cost per run, per agent and per day from the store', async () => {
      const w = world();
      const perRun = await w.durable.usage('run', { runId: 'visible' });
      expect(perRun).toHaveLength(1);
      expect(perRun[0]?.requests).toBe(1);
      expect(perRun[0]?.promptTokens).toBeGreaterThan(0);
      expect(perRun[0]?.cost).toBeGreaterThan(0);
      const perAgent = await w.durable.usage('agent');
      expect(perAgent.map((row) => row.key)).toEqual(['assistant']);
      expect(perAgent[0]?.requests).toBeGreaterThanOrEqual(34);
      const perDay = await w.durable.usage('day');
      expect(perDay[0]?.key).toMatch(/^\d{4}-\d\d-\d\d$/);
      expect(perDay.reduce((sum, row) => sum + row.requests, 0)).toBe(perAgent[0]?.requests);
    }, 200_000);
  },
);
