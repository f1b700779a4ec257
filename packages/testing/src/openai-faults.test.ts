import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from './emulator.js';
import type { Emulator, EmulatorOptions } from './types.js';

/** Every fault the emulator injects, seen through the official OpenAI SDK. */

const silent = { debug() {}, info() {}, warn() {}, error() {} };
let emulator: Emulator;
let client: OpenAI;

async function start(options: EmulatorOptions) {
  emulator = await startEmulator(options);
  client = new OpenAI({ apiKey: emulator.apiKey, baseURL: emulator.url, maxRetries: 0, logger: silent });
}
afterEach(() => emulator?.close());

const base = {
  model: 'deepseek-flash',
  messages: [{ role: 'user', content: 'Hi' }] as OpenAI.Chat.ChatCompletionMessageParam[],
};
const streamParams = { ...base, stream: true, thinking: { type: 'disabled' } } as never;

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

/** Reads a stream to its end; the content text and the last finish_reason seen. */
async function drain(stream: AsyncIterable<OpenAI.Chat.ChatCompletionChunk>) {
  let text = '';
  let finishReason: string | null = null;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta.content ?? '';
    finishReason = chunk.choices[0]?.finish_reason ?? finishReason;
  }
  return { text, finishReason };
}

describe('faults through the openai SDK', () => {
  it.each([
    [400, OpenAI.BadRequestError, 'Content Exists Risk'],
    [413, OpenAI.APIError, '413'],
    [422, OpenAI.UnprocessableEntityError, 'Failed to deserialize the JSON body'],
  ])('surfaces a %i status fault as its SDK error', async (status, type, text) => {
    await start({ faults: [{ status }] });
    const error = await caught(client.chat.completions.create(base));
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ status });
    expect((error as Error).message).toContain(text);
  });

  it('answers a real 429 over the concurrency limit', async () => {
    await start({ concurrencyLimit: 1, faults: [{ hang: true, times: 1 }] });
    const controller = new AbortController();
    const hanging = caught(client.chat.completions.create(base, { signal: controller.signal }));
    for (let wait = 0; wait < 2000 && emulator.requests.length === 0; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const error = await caught(client.chat.completions.create(base));
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as Error).message).toContain(
      'Too many requests. Your current concurrency is 2, which exceeds your concurrency limit of 1',
    );
    controller.abort();
    expect(await hanging).toMatchObject({ name: expect.stringMatching(/Abort/) });
  });

  it('delivers a stream intact with delays between chunks', async () => {
    await start({ script: [{ content: 'one two three', fault: { chunkDelayMs: 2 } }] });
    const stream = await client.chat.completions.create(streamParams);
    expect(await drain(stream as never)).toEqual({ text: 'one two three', finishReason: 'stop' });
  });

  it('ends a cut stream without finish_reason, which the stream helper reports', async () => {
    await start({
      script: [
        { content: 'one two three four', fault: { cutAfterChunks: 3 } },
        { content: 'one two three four', fault: { cutAfterChunks: 3 } },
      ],
    });
    const stream = await client.chat.completions.create(streamParams);
    expect(await drain(stream as never)).toEqual({ text: 'one two', finishReason: null });
    const helper = client.chat.completions.stream({ ...base, thinking: { type: 'disabled' } } as never);
    await expect(helper.finalChatCompletion()).rejects.toThrow(/missing finish_reason/);
  });

  it('fails the iteration when the connection is cut mid-body', async () => {
    await start({
      script: [{ content: 'one two three four', fault: { cutAfterChunks: 2, cutAbruptly: true } }],
    });
    const stream = await client.chat.completions.create(streamParams);
    await expect(drain(stream as never)).rejects.toThrow();
  });

  it('lets the client abort a stream that stalls after N chunks', async () => {
    await start({ script: [{ content: 'one two three', fault: { hangAfterChunks: 2 } }] });
    const controller = new AbortController();
    const stream = await client.chat.completions.create(streamParams, { signal: controller.signal });
    const seen: OpenAI.Chat.ChatCompletionChunk[] = [];
    const reading = caught(
      (async () => {
        for await (const chunk of stream as unknown as AsyncIterable<OpenAI.Chat.ChatCompletionChunk>) {
          seen.push(chunk);
          if (seen.length === 2) controller.abort();
        }
      })(),
    );
    // The SDK ends the iteration quietly when its own request is aborted.
    expect(await reading).toBeUndefined();
    expect(seen).toHaveLength(2);
    expect(seen.every((chunk) => chunk.choices[0]?.finish_reason === null)).toBe(true);
  });

  it('reports a dropped connection as APIConnectionError, also after keep-alive padding', async () => {
    await start({
      faults: [
        { dropConnection: true, times: 1 },
        { keepAlive: { ms: 10, intervalMs: 5 }, dropConnection: true, times: 1 },
      ],
    });
    expect(await caught(client.chat.completions.create(base))).toBeInstanceOf(OpenAI.APIConnectionError);
    expect(await caught(client.chat.completions.create(base))).toBeInstanceOf(Error);
    expect(emulator.requests.map((request) => request.status)).toEqual([undefined, 200]);
  });

  it.each(['length', 'insufficient_system_resource', 'aborted'] as const)(
    'passes finish_reason %s through on a 200, streamed and not',
    async (finishReason) => {
      await start({
        script: [
          { content: 'partial', finishReason },
          { content: 'partial', finishReason },
        ],
      });
      const completion = await client.chat.completions.create(base);
      expect(completion.choices[0]).toMatchObject({
        finish_reason: finishReason,
        message: { content: 'partial' },
      });
      const stream = await client.chat.completions.create(streamParams);
      expect(await drain(stream as never)).toEqual({ text: 'partial', finishReason });
    },
  );

  it('reports prompt-cache hits in 64-token units as an SDK loop resends its history', async () => {
    await start({
      script: [{ toolCalls: [{ name: 'lookup', arguments: { q: 'x' } }] }, { content: 'Done.' }],
    });
    const tools: OpenAI.Chat.ChatCompletionTool[] = [
      { type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: {} } } },
    ];
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
      { role: 'system', content: 'You are a careful research assistant. '.repeat(40) },
      { role: 'user', content: 'Look it up.' },
    ];
    const first = await client.chat.completions.create({ ...base, messages, tools });
    const assistant = first.choices[0]!.message;
    messages.push(assistant as OpenAI.Chat.ChatCompletionAssistantMessageParam, {
      role: 'tool',
      tool_call_id: assistant.tool_calls![0]!.id,
      content: 'found',
    });
    const second = await client.chat.completions.create({ ...base, messages, tools });
    const usage = second.usage as unknown as Record<
      'prompt_tokens' | 'prompt_cache_hit_tokens' | 'prompt_cache_miss_tokens',
      number
    >;
    expect(first.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    expect(second.usage?.prompt_tokens_details?.cached_tokens).toBe(usage.prompt_cache_hit_tokens);
    expect(usage.prompt_cache_hit_tokens).toBeGreaterThan(first.usage!.prompt_tokens - 64);
    expect(usage.prompt_cache_hit_tokens % 64).toBe(0);
    expect(usage.prompt_cache_hit_tokens + usage.prompt_cache_miss_tokens).toBe(usage.prompt_tokens);
    emulator.assertDone();
  });
});
