import type { ChatMessage } from '@plumb/core';
import type { RecordedRequest } from '@plumb/testing';
import { describe, expect, it } from 'vitest';
import { Agent } from '../index.js';
import { chatRequests, clientFor, emulate, weatherTool } from '../test-helpers.js';

/** The `reasoning_content` of every assistant message of a request, in order. */
function replayed(request: RecordedRequest): unknown[] {
  return (request.body.messages as Array<{ role: string; reasoning_content?: unknown }>)
    .filter((message) => message.role === 'assistant')
    .map((message) => message.reasoning_content);
}

const R0 = 'The user asks about Paris. I should call get_weather for Paris first.';
const R1 = 'Paris is known now. The user also mentioned Rome, so one more call.';
const R2 = 'Both results are in. Summarize them briefly.';

describe("thinking mode: reasoning_content is replayed by protocol, whatever the model's name", () => {
  it.each(['deepseek-flash', 'deepseek-v4-pro', 'deepseek-v4-flash'])(
    "%s: every later request carries each earlier turn's full reasoning, also after-tool text and the next conversation turn",
    async (model) => {
      const emulator = await emulate({
        script: [
          { reasoning: R0, deltaSize: 5, toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
          {
            expect: (request) => expect(replayed(request)).toEqual([R0]),
            reasoning: R1,
            deltaSize: 5,
            content: 'Paris done, checking Rome.',
            toolCalls: [{ name: 'get_weather', arguments: { city: 'Rome' } }],
          },
          {
            expect: (request) => expect(replayed(request)).toEqual([R0, R1]),
            reasoning: R2,
            deltaSize: 5,
            content: 'Paris 21C, Rome 21C.',
          },
          {
            expect: (request) => expect(replayed(request)).toEqual([R0, R1, R2]),
            content: 'Same tomorrow.',
          },
        ],
      });
      const agent = new Agent({ client: clientFor(emulator), model, tools: [weatherTool()] });
      const first = await agent.run('Weather in Paris and Rome?');

      expect(first.finishReason).toBe('stop');
      expect(first.steps.map((step) => step.reasoning)).toEqual([R0, R1, R2]);
      expect(first.reasoning).toBe(R2);
      const second = await agent.run([...first.messages, { role: 'user', content: 'And tomorrow?' }]);
      expect(second.finishReason).toBe('stop');
      expect(chatRequests(emulator).every((request) => request.status === 200)).toBe(true);
      expect(chatRequests(emulator).every((request) => request.body.model === model)).toBe(true);
      emulator.assertDone();
    },
  );

  it('fills "" on user-supplied assistant turns without reasoning, tool-call turns included', async () => {
    const history: ChatMessage[] = [
      { role: 'user', content: 'Weather in Oslo?' },
      {
        role: 'assistant',
        content: '',
        tool_calls: [
          {
            id: 'call_old',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Oslo"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_old', content: '{"city":"Oslo","celsius":-3}' },
      { role: 'assistant', content: 'Oslo: -3C' },
      { role: 'user', content: 'And Bergen?' },
    ];
    const emulator = await emulate({
      script: [
        {
          expect: (request) => expect(replayed(request)).toEqual(['', '']),
          toolCalls: [{ name: 'get_weather', arguments: { city: 'Bergen' } }],
        },
        { content: 'Bergen: 21C' },
      ],
    });
    const result = await new Agent({ client: clientFor(emulator), tools: [weatherTool()] }).run(history);

    expect(result.finishReason).toBe('stop');
    expect(history[1]).not.toHaveProperty('reasoning_content');
    expect(history[3]).not.toHaveProperty('reasoning_content');
    const last = chatRequests(emulator).at(-1) as RecordedRequest;
    expect(replayed(last)).toEqual(['', '', result.steps[0]?.reasoning]);
    emulator.assertDone();
  });
});
