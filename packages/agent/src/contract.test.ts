import { pricesFor, ServiceUnavailableError, StreamInterruptedError } from '@plumb/core';
import { describe, expect, it } from 'vitest';
import { Agent, AgentRunError } from './index.js';
import { chatRequests, clientFor, emulate, weatherTool } from './test-helpers.js';

const TOOL_TURN = { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] };

async function rejection(promise: Promise<unknown>): Promise<AgentRunError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AgentRunError);
  return error as AgentRunError;
}

describe('the contract: result fields and step shape', () => {
  it('has text, output, reasoning, messages, steps, usage, cost, finishReason; steps[i] has toolCalls, usage, finishReason', async () => {
    const emulator = await emulate({ script: [TOOL_TURN, { content: 'Sunny' }] });
    const result = await new Agent({ client: clientFor(emulator), tools: [weatherTool()] }).run('Paris?');

    for (const field of [
      'text',
      'output',
      'reasoning',
      'messages',
      'steps',
      'usage',
      'cost',
      'finishReason',
    ]) {
      expect(result).toHaveProperty(field);
    }
    expect(result).toMatchObject({ text: 'Sunny', output: undefined, finishReason: 'stop' });
    expect(typeof result.reasoning).toBe('string');
    expect(result.steps[0]).toMatchObject({
      finishReason: 'tool_calls',
      usage: { prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) },
      toolCalls: [{ id: expect.stringMatching(/^call_/), name: 'get_weather', args: { city: 'Paris' } }],
    });
    expect(result.steps[0]?.toolCalls[0]?.result).toEqual({ city: 'Paris', celsius: 21 });
    expect(result.steps[0]?.toolCalls[0]?.error).toBeUndefined();
    expect(result.cost).toMatchObject({ currency: 'USD', total: expect.any(Number) });
  });
});

describe('usage: cache hits come from prompt_cache_hit_tokens', () => {
  it('counts DeepSeek hit/miss fields (not prompt_tokens_details.cached_tokens) per step, in totals and in cost', async () => {
    const usage = {
      prompt_tokens: 1000,
      completion_tokens: 50,
      total_tokens: 1050,
      prompt_tokens_details: { cached_tokens: 0 },
      prompt_cache_hit_tokens: 768,
      prompt_cache_miss_tokens: 232,
    };
    const emulator = await emulate({
      script: [
        { ...TOOL_TURN, usage },
        { content: 'Sunny', usage },
      ],
    });
    const result = await new Agent({ client: clientFor(emulator), tools: [weatherTool()] }).run('Paris?');

    expect(result.steps.map((step) => step.cacheHitRatio)).toEqual([0.768, 0.768]);
    expect(result.cacheHitRatio).toBe(0.768);
    expect(result.usage).toMatchObject({
      prompt_tokens: 2000,
      prompt_cache_hit_tokens: 1536,
      prompt_cache_miss_tokens: 464,
    });
    const step = result.steps[0];
    expect(step?.cost?.inputCacheHit).toBeGreaterThan(0);
    const table = pricesFor('deepseek-flash');
    const prices = (step?.cost?.peak ? table.peak : table.offPeak).USD;
    expect(step?.cost?.inputCacheHit).toBeCloseTo((768 * prices.inputCacheHit) / 1e6, 12);
    expect(step?.cost?.inputCacheMiss).toBeCloseTo((232 * prices.inputCacheMiss) / 1e6, 12);
  });
});

describe('failures: one retry layer, and nothing done is lost', () => {
  it('a 503 with maxRetries 0 is sent once: the agent adds no retry of its own', async () => {
    const emulator = await emulate({
      script: [TOOL_TURN, { fault: { status: 503 } }, { content: 'unused' }],
    });
    const agent = new Agent({ client: clientFor(emulator, 0), tools: [weatherTool()] });
    const error = await rejection(agent.run('Paris?'));

    expect(error.cause).toBeInstanceOf(ServiceUnavailableError);
    expect(chatRequests(emulator)).toHaveLength(2);
    expect(error.result.steps).toHaveLength(1);
    expect(error.result.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'tool']);
  });

  it('a stream stalled past idleTimeout (streamed internally) fails the run with the partial result', async () => {
    const emulator = await emulate({
      script: [TOOL_TURN, { content: 'a long answer that stalls', fault: { hangAfterChunks: 2 } }],
    });
    const agent = new Agent({
      client: clientFor(emulator),
      tools: [weatherTool()],
      // 1 s: long enough that a loaded machine never idles this long before the stall.
      requestOptions: { idleTimeout: 1_000 },
    });
    const error = await rejection(agent.run('Paris?'));

    expect(error.cause).toBeInstanceOf(StreamInterruptedError);
    expect((error.cause as StreamInterruptedError).reason).toBe('idle-timeout');
    // The stalled turn is kept as a last step with what arrived before the stall.
    expect(error.result.steps).toHaveLength(2);
    const stalled = error.result.steps[1]!;
    expect(stalled.finishReason).toBe('error');
    expect(stalled.toolCalls).toEqual([]);
    expect(stalled.text + stalled.reasoning).not.toBe('');
    expect(stalled.usage.total_tokens).toBe(0);
    expect(error.result.usage.total_tokens).toBe(error.result.steps[0]?.usage.total_tokens);
    expect(error.result.messages.at(-1)?.role).toBe('tool');
    emulator.assertDone();
  });

  it('an unexpected error inside the loop (a malformed usage reply) still rejects with the partial result', async () => {
    const emulator = await emulate({
      script: [TOOL_TURN, { content: 'odd', usage: { completion_tokens: -5 } }],
    });
    const agent = new Agent({ client: clientFor(emulator), tools: [weatherTool()] });
    const error = await rejection(agent.run('Paris?'));

    expect(error.message).toMatch(/completion_tokens/);
    expect(error.result.finishReason).toBe('error');
    expect(error.result.steps).toHaveLength(1);
    expect(error.result.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'tool']);
    emulator.assertDone();
  });

  it('stream(): a failed run rejects result (and the iteration) with the history, steps and usage so far', async () => {
    const emulator = await emulate({ script: [TOOL_TURN, { fault: { status: 402 } }] });
    const run = new Agent({ client: clientFor(emulator), tools: [weatherTool()] }).stream('Paris?');
    const types: string[] = [];
    const iteration = await rejection(
      (async () => {
        for await (const event of run) types.push(event.type);
      })(),
    );
    const error = await rejection(run.result);

    expect(iteration).toBe(error);
    expect(types).toContain('step-end');
    expect(types).not.toContain('end');
    expect(error.result.finishReason).toBe('error');
    expect(error.result.steps).toHaveLength(1);
    expect(error.result.usage.total_tokens).toBeGreaterThan(0);
    expect(error.result.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'tool']);
  });
});
