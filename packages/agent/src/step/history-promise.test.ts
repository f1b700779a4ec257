import { type ChatCompletionStreamParams, type ChatMessage, type DeepSeek, deepFreeze } from '@plumb/core';
import { isAppendOnly } from '@plumb/core/internal';
import { describe, expect, it } from 'vitest';
import { Agent, type AgentOptions, deepseekModel, stepCountIs, wrapModel } from '../index.js';
import { chatRequests, clientFor, emulate, weatherTool } from '../test-helpers.js';

/**
 * The agent promises core its history array only grows (core's append-only.ts), so core reuses
 * its work on the kept prefix without comparing it with the array on every request. The promise
 * must end before any of the application's code gets the array: that code can replace a message in
 * place (the array is typed read-only, but JavaScript lets it), and core must then see the change.
 */

const script = [
  { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
  { toolCalls: [{ name: 'get_weather', arguments: { city: 'Rome' } }] },
  { content: 'done' },
];

/** Records, per request, whether the messages the client got were promised append-only. */
function recordPromises(client: DeepSeek): boolean[] {
  const seen: boolean[] = [];
  const completions = client.chat.completions;
  const stream = completions.stream.bind(completions);
  completions.stream = ((params: ChatCompletionStreamParams, options?: unknown) => {
    seen.push(isAppendOnly(params.messages));
    return stream(params, options as Parameters<typeof stream>[1]);
  }) as typeof completions.stream;
  return seen;
}

/** Replaces the run's first message in place (what a careless or hostile hook could do). */
function replaceFirst(messages: readonly ChatMessage[]): void {
  (messages as ChatMessage[])[0] = deepFreeze<ChatMessage>({ role: 'user', content: 'REPLACED' });
}

async function run(options: (client: DeepSeek) => Partial<AgentOptions>): Promise<{
  promised: boolean[];
  sent: string[];
}> {
  const emulator = await emulate({ script });
  const client = clientFor(emulator);
  const promised = recordPromises(client);
  const agent = new Agent({ client, tools: [weatherTool()], ...options(client) });
  const result = await agent.run('Weather in Paris, then Rome?');
  expect(result.finishReason).toBe('stop');
  return { promised, sent: chatRequests(emulator).map((request) => request.rawBody) };
}

describe('the history promised append-only to core', () => {
  it('is promised on every request while only the agent has it (plumb’s own stop conditions too)', async () => {
    const { promised } = await run(() => ({ stopWhen: stepCountIs(10) }));
    expect(promised).toEqual([true, true, true]);
  });

  it('is not promised once a hook has seen it', async () => {
    const { promised } = await run(() => ({ hooks: { onStepStart: () => undefined } }));
    expect(promised).toEqual([false, false, false]);
  });

  const changers: Array<[string, (client: DeepSeek) => Partial<AgentOptions>]> = [
    [
      'an onStepStart hook',
      () => ({
        hooks: {
          onStepStart: ({ stepIndex, messages }) => {
            if (stepIndex === 1) replaceFirst(messages);
          },
        },
      }),
    ],
    [
      'prepareStep (returning nothing)',
      () => ({
        prepareStep: ({ stepIndex, messages }) => {
          if (stepIndex === 1) replaceFirst(messages);
          return undefined;
        },
      }),
    ],
    [
      'a stop condition of the application',
      () => ({
        stopWhen: ({ steps, messages }) => {
          if (steps.length === 1) replaceFirst(messages);
          return false;
        },
      }),
    ],
    [
      'a compaction strategy (returning nothing)',
      () => ({
        context: {
          trigger: { tokens: 1 },
          strategies: [
            {
              name: 'careless',
              compact: ({ messages }) => {
                if (messages.length > 1) replaceFirst(messages);
                return undefined;
              },
            },
          ],
        },
      }),
    ],
    [
      'a model middleware',
      (client) => ({
        model: wrapModel(deepseekModel('deepseek-flash', { client }), {
          transformRequest: (request) => {
            if (request.stepIndex === 1) replaceFirst(request.messages);
            return request;
          },
        }),
      }),
    ],
  ];

  for (const [who, options] of changers) {
    it(`a message replaced in place by ${who} is sent as replaced`, async () => {
      const { sent } = await run(options);
      const firsts = sent.map((body) => JSON.parse(body).messages[0].content);
      expect(firsts).toEqual(['Weather in Paris, then Rome?', 'REPLACED', 'REPLACED']);
    });
  }
});
