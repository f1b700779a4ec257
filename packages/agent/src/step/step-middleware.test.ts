import { describe, expect, it } from 'vitest';
import { Agent, AgentConfigError, type ModelTurn, type StepMiddleware } from '../index.js';
import type { ToolCallRecord } from '../run/result.js';
import { chatRequests, clientFor, emulate, weatherTool } from '../test-helpers.js';

const SCRIPT = [
  {
    toolCalls: [
      { name: 'get_weather', arguments: { city: 'Paris' }, id: 'call_a' },
      { name: 'get_weather', arguments: { city: 'Oslo' }, id: 'call_b' },
    ],
  },
  { content: 'Sunny in both.' },
];

describe('steps (model turn and tool call middleware)', () => {
  it('wraps every model turn and every tool call (in call order, with the idempotency key)', async () => {
    const emulator = await emulate({ script: SCRIPT });
    const seen: string[] = [];
    const steps: StepMiddleware = {
      modelTurn: async (info, next) => {
        seen.push(`turn ${info.runId} ${info.stepIndex}`);
        return next();
      },
      toolCall: async (info, next) => {
        seen.push(`call ${info.callId} ${info.name} ${info.idempotencyKey}`);
        return next();
      },
    };
    const agent = new Agent({ client: clientFor(emulator), tools: [weatherTool()], toolConcurrency: 1 });
    const result = await agent.run('Weather?', { runId: 'order-7', steps });
    expect(result.runId).toBe('order-7');
    expect(result.text).toBe('Sunny in both.');
    expect(seen).toEqual([
      'turn order-7 0',
      'call call_a get_weather order-7/0/call_a',
      'call call_b get_weather order-7/0/call_b',
      'turn order-7 1',
    ]);
  });

  it('a saved turn and a saved call record are used as they are: nothing is requested or run again', async () => {
    const first = await emulate({ script: SCRIPT });
    const turns: ModelTurn[] = [];
    const records: ToolCallRecord[] = [];
    const cities: string[] = [];
    const recording: StepMiddleware = {
      modelTurn: async (_info, next) => {
        const turn = await next();
        turns.push(structuredClone(turn));
        return turn;
      },
      toolCall: async (_info, next) => {
        const record = await next();
        records.push(structuredClone(record));
        return record;
      },
    };
    const agent = new Agent({ client: clientFor(first), tools: [weatherTool(cities)] });
    const original = await agent.run('Weather?', { runId: 'r1', steps: recording });

    const second = await emulate({ script: [] });
    const replayCities: string[] = [];
    const replaying: StepMiddleware = {
      modelTurn: async (info) => turns[info.stepIndex] as ModelTurn,
      toolCall: async (info) => records.find((record) => record.id === info.callId) as ToolCallRecord,
    };
    const replay = new Agent({ client: clientFor(second), tools: [weatherTool(replayCities)] });
    const again = await replay.run('Weather?', { runId: 'r1', steps: replaying });
    expect(chatRequests(second)).toHaveLength(0);
    expect(replayCities).toEqual([]);
    expect(cities.sort()).toEqual(['Oslo', 'Paris']);
    expect(JSON.stringify(again.messages)).toBe(JSON.stringify(original.messages));
  });

  it('wraps every hook call with a stable key; a wrapper that does not call it skips the hook', async () => {
    const emulator = await emulate({ script: SCRIPT });
    const fired: string[] = [];
    const wrapped: string[] = [];
    const agent = new Agent({
      client: clientFor(emulator),
      tools: [weatherTool()],
      toolConcurrency: 1,
      hooks: {
        onStepStart: ({ stepIndex }) => void fired.push(`start ${stepIndex}`),
        onStepEnd: ({ index }) => void fired.push(`end ${index}`),
        onToolCallStart: ({ id }) => void fired.push(`call ${id}`),
        onToolCallEnd: ({ id }) => void fired.push(`called ${id}`),
      },
    });
    const steps: StepMiddleware = {
      // As a replaying engine would: the first step's hooks already fired, so they are skipped.
      hook: async (info, call) => {
        wrapped.push(`${info.runId} ${info.stepIndex} ${info.name} ${info.key}`);
        if (info.stepIndex > 0) await call();
      },
    };
    await agent.run('Weather?', { runId: 'order-8', steps });
    expect(wrapped).toEqual([
      'order-8 0 onStepStart onStepStart:0',
      'order-8 0 onToolCallStart onToolCallStart:0:call_a',
      'order-8 0 onToolCallEnd onToolCallEnd:0:call_a',
      'order-8 0 onToolCallStart onToolCallStart:0:call_b',
      'order-8 0 onToolCallEnd onToolCallEnd:0:call_b',
      'order-8 0 onStepEnd onStepEnd:0',
      'order-8 1 onStepStart onStepStart:1',
      'order-8 1 onStepEnd onStepEnd:1',
    ]);
    expect(fired).toEqual(['start 1', 'end 1']);
  });

  it('tool-call wrappers start in call order even when an earlier call waits longer in its hook', async () => {
    const emulator = await emulate({ script: SCRIPT });
    const started: string[] = [];
    const agent = new Agent({
      client: clientFor(emulator),
      tools: [weatherTool()],
      toolConcurrency: 2,
      hooks: {
        // call_a's hook takes longer than call_b's: without the gate call_b's wrapper starts first.
        onToolCallStart: ({ id }) => new Promise((resolve) => setTimeout(resolve, id === 'call_a' ? 50 : 0)),
      },
    });
    const steps: StepMiddleware = {
      toolCall: async (info, next) => {
        started.push(info.callId);
        return next();
      },
    };
    await agent.run('Weather?', { steps });
    expect(started).toEqual(['call_a', 'call_b']);
  });

  it('a bad runId or steps option is an AgentConfigError naming it', async () => {
    const agent = new Agent({ client: clientFor(await emulate({ script: SCRIPT })) });
    await expect(agent.run('hi', { runId: 'a b' })).rejects.toThrow(AgentConfigError);
    await expect(agent.run('hi', { runId: '' })).rejects.toThrow(/runId/);
    await expect(agent.run('hi', { steps: { modelTurn: 'x' } as unknown as StepMiddleware })).rejects.toThrow(
      /steps\.modelTurn/,
    );
  });
});
