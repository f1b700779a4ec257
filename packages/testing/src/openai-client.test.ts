import OpenAI from 'openai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startEmulator } from './emulator.js';
import type { Emulator, EmulatorOptions } from './types.js';

/** Proof that the emulator speaks the wire format the official OpenAI SDK expects. */

let emulator: Emulator;
let client: OpenAI;
const silent = { debug() {}, info() {}, warn() {}, error() {} };

async function start(options: EmulatorOptions = {}, baseSuffix = '') {
  emulator = await startEmulator(options);
  client = new OpenAI({
    apiKey: emulator.apiKey,
    baseURL: emulator.url + baseSuffix,
    maxRetries: 0,
    logger: silent,
  });
  return client;
}
afterEach(() => emulator?.close());

const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
  { role: 'user', content: 'What is the weather in Paris?' },
];
const tools: OpenAI.Chat.ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      parameters: { type: 'object', properties: { city: { type: 'string' } } },
    },
  },
];

describe('openai client against the emulator', () => {
  it('creates a non-stream completion with reasoning_content and DeepSeek usage', async () => {
    await start({ script: [{ reasoning: 'Simple.', content: 'Sunny.' }] });
    const completion = await client.chat.completions.create({ model: 'deepseek-flash', messages });
    const message = completion.choices[0]!.message as (typeof completion.choices)[0]['message'] & {
      reasoning_content: string;
    };
    expect(message.content).toBe('Sunny.');
    expect(message.reasoning_content).toBe('Simple.');
    expect(completion.usage).toMatchObject({
      completion_tokens_details: { reasoning_tokens: expect.any(Number) },
      prompt_cache_miss_tokens: expect.any(Number),
    });
    expect(emulator.requests[0]?.headers['x-stainless-lang']).toBe('js');
  });

  it('assembles streamed tool calls with the SDK stream helper', async () => {
    await start({
      script: [
        {
          toolCalls: [
            { name: 'get_weather', arguments: { city: 'Paris' } },
            { name: 'get_weather', arguments: { city: 'Lyon' } },
          ],
        },
      ],
    });
    const stream = client.chat.completions.stream({
      model: 'deepseek-flash',
      messages,
      tools,
      stream_options: { include_usage: true },
    });
    const final = await stream.finalChatCompletion();
    const calls = final.choices[0]!.message.tool_calls!;
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');
    expect(calls.map((call) => call.type === 'function' && JSON.parse(call.function.arguments))).toEqual([
      { city: 'Paris' },
      { city: 'Lyon' },
    ]);
    expect(calls[0]!.id).toMatch(/^call_00_[A-Za-z0-9]{24}$/);
    expect(final.usage?.total_tokens).toBeGreaterThan(0);
  });

  it('runs a two-step tool loop with reasoning_content passed back', async () => {
    await start({
      script: [
        { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
        {
          expect: (request) => {
            const tool = request.body.messages.at(-1);
            if (tool.role !== 'tool' || tool.content !== '21C') throw new Error('tool result missing');
          },
          content: 'It is 21C in Paris.',
        },
      ],
    });
    const first = await client.chat.completions.create({ model: 'deepseek-flash', messages, tools });
    const assistant = first.choices[0]!.message;
    const history: OpenAI.Chat.ChatCompletionMessageParam[] = [
      ...messages,
      assistant as OpenAI.Chat.ChatCompletionAssistantMessageParam,
      { role: 'tool', tool_call_id: assistant.tool_calls![0]!.id, content: '21C' },
    ];
    const second = await client.chat.completions.create({
      model: 'deepseek-flash',
      messages: history,
      tools,
    });
    expect(second.choices[0]!.message.content).toBe('It is 21C in Paris.');
    expect(second.usage?.prompt_tokens_details?.cached_tokens).toBe(
      (second.usage as any).prompt_cache_hit_tokens,
    );
    emulator.assertDone();
  });

  it('streams text deltas and parses keep-alive padding', async () => {
    await start({
      script: [
        { content: 'Hello there', fault: { keepAlive: { ms: 20, intervalMs: 5 } } },
        { content: 'Hi', fault: { keepAlive: { ms: 20, intervalMs: 5 } } },
      ],
    });
    const stream = await client.chat.completions.create({
      model: 'deepseek-flash',
      messages,
      stream: true,
      thinking: { type: 'disabled' },
    } as OpenAI.Chat.ChatCompletionCreateParamsStreaming);
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Hello there');
    const padded = await client.chat.completions.create({ model: 'deepseek-flash', messages });
    expect(padded.choices[0]!.message.content).toBe('Hi');
  });

  it.each([
    [
      { model: 'deepseek-chat' },
      OpenAI.BadRequestError,
      400,
      'The supported API model names are deepseek-v4-pro or deepseek-flash, but you passed deepseek-chat.',
    ],
    [
      { tool_choice: 'required', tools },
      OpenAI.BadRequestError,
      400,
      'Thinking mode does not support this tool_choice',
    ],
  ])('surfaces rule violations as typed errors (%#)', async (overrides, type, status, message) => {
    await start();
    const error = await client.chat.completions
      .create({
        model: 'deepseek-flash',
        messages,
        ...overrides,
      } as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ status, type: 'invalid_request_error', code: 'invalid_request_error' });
    expect((error as Error).message).toContain(message);
  });

  it.each([
    [401, OpenAI.AuthenticationError],
    [402, OpenAI.APIError],
    [429, OpenAI.RateLimitError],
    [500, OpenAI.InternalServerError],
    [503, OpenAI.InternalServerError],
  ])('surfaces a %i fault as the matching SDK error', async (status, type) => {
    await start({ faults: [{ status, headers: { 'retry-after-ms': '0' } }] });
    const error = await client.chat.completions
      .create({ model: 'deepseek-flash', messages })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(type);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(status);
    expect((error as InstanceType<typeof OpenAI.APIError>).headers?.get('x-ds-trace-id')).toMatch(
      /^[0-9a-f]{32}$/,
    );
  });

  it('retries a 429 then succeeds when the SDK is allowed to retry', async () => {
    emulator = await startEmulator({
      faults: [{ status: 429, times: 1, headers: { 'retry-after-ms': '1' } }],
    });
    const retrying = new OpenAI({
      apiKey: emulator.apiKey,
      baseURL: emulator.url,
      maxRetries: 1,
      logger: silent,
    });
    const completion = await retrying.chat.completions.create({ model: 'deepseek-flash', messages });
    expect(completion.choices[0]!.finish_reason).toBe('stop');
    expect(emulator.requests.map((request) => request.status)).toEqual([429, 200]);
  });

  it('throws the error object sent inside a 200 stream', async () => {
    await start({ script: [{ content: 'a b c', fault: { errorInStreamAt: 2, message: 'boom' } }] });
    const stream = await client.chat.completions.create({ model: 'deepseek-flash', messages, stream: true });
    const read = async () => {
      for await (const _chunk of stream) {
        // drain
      }
    };
    await expect(read()).rejects.toThrow(/boom/);
  });

  it('fails on a malformed chunk', async () => {
    await start({ script: [{ content: 'a b c', fault: { malformedChunkAt: 1 } }] });
    const stream = await client.chat.completions.create({ model: 'deepseek-flash', messages, stream: true });
    const read = async () => {
      for await (const _chunk of stream) {
        // drain
      }
    };
    await expect(read()).rejects.toThrow(SyntaxError);
  });

  it('lists models and serves FIM through the beta base URL', async () => {
    await start({ script: [{ content: ' return a + b' }] }, '/beta');
    const fim = await client.completions.create({
      model: 'deepseek-flash',
      prompt: 'def add(a, b):',
      suffix: '\n',
    });
    expect(fim.choices[0]!.text).toBe(' return a + b');
    const plain = new OpenAI({
      apiKey: emulator.apiKey,
      baseURL: emulator.url,
      maxRetries: 0,
      logger: silent,
    });
    const models = await plain.models.list();
    expect(models.data.map((model) => model.id)).toEqual(['deepseek-flash', 'deepseek-v4-pro']);
  });

  it('lets the client abort a reply that hangs after its headers', async () => {
    await start({ faults: [{ hang: true }] });
    const controller = new AbortController();
    const pending = client.chat.completions.create(
      { model: 'deepseek-flash', messages },
      { signal: controller.signal },
    );
    // Abort once the emulator has sent its headers (a fixed delay raced the request on a loaded machine).
    await vi.waitFor(() => expect(emulator.requests[0]?.status).toBe(200), { timeout: 10_000, interval: 5 });
    controller.abort();
    await expect(pending).rejects.toThrow();
    expect(emulator.requests[0]?.status).toBe(200);
  });
});
