import { describe, expect, it } from 'vitest';
import { distinctCallIds } from './call-ids.js';
import { Agent } from './index.js';
import { clientFor, emulate, weatherTool } from './test-helpers.js';

describe('two tool calls of one turn under one id', () => {
  it('neither runs, both are answered under distinct ids, and the run goes on', async () => {
    const emulator = await emulate({
      script: [
        {
          toolCalls: [
            { name: 'get_weather', arguments: { city: 'Oslo' }, id: 'call_00_same' },
            { name: 'get_weather', arguments: { city: 'Rome' }, id: 'call_00_same' },
            { name: 'get_weather', arguments: { city: 'Lima' }, id: 'call_01_other' },
          ],
        },
        {
          expect: (request) => {
            const messages = request.body.messages as Array<{
              role: string;
              tool_call_id?: string;
              tool_calls?: Array<{ id: string }>;
            }>;
            const assistant = messages.find((message) => message.role === 'assistant');
            const ids = assistant?.tool_calls?.map((call) => call.id);
            expect(ids).toEqual(['call_00_same~1', 'call_00_same~2', 'call_01_other']);
            expect(
              messages.filter((message) => message.role === 'tool').map((message) => message.tool_call_id),
            ).toEqual(ids);
          },
          content: 'Lima only.',
        },
      ],
    });
    const ran: string[] = [];
    const result = await new Agent({ client: clientFor(emulator), tools: [weatherTool(ran)] }).run(
      'Weather?',
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
    emulator.assertDone();
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
});
