import { describe, expect, it } from 'vitest';
import { Agent } from '../index.js';
import { weatherTool } from '../test-helpers.js';
import { scriptedModel } from '../testing/index.js';
import { distinctCallIds } from './call-ids.js';

describe('two tool calls of one turn under one id', () => {
  it('neither runs, both are answered under distinct ids, and the run goes on', async () => {
    const model = scriptedModel([
      {
        toolCalls: [
          { name: 'get_weather', arguments: { city: 'Oslo' }, id: 'call_00_same' },
          { name: 'get_weather', arguments: { city: 'Rome' }, id: 'call_00_same' },
          { name: 'get_weather', arguments: { city: 'Lima' }, id: 'call_01_other' },
        ],
      },
      { content: 'Lima only.' },
    ]);
    const ran: string[] = [];
    const result = await new Agent({ model, tools: [weatherTool(ran)] }).run('Weather?');
    // The second turn was asked with every call answered under its own id.
    const messages = model.requests[1]?.messages ?? [];
    const assistant = messages.find((message) => message.role === 'assistant');
    const ids = assistant?.role === 'assistant' ? assistant.tool_calls?.map((call) => call.id) : undefined;
    expect(ids).toEqual(['call_00_same~1', 'call_00_same~2', 'call_01_other']);
    expect(messages.flatMap((message) => (message.role === 'tool' ? [message.tool_call_id] : []))).toEqual(
      ids,
    );
    expect(ran).toEqual(['Lima']);
    expect(result.finishReason).toBe('stop');
    const calls = result.steps[0]?.toolCalls ?? [];
    expect(calls.map((call) => [call.id, call.status])).toEqual([
      ['call_00_same~1', 'error'],
      ['call_00_same~2', 'error'],
      ['call_01_other', 'ok'],
    ]);
    expect(calls[0]?.error).toMatch(/several tool calls with the id "call_00_same"/);
    expect(calls[0]?.content).toMatch(/not run/);
    model.assertDone();
  });

  it('distinctCallIds leaves a turn without duplicates as it is and never reuses a taken id', () => {
    const call = (id: string) => ({
      id,
      type: 'function' as const,
      function: { name: 'f', arguments: '{}' },
    });
    const plain = [call('a'), call('b')];
    expect(distinctCallIds(plain).calls).toBe(plain);
    const { calls, ambiguous } = distinctCallIds([call('a'), call('a~1'), call('a')]);
    expect(calls.map((each) => each.id)).toEqual(['a~2', 'a~1', 'a~3']);
    expect([...ambiguous]).toEqual([
      ['a~2', 'a'],
      ['a~3', 'a'],
    ]);
  });

  it('finds a shared id among a few calls and among many, wherever it is', () => {
    const call = (id: string) => ({
      id,
      type: 'function' as const,
      function: { name: 'f', arguments: '{}' },
    });
    const ids = (count: number) => Array.from({ length: count }, (_, i) => call(`c${i}`));
    for (const count of [1, 2, 5, 16, 17, 40]) {
      const distinct = ids(count);
      expect(distinctCallIds(distinct).calls).toBe(distinct);
      expect(distinctCallIds(distinct).ambiguous.size).toBe(0);
      if (count < 2) continue;
      const shared = [...distinct.slice(0, -1), call('c0')]; // the last repeats the first
      const { calls, ambiguous } = distinctCallIds(shared);
      expect(new Set(calls.map((each) => each.id)).size).toBe(count);
      expect(ambiguous.size).toBe(2);
    }
  });
});
