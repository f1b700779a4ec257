import { createDeepSeek } from '@ai-sdk/deepseek';
import {
  Agent,
  tool as agentTool,
  OpenAIChatCompletionsModel,
  OpenAIResponsesModel,
  run,
  setDefaultOpenAIClient,
  setTracingDisabled,
} from '@openai/agents';
import { generateText, stepCountIs, streamText, tool } from 'ai';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startEmulator } from './emulator.js';
import { PNG } from './test-helpers.js';
import type { Emulator, Turn } from './types.js';

/**
 * The clients people test with, against the emulator: the official `openai` client (chat,
 * Responses, files), the AI SDK's DeepSeek provider, and the OpenAI Agents SDK on both of its
 * model kinds (its default, Responses, and Chat Completions). Tracing stays off: it would upload.
 */
setTracingDisabled(true);

let emulator: Emulator;
afterEach(() => emulator?.close());

const weatherTurns = (): Turn[] => [
  { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
  {
    content: 'Paris: 18 °C.',
    expect: (request) => {
      const text = JSON.stringify(request.body);
      if (!text.includes('18')) throw new Error('the tool result was not sent back');
    },
  },
];

describe('the official openai client', () => {
  it('runs a Responses tool loop, non-streamed and streamed (semantic events, no [DONE])', async () => {
    emulator = await startEmulator({ script: [...weatherTurns(), { content: 'Streamed answer.' }] });
    const client = new OpenAI({ baseURL: emulator.url, apiKey: emulator.apiKey });
    const tools = [
      {
        type: 'function' as const,
        name: 'get_weather',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        strict: false,
      },
    ];
    const first = await client.responses.create({
      model: 'deepseek-flash',
      input: 'Weather in Paris?',
      tools,
    });
    const call = first.output.find((item) => item.type === 'function_call');
    expect(call).toMatchObject({ name: 'get_weather', arguments: '{"city": "Paris"}' });
    const reasoning = first.output.find((item) => item.type === 'reasoning');
    expect(reasoning).toBeDefined();
    const second = await client.responses.create({
      model: 'deepseek-flash',
      tools,
      input: [
        { role: 'user', content: 'Weather in Paris?' },
        ...(first.output as never[]),
        {
          type: 'function_call_output',
          call_id: call!.type === 'function_call' ? call!.call_id : '',
          output: '{"celsius": 18}',
        },
      ],
    });
    expect(second.output_text).toBe('Paris: 18 °C.');
    expect(second.usage?.input_tokens_details.cached_tokens).toBeGreaterThanOrEqual(0);

    const stream = await client.responses.create({ model: 'deepseek-flash', input: 'Hi', stream: true });
    const types: string[] = [];
    let text = '';
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') text += event.delta;
    }
    expect(text).toBe('Streamed answer.');
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    const raw = emulator.requests.at(-1)!;
    expect(raw.path).toBe('/responses');
    emulator.assertDone();
  });

  it('uploads an image through files.create and uses it by id', async () => {
    emulator = await startEmulator({ script: [{ content: 'A dot.' }] });
    const client = new OpenAI({ baseURL: emulator.url, apiKey: emulator.apiKey });
    const file = await client.files.create({
      file: new File([new Uint8Array(PNG)], 'dot.png', { type: 'image/png' }),
      purpose: 'user_data',
    });
    expect(file.id).toMatch(/^file-api-/);
    const list = await client.files.list();
    expect(list.data.map((item) => item.id)).toContain(file.id);
    const reply = await client.chat.completions.create({
      model: 'deepseek-flash',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'file', file: { file_id: file.id } } as never,
            { type: 'text', text: 'What is it?' },
          ],
        },
      ],
    });
    // openai-node nests file_id under `file`; DeepSeek documents `{ type: 'file', file_id }`: both work.
    expect(reply.choices[0]?.message.content).toBe('A dot.');
    const deleted = await client.files.delete(file.id);
    expect(deleted.deleted).toBe(true);
  });
});

describe("the AI SDK's DeepSeek provider", () => {
  it('runs a generateText tool loop and a streamText answer', async () => {
    emulator = await startEmulator({ script: [...weatherTurns(), { content: 'Streamed via the AI SDK.' }] });
    // #region ai-sdk
    const model = createDeepSeek({ apiKey: emulator.apiKey, baseURL: emulator.url }).chat('deepseek-flash');
    // #endregion
    const result = await generateText({
      model,
      prompt: 'Weather in Paris?',
      tools: {
        get_weather: tool({
          inputSchema: z.object({ city: z.string() }),
          execute: async ({ city }) => ({ city, celsius: 18 }),
        }),
      },
      stopWhen: stepCountIs(3),
    });
    expect(result.text).toBe('Paris: 18 °C.');
    expect(result.steps).toHaveLength(2);
    const stream = streamText({ model, prompt: 'Hi' });
    let text = '';
    for await (const delta of stream.textStream) text += delta;
    expect(text).toBe('Streamed via the AI SDK.');
    emulator.assertDone();
  });
});

describe('the OpenAI Agents SDK', () => {
  const getWeather = agentTool({
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: z.object({ city: z.string() }),
    execute: async ({ city }) => JSON.stringify({ city, celsius: 18 }),
  });

  it('runs a tool loop on its default model kind, the Responses API', async () => {
    // #region agents-sdk
    emulator = await startEmulator({ script: weatherTurns() });
    const client = new OpenAI({ baseURL: emulator.url, apiKey: emulator.apiKey });
    const agent = new Agent({
      name: 'weather',
      model: new OpenAIResponsesModel(client, 'deepseek-flash'), // POST /responses
      tools: [getWeather],
    });
    const result = await run(agent, 'Weather in Paris?');
    expect(result.finalOutput).toBe('Paris: 18 °C.');
    // #endregion
    expect(emulator.requests.map((request) => request.path)).toEqual(['/responses', '/responses']);
    emulator.assertDone();
  });

  it('runs with only a default client and a model name (the SDK picks Responses)', async () => {
    emulator = await startEmulator({ script: weatherTurns() });
    setDefaultOpenAIClient(new OpenAI({ baseURL: emulator.url, apiKey: emulator.apiKey }));
    const result = await run(
      new Agent({ name: 'weather', model: 'deepseek-flash', tools: [getWeather] }),
      'Weather in Paris?',
    );
    expect(result.finalOutput).toBe('Paris: 18 °C.');
    expect(emulator.requests.every((request) => request.path === '/responses')).toBe(true);
    emulator.assertDone();
  });

  it('runs a tool loop on Chat Completions', async () => {
    emulator = await startEmulator({ script: weatherTurns() });
    const client = new OpenAI({ baseURL: emulator.url, apiKey: emulator.apiKey });
    const agent = new Agent({
      name: 'weather',
      model: new OpenAIChatCompletionsModel(client, 'deepseek-flash'),
      modelSettings: { providerData: { thinking: { type: 'disabled' } } },
      tools: [getWeather],
    });
    const result = await run(agent, 'Weather in Paris?');
    expect(result.finalOutput).toBe('Paris: 18 °C.');
    emulator.assertDone();
  });
});
