import { tool as langchainTool } from '@langchain/core/tools';
import { ChatDeepSeek } from '@langchain/deepseek';
import { Agent, OpenAIChatCompletionsModel, run, setTracingDisabled, tool } from '@openai/agents';
import OpenAI from 'openai';
import type { RunnableToolFunctionWithParse } from 'openai/lib/RunnableFunction';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startEmulator } from './emulator.js';
import type { Emulator, RecordedRequest, Turn } from './types.js';

/**
 * What other clients get wrong on DeepSeek, measured against the emulator (which enforces
 * DeepSeek's rules: reasoning_content replayed on every assistant message of a thinking-mode tool
 * loop, no `json_schema` response format). Each test pins one finding of docs/compatibility.md;
 * when a client fixes it, the test fails and the page must change.
 */
setTracingDisabled(true);

let emulator: Emulator;
afterEach(() => emulator?.close());

const REASONING = 'The user wants the weather; call get_weather for Paris.';
const toolTurns = (): Turn[] => [
  { reasoning: REASONING, toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
  { content: 'Paris: 18 °C.' },
];
const chatRequests = (): RecordedRequest[] =>
  emulator.requests.filter((request) => request.path.endsWith('/chat/completions'));
const assistantMessages = (request: RecordedRequest | undefined) =>
  ((request?.body?.messages ?? []) as Array<Record<string, unknown>>).filter(
    (message) => message.role === 'assistant',
  );

describe('openai (the official client) on DeepSeek', () => {
  it('runTools() drops reasoning_content from the assistant turn, so the second request is a 400', async () => {
    emulator = await startEmulator({ script: toolTurns() });
    const client = new OpenAI({ baseURL: emulator.url, apiKey: emulator.apiKey, maxRetries: 0 });
    const weatherTool = {
      type: 'function',
      function: {
        name: 'get_weather',
        description: 'Weather for a city',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        function: (args: { city: string }) => ({ city: args.city, celsius: 18 }),
        parse: (text: string) => JSON.parse(text) as { city: string },
      },
    } satisfies RunnableToolFunctionWithParse<{ city: string }>;
    const runner = client.chat.completions.runTools({
      model: 'deepseek-flash',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [weatherTool],
    });
    const error = await runner.finalContent().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as Error).message).toMatch(/reasoning_content/);
    const [first, second] = chatRequests();
    expect(first?.status).toBe(200);
    expect(second?.status).toBe(400);
    expect(assistantMessages(second)).toHaveLength(1);
    expect(assistantMessages(second)[0]).not.toHaveProperty('reasoning_content');
  });

  it("the stream helper's finalChatCompletion() has no reasoning_content, though the chunks carried it", async () => {
    emulator = await startEmulator({ script: [{ reasoning: REASONING, content: 'Hello.' }] });
    const client = new OpenAI({ baseURL: emulator.url, apiKey: emulator.apiKey, maxRetries: 0 });
    const stream = client.chat.completions.stream({
      model: 'deepseek-flash',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    let streamedReasoning = '';
    for await (const chunk of stream) {
      streamedReasoning +=
        (chunk.choices[0]?.delta as { reasoning_content?: string } | undefined)?.reasoning_content ?? '';
    }
    const final = await stream.finalChatCompletion();
    expect(streamedReasoning).toBe(REASONING);
    expect(final.choices[0]?.message.content).toBe('Hello.');
    // The helper keeps the key from the first chunk (null) but never appends the reasoning deltas.
    const message = final.choices[0]?.message as { reasoning_content?: unknown } | undefined;
    expect(message?.reasoning_content).toBeNull();
  });
});

describe('@openai/agents (Chat Completions model) on DeepSeek', () => {
  const model = (client: OpenAI) => new OpenAIChatCompletionsModel(client, 'deepseek-flash');

  it('reads `reasoning`, not `reasoning_content`: the tool loop replays no reasoning and gets a 400', async () => {
    emulator = await startEmulator({ script: toolTurns() });
    const client = new OpenAI({ baseURL: emulator.url, apiKey: emulator.apiKey, maxRetries: 0 });
    const getWeather = tool({
      name: 'get_weather',
      description: 'Weather for a city',
      parameters: z.object({ city: z.string() }),
      execute: async ({ city }) => ({ city, celsius: 18 }),
    });
    const agent = new Agent({ name: 'weather', model: model(client), tools: [getWeather] });
    const error = await run(agent, 'Weather in Paris?').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    const [, second] = chatRequests();
    expect(second?.status).toBe(400);
    const replayed = assistantMessages(second);
    expect(replayed.length).toBeGreaterThan(0);
    for (const message of replayed) expect(message.reasoning_content).toBeUndefined();
  });

  it('sends response_format json_schema for outputType, which DeepSeek rejects with a 400', async () => {
    emulator = await startEmulator({ script: [{ content: '{"city": "Paris", "celsius": 18}' }] });
    const client = new OpenAI({ baseURL: emulator.url, apiKey: emulator.apiKey, maxRetries: 0 });
    const agent = new Agent({
      name: 'structured',
      model: model(client),
      outputType: z.object({ city: z.string(), celsius: z.number() }),
    });
    const error = await run(agent, 'Weather in Paris as JSON').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    const [request] = chatRequests();
    expect(request?.body.response_format?.type).toBe('json_schema');
    expect(request?.status).toBe(400);
  });
});

describe('LangChain (@langchain/deepseek ChatDeepSeek) on DeepSeek', () => {
  const chat = (maxRetries = 0) =>
    new ChatDeepSeek({
      model: 'deepseek-flash',
      apiKey: emulator.apiKey,
      configuration: { baseURL: emulator.url },
      maxRetries,
    });

  it('drops reasoning_content when the assistant turn is sent back: the tool loop gets a 400', async () => {
    emulator = await startEmulator({ script: toolTurns() });
    const getWeather = langchainTool(async ({ city }) => JSON.stringify({ city, celsius: 18 }), {
      name: 'get_weather',
      description: 'Weather for a city',
      schema: z.object({ city: z.string() }),
    });
    const model = chat().bindTools([getWeather]);
    const messages: Parameters<typeof model.invoke>[0] = [{ role: 'user', content: 'Weather in Paris?' }];
    const answer = await model.invoke(messages);
    const call = answer.tool_calls?.[0];
    expect(call?.name).toBe('get_weather');
    const error = await model
      .invoke([...messages, answer, { role: 'tool', tool_call_id: call!.id!, content: '{"celsius": 18}' }])
      .catch((caught: unknown) => caught);
    expect((error as { status?: number }).status).toBe(400);
    expect((error as Error).message).toMatch(/reasoning_content/);
    const sent = assistantMessages(chatRequests()[1]);
    expect(sent).toHaveLength(1);
    expect(sent[0]).not.toHaveProperty('reasoning_content');
  });

  it('withStructuredOutput() forces tool_choice, which thinking mode rejects with a 400', async () => {
    emulator = await startEmulator({
      script: [{ toolCalls: [{ name: 'extract', arguments: { city: 'Paris' } }] }],
    });
    const structured = chat().withStructuredOutput(z.object({ city: z.string() }), { name: 'extract' });
    const error = await structured.invoke('Which city? Paris.').catch((caught: unknown) => caught);
    expect((error as { status?: number }).status).toBe(400);
    const [request] = chatRequests();
    expect(request?.body.tool_choice).toEqual({ type: 'function', function: { name: 'extract' } });
    expect(request?.body.thinking?.type).not.toBe('disabled');
  });

  it('does not retry a 429 that has no Retry-After (DeepSeek sends none), though maxRetries is 2', async () => {
    emulator = await startEmulator({
      faults: [{ status: 429, times: 1, match: '/chat/completions' }],
      script: [{ content: 'ok' }],
    });
    const error = await chat(2)
      .invoke('Hi')
      .catch((caught: unknown) => caught);
    expect((error as { status?: number }).status).toBe(429);
    expect(chatRequests()).toHaveLength(1);
  });

  it('for contrast: the same 429 with `retry-after: 0` is retried', async () => {
    emulator = await startEmulator({
      faults: [{ status: 429, times: 1, match: '/chat/completions', headers: { 'retry-after': '0' } }],
      script: [{ content: 'ok' }],
    });
    const answer = await chat(2).invoke('Hi');
    expect(answer.content).toBe('ok');
    expect(chatRequests()).toHaveLength(2);
  });
});
