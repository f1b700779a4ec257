import type { ToolCall } from '@plumb/core';
import { resolveTools, tool } from '@plumb/tools';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { RunContext } from '../run/run-context.js';
import { planCalls } from './execute-tools.js';

const call = (id: string, name: string, args: string): ToolCall => ({
  id,
  type: 'function',
  function: { name, arguments: args },
});

const add = tool({
  name: 'add',
  description: 'Adds',
  parameters: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => a + b,
});
const checked = tool({
  name: 'checked',
  description: 'Validated by an async refinement',
  parameters: z.object({ n: z.number() }).refine(async ({ n }) => n > 0, 'n must be positive'),
  execute: ({ n }) => n,
});
const guarded = tool({
  name: 'guarded',
  description: 'Asks for approval',
  parameters: z.object({ n: z.number() }),
  needsApproval: async ({ n }) => n > 10,
  execute: ({ n }) => n,
});

function contextWith(signal = new AbortController().signal): RunContext {
  return {
    tools: { set: resolveTools([add, checked, guarded]), revisions: '' },
    signal,
    runId: 'run-1',
    data: undefined,
  } as unknown as RunContext;
}

describe('planCalls', () => {
  it('plans a turn whose arguments validate synchronously without a promise', () => {
    const planned = planCalls(
      contextWith(),
      [call('c1', 'add', '{"a":1,"b":2}'), call('c2', 'nope', '{}')],
      'tool_calls',
    );
    expect(planned).not.toBeInstanceOf(Promise);
    const plans = planned as Exclude<typeof planned, Promise<unknown>>;
    expect(plans.map(({ record }) => [record.id, record.status, record.args])).toEqual([
      ['c1', 'ok', { a: 1, b: 2 }],
      ['c2', 'error', undefined],
    ]);
    expect(plans[0]?.tool).toBe(add);
  });

  it('answers invalid, truncated and repaired arguments the same way without a promise', () => {
    const planned = planCalls(
      contextWith(),
      [call('c1', 'add', '{"a":"x","b":2}'), call('c2', 'add', "{'a':1,'b':2,}")],
      'tool_calls',
    );
    expect(planned).not.toBeInstanceOf(Promise);
    const [invalid, repaired] = planned as Exclude<typeof planned, Promise<unknown>>;
    expect(invalid?.record.status).toBe('error');
    expect(invalid?.record.content).toContain('Invalid arguments for tool "add"');
    expect(repaired?.record).toMatchObject({ status: 'ok', args: { a: 1, b: 2 } });
    const cut = planCalls(contextWith(), [call('c3', 'add', '{"a":1,"b":2}')], 'length');
    expect((cut as Exclude<typeof cut, Promise<unknown>>)[0]?.record.error).toContain('truncated');
  });

  it('waits, in call order, for an async validation and an approval check', async () => {
    const planned = planCalls(
      contextWith(),
      [
        call('c1', 'checked', '{"n":-1}'),
        call('c2', 'add', '{"a":1,"b":2}'),
        call('c3', 'guarded', '{"n":11}'),
      ],
      'tool_calls',
    );
    expect(planned).toBeInstanceOf(Promise);
    const plans = await planned;
    expect(plans.map(({ record }) => [record.id, record.status])).toEqual([
      ['c1', 'error'],
      ['c2', 'ok'],
      ['c3', 'pending'],
    ]);
    expect(plans[0]?.record.content).toContain('n must be positive');
  });

  it('runs nothing of a run already aborted: a synchronously parsed call is cancelled', () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    const planned = planCalls(
      contextWith(controller.signal),
      [call('c1', 'add', '{"a":1,"b":2}')],
      'tool_calls',
    );
    const [plan] = planned as Exclude<typeof planned, Promise<unknown>>;
    expect(plan?.record).toMatchObject({ status: 'cancelled', error: 'cancelled: the run was aborted' });
  });
});
