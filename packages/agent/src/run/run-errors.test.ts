import { AuthenticationError, DeepSeek, InsufficientBalanceError, StreamInterruptedError } from '@plumb/core';
import { describe, expect, it } from 'vitest';
import { Agent, AgentError, AgentRunError } from '../index.js';
import { chatRequests, clientFor, emulate, weatherTool } from '../test-helpers.js';

async function runError(promise: Promise<unknown>): Promise<AgentRunError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AgentRunError) return error;
    throw error;
  }
  throw new Error('expected the run to reject');
}

describe('failures that end a run reject with AgentRunError and keep what was done', () => {
  it('a 402 mid-run: the error carries the valid history, steps and usage so far', async () => {
    const calls: string[] = [];
    const emulator = await emulate({
      script: [
        { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
        { toolCalls: [{ name: 'get_weather', arguments: { city: 'Lyon' } }] },
        { fault: { status: 402 } },
      ],
    });
    const agent = new Agent({ client: clientFor(emulator), tools: [weatherTool(calls)] });
    const error = await runError(agent.run('Tour of France'));

    expect(error.cause).toBeInstanceOf(InsufficientBalanceError);
    expect(AgentError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/step 2/);
    expect(error.result.finishReason).toBe('error');
    expect(error.result.steps).toHaveLength(2);
    expect(calls).toEqual(['Paris', 'Lyon']);
    expect(error.result.messages.map((message) => message.role)).toEqual([
      'user',
      'assistant',
      'tool',
      'assistant',
      'tool',
    ]);
    expect(error.result.usage.total_tokens).toBeGreaterThan(0);
    expect(error.result.cost?.total).toBeGreaterThan(0);
    emulator.assertDone();
  });

  it('a 401 on the first request (and the API key appears nowhere in the error)', async () => {
    const emulator = await emulate({ apiKey: 'sk-the-right-key' });
    const client = new DeepSeek({ apiKey: 'sk-wrong-key-1234567890', baseURL: emulator.url, maxRetries: 0 });
    const error = await runError(new Agent({ client }).run('Hi'));
    expect(error.cause).toBeInstanceOf(AuthenticationError);
    expect(error.result.steps).toEqual([]);
    expect(error.result.messages).toEqual([{ role: 'user', content: 'Hi' }]);
    const text = `${error.message} ${JSON.stringify(error.result)} ${String((error.cause as Error).message)}`;
    expect(text).not.toContain('sk-wrong-key-1234567890');
  });

  it('a stream cut without finish_reason is not retried by the agent (core decides) and rejects', async () => {
    const emulator = await emulate({
      script: [
        { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
        { content: 'a long answer that will be cut', fault: { cutAfterChunks: 3 } },
      ],
    });
    const agent = new Agent({ client: clientFor(emulator, 2), tools: [weatherTool()] });
    const error = await runError(agent.run('Paris?'));
    expect(error.cause).toBeInstanceOf(StreamInterruptedError);
    expect(chatRequests(emulator)).toHaveLength(2);
    // The cut turn is the last step, with what arrived; it never enters the history.
    expect(error.result.steps).toHaveLength(2);
    expect(error.result.steps[1]).toMatchObject({ finishReason: 'error', toolCalls: [] });
    expect(error.result.messages.at(-1)?.role).toBe('tool');
    emulator.assertDone();
  });

  it('a 503 is retried by the client only (one retry layer), then succeeds', async () => {
    const emulator = await emulate({
      script: [{ fault: { status: 503, headers: { 'retry-after-ms': '0' } } }, { content: 'finally' }],
    });
    const result = await new Agent({ client: clientFor(emulator, 1) }).run('Hi');
    expect(result.text).toBe('finally');
    expect(chatRequests(emulator)).toHaveLength(2);
  });
});
