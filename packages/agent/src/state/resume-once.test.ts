import { tool } from '@plumb/tools';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent, RunState, RunStateError } from '../index.js';
import { clientFor, emulate } from '../test-helpers.js';

/** A transfer tool that needs approval and records every execution with its ids. */
function bank() {
  const executed: Array<{ amount: number; runId: string | undefined; key: string; callId: string }> = [];
  const transfer = tool({
    name: 'transfer',
    description: 'Sends money',
    parameters: z.object({ amount: z.number() }),
    needsApproval: true,
    execute: ({ amount }, context) => {
      executed.push({ amount, runId: context.runId, key: context.idempotencyKey, callId: context.callId });
      return `sent ${amount}`;
    },
  });
  return { transfer, executed };
}

const SCRIPT = [
  { toolCalls: [{ name: 'transfer', arguments: { amount: 100 }, id: 'call_00_t' }] },
  { content: 'Sent.' },
  { content: 'Sent again?' },
];

describe('a RunState resumes once', () => {
  it('a second resume of the same state (one after the other) is a RunStateError; the tool ran once', async () => {
    const emulator = await emulate({ script: SCRIPT });
    const { transfer, executed } = bank();
    const agent = new Agent({ client: clientFor(emulator), tools: [transfer] });
    const paused = await agent.run('Pay');
    const state = paused.state!.approve('call_00_t');
    expect((await agent.run(state)).finishReason).toBe('stop');
    expect(state.resumed).toBe(true);
    await expect(agent.run(state)).rejects.toThrow(RunStateError);
    await expect(agent.resume(state)).rejects.toThrow(/already resumed/);
    expect(() => agent.stream(state)).toThrow(RunStateError);
    expect(executed).toHaveLength(1);
  });

  it('two concurrent resumes of one state: exactly one runs', async () => {
    const emulator = await emulate({ script: SCRIPT });
    const { transfer, executed } = bank();
    const agent = new Agent({ client: clientFor(emulator), tools: [transfer] });
    const paused = await agent.run('Pay');
    const state = paused.state!.approve('call_00_t');
    const outcomes = await Promise.allSettled([agent.run(state), agent.run(state)]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    const failure = outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult;
    expect(failure.reason).toBeInstanceOf(RunStateError);
    expect(executed).toHaveLength(1);
  });

  it('the same JSON loaded twice in one process resumes once', async () => {
    const emulator = await emulate({ script: SCRIPT });
    const { transfer, executed } = bank();
    const agent = new Agent({ client: clientFor(emulator), tools: [transfer] });
    const paused = await agent.run('Pay');
    const json = JSON.stringify(paused.state);
    const first = RunState.fromJSON(json).approve('call_00_t');
    const second = RunState.fromJSON(json).approve('call_00_t');
    expect(first.id).toBe(second.id);
    await agent.run(first);
    await expect(agent.run(second)).rejects.toThrow(RunStateError);
    expect(() => second.approve('call_00_t')).toThrow(/already resumed/);
    expect(executed).toHaveLength(1);
  });

  it('an undecided resume spends the state too and returns a new one to decide on', async () => {
    const emulator = await emulate({ script: SCRIPT });
    const { transfer, executed } = bank();
    const agent = new Agent({ client: clientFor(emulator), tools: [transfer] });
    const paused = await agent.run('Pay');
    const again = await agent.run(paused.state!);
    expect(again.finishReason).toBe('interrupted');
    expect(again.state?.id).not.toBe(paused.state?.id);
    expect(again.state?.runId).toBe(paused.state?.runId);
    expect((await agent.run(again.state!.approve('call_00_t'))).finishReason).toBe('stop');
    expect(executed).toHaveLength(1);
  });
});

describe('run and call ids', () => {
  it('tools get the run id and an idempotency key that are the same before and after the pause', async () => {
    const emulator = await emulate({ script: SCRIPT });
    const { transfer, executed } = bank();
    const agent = new Agent({ client: clientFor(emulator), tools: [transfer] });
    const paused = await agent.run('Pay');
    expect(paused.runId).toMatch(/^run_[0-9a-f]{32}$/);
    expect(paused.state?.runId).toBe(paused.runId);
    const state = RunState.fromJSON(JSON.stringify(paused.state)).approve('call_00_t');
    const result = await agent.run(state);
    expect(result.runId).toBe(paused.runId);
    expect(executed).toEqual([
      { amount: 100, runId: paused.runId, key: `${paused.runId}/0/call_00_t`, callId: 'call_00_t' },
    ]);
  });

  it('each new run gets its own id', async () => {
    const emulator = await emulate({ script: [{ content: 'a' }, { content: 'b' }] });
    const agent = new Agent({ client: clientFor(emulator) });
    const [one, two] = [await agent.run('x'), await agent.run('y')];
    expect(one.runId).not.toBe(two.runId);
  });
});
