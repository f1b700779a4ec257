import type { RecordedRequest, Turn } from '@plumb/testing';
import { describe, expect, it } from 'vitest';
import { postgresSkipReason, toolResults, userText, useWorld, type World } from './test-helpers.js';

function script(request: RecordedRequest): Turn {
  if (userText(request) === 'record slowly') {
    if (toolResults(request) === 0)
      return { toolCalls: [{ name: 'record', arguments: { note: 'a' }, id: 'call_a' }] };
    return { content: 'Recorded.' };
  }
  if (toolResults(request) === 0) {
    return { toolCalls: [{ name: 'pay', arguments: { amount: 5 }, id: 'call_pay' }] };
  }
  const messages = request.body.messages as Array<{ role: string; content: string }>;
  return { content: `Done (${userText(request)}): ${messages.at(-1)?.content ?? ''}` };
}

async function paused(
  w: World,
  runId: string,
  options: { approvalExpiresInMs?: number } = {},
): Promise<void> {
  await w.durable.start('assistant', `pay for ${runId}`, { runId, ...options });
  await w.waitFor(
    'the approval request',
    async () => (await w.durable.status(runId)).status === 'awaiting_approval',
  );
  const status = await w.durable.status(runId);
  expect(status.interruptions.map((call) => [call.id, call.name, call.args])).toEqual([
    ['call_pay', 'pay', { amount: 5 }],
  ]);
}

async function payments(w: World, runId: string): Promise<number> {
  return (await w.ledger()).filter((row) => row.key === `${runId}/0/call_pay`).length;
}

async function stopAll(w: World): Promise<void> {
  for (const worker of w.workers) {
    if (worker.process.exitCode === null && worker.process.signalCode === null) await w.kill(worker);
  }
}

describe.skipIf(postgresSkipReason !== undefined)(
  `approvals end the workflow and resume exactly once${postgresSkipReason ? ` (skipped: ${postgresSkipReason})` : ''}`,
  () => {
    const world = useWorld('durable_approvals', script);

    it('approved after every worker was restarted: the run resumes once from its saved state', async () => {
      const w = world();
      await w.spawnWorker('a1');
      await paused(w, 'restart');
      // Nothing is held in memory: the workflow ends, with the state saved.
      await w.waitFor('the workflow to end', async () => {
        const { rows } = await w.pool.query<{ status: string }>(
          "SELECT status FROM dbos.workflow_status WHERE workflow_uuid = 'restart#0'",
        );
        return rows[0]?.status === 'SUCCESS';
      });
      const saved = await w.pool.query<{ state: string }>(
        "SELECT state FROM plumb_durable.runs WHERE run_id = 'restart'",
      );
      expect(saved.rows[0]?.state).toContain('call_pay');
      await stopAll(w);
      await w.spawnWorker('a2');
      const [first, second] = await Promise.all([w.durable.approve('restart'), w.durable.approve('restart')]);
      expect([first, second].filter(Boolean)).toHaveLength(1);
      const result = await w.durable.result('restart', { timeoutMs: 30_000 });
      await w.waitFor('completion', async () => (await w.durable.status('restart')).status === 'completed');
      const final = await w.durable.result('restart');
      expect(final.finishReason).toBe('stop');
      expect(final.text).toBe('Done (pay for restart): paid 5');
      expect(result).toBeDefined();
      expect(await payments(w, 'restart')).toBe(1);
      expect(await w.durable.approve('restart')).toBe(false);
    }, 200_000);

    it('an approval sent while no worker is alive waits for the next worker', async () => {
      const w = world();
      await paused(w, 'nobody');
      await stopAll(w);
      expect(await w.durable.reject('nobody', 'call_pay', { reason: 'over budget' })).toBe(true);
      expect((await w.durable.status('nobody')).status).toBe('queued');
      await w.spawnWorker('a3');
      await w.waitFor('completion', async () => (await w.durable.status('nobody')).status === 'completed');
      const final = await w.durable.result('nobody');
      expect(final.text).toContain('over budget');
      expect(await payments(w, 'nobody')).toBe(0);
    }, 200_000);

    it('an approval that expires is rejected with a reason the model reads', async () => {
      const w = world();
      await paused(w, 'expiring', { approvalExpiresInMs: 300 });
      await w.waitFor('completion', async () => (await w.durable.status('expiring')).status === 'completed');
      const final = await w.durable.result('expiring');
      expect(final.text).toMatch(/expired at \d{4}-\d\d-\d\dT/);
      expect(await payments(w, 'expiring')).toBe(0);
      await expect(w.durable.approve('expiring')).resolves.toBe(false);
    }, 200_000);

    it('resuming on a worker whose tools changed fails clearly, and runs nothing', async () => {
      const w = world();
      await paused(w, 'changed');
      await stopAll(w);
      await w.spawnWorker('a4', { TOOLSET: 'changed' });
      expect(await w.durable.approve('changed')).toBe(true);
      await w.waitFor('failure', async () => (await w.durable.status('changed')).status === 'failed');
      const status = await w.durable.status('changed');
      expect(status.error).toMatch(
        /ToolsChangedError: The tools of agent "assistant" changed since run changed paused/,
      );
      await expect(w.durable.result('changed')).rejects.toThrow(/failed: ToolsChangedError/);
      expect(await payments(w, 'changed')).toBe(0);
    }, 200_000);

    it('with stateSecret, a paused state edited in the database is refused on resume, and nothing runs', async () => {
      const w = world();
      await stopAll(w);
      await w.spawnWorker('a5', { STATE_SECRET: 'a-test-secret-of-at-least-32-characters' });
      await paused(w, 'signed');
      const { rows } = await w.pool.query<{ state: string }>(
        "SELECT state FROM plumb_durable.runs WHERE run_id = 'signed'",
      );
      expect(rows[0]?.state).toContain('pay for signed');
      await w.pool.query(
        "UPDATE plumb_durable.runs SET state = replace(state, 'pay for signed', 'pay for signed twice') WHERE run_id = 'signed'",
      );
      expect(await w.durable.approve('signed')).toBe(true);
      await w.waitFor('failure', async () => (await w.durable.status('signed')).status === 'failed');
      expect((await w.durable.status('signed')).error).toMatch(/RunStateError/);
      expect(await payments(w, 'signed')).toBe(0);
    }, 200_000);

    it('a worker restarted under the same id continues its own unfinished run (DBOS recovery)', async () => {
      const w = world();
      await stopAll(w);
      const solo = await w.spawnWorker('solo');
      // The tool of a run whose id starts with "crash-tool" takes 3 s (fixtures/worker.ts).
      const runId = await w.durable.start('assistant', 'record slowly', { runId: 'crash-tool-recover' });
      await w.waitFor('call_a running', async () =>
        (await w.ledger()).some((row) => row.key === `${runId}/0/call_a`),
      );
      await w.kill(solo);
      await w.spawnWorker('solo');
      await w.waitFor(
        'completion',
        async () => (await w.durable.status(runId)).status === 'completed',
        60_000,
      );
      expect((await w.durable.result(runId)).text).toBe('Recorded.');
      const turns = w.emulator.requests.filter((request) => userText(request) === 'record slowly');
      expect(turns.filter((request) => toolResults(request) === 0)).toHaveLength(1);
      const { rows } = await w.pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM effects WHERE key = $1',
        [`${runId}/0/call_a`],
      );
      expect(rows[0]?.n).toBe(1);
      // Nobody adopted it: the same worker id took its own run back.
      const adopted = await w.pool.query(
        "SELECT 1 FROM plumb_durable.workers WHERE worker_id = 'solo' AND adopted_by IS NOT NULL",
      );
      expect(adopted.rowCount).toBe(0);
    }, 200_000);
  },
);
