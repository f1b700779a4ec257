import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../emulator.js';
import { PNG } from '../test-helpers.js';
import type { Emulator } from '../types.js';

let emulator: Emulator;
afterEach(() => emulator?.close());

async function messages(body: unknown, headers: Record<string, string> = {}) {
  // #region anthropic-request
  const response = await fetch(`${emulator.url}/anthropic/v1/messages`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-api-key': emulator.apiKey,
      'anthropic-version': '2023-06-01',
      ...headers,
    },
    body: JSON.stringify(body),
  });
  // #endregion
  return { status: response.status, text: await response.text() };
}

const tools = [
  { name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
];

describe('/anthropic/v1/messages', () => {
  it('answers with thinking and tool_use blocks, maps claude-opus to Pro, and takes the tool result back', async () => {
    emulator = await startEmulator({
      script: [
        {
          reasoning: 'Need the weather.',
          toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }],
        },
        { content: 'Paris: 18 °C.' },
      ],
    });
    const first = await messages({
      model: 'claude-opus-4-1',
      max_tokens: 1024,
      tools,
      messages: [{ role: 'user', content: 'Weather?' }],
    });
    expect(first.status).toBe(200);
    const message = JSON.parse(first.text);
    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-opus-4-1',
      stop_reason: 'tool_use',
    });
    expect(message.content[0]).toMatchObject({ type: 'thinking', thinking: 'Need the weather.' });
    expect(message.content[1]).toMatchObject({
      type: 'tool_use',
      name: 'get_weather',
      input: { city: 'Paris' },
    });
    expect(message.usage).toMatchObject({
      output_tokens: expect.any(Number),
      input_tokens: expect.any(Number),
    });
    expect(emulator.requests[0]!.headers['x-api-key']).not.toBe(emulator.apiKey);

    const history = [
      { role: 'user', content: 'Weather?' },
      { role: 'assistant', content: message.content },
      {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: message.content[1].id, content: '18 °C' }],
      },
    ];
    const second = await messages({
      model: 'claude-opus-4-1',
      max_tokens: 1024,
      tools,
      stream: true,
      messages: history,
    });
    const events = second.text
      .split('\n\n')
      .filter(Boolean)
      .map((block) =>
        JSON.parse(
          block
            .split('\n')
            .find((line) => line.startsWith('data: '))!
            .slice(6),
        ),
      );
    expect(events[0].type).toBe('message_start');
    expect(events.at(-1).type).toBe('message_stop');
    const text = events
      .filter((event) => event.delta?.type === 'text_delta')
      .map((event) => event.delta.text)
      .join('');
    expect(text).toBe('Paris: 18 °C.');
    expect(second.text).not.toContain('[DONE]');
    emulator.assertDone();
  });

  it("enforces DeepSeek's rules with its texts, in Anthropic's error envelope", async () => {
    emulator = await startEmulator();
    const withoutThinking = await messages({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      tools,
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'sunny' }] },
      ],
    });
    expect(withoutThinking.status).toBe(400);
    expect(JSON.parse(withoutThinking.text)).toEqual({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message: 'The `content[].thinking` in the thinking mode must be passed back to the API.',
      },
    });
    const forced = await messages({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      tools,
      tool_choice: { type: 'any' },
      messages: [{ role: 'user', content: 'Weather?' }],
    });
    expect(JSON.parse(forced.text).error.message).toBe('Thinking mode does not support this tool_choice');
    const image = {
      type: 'image',
      source: { type: 'base64', media_type: 'image/png', data: PNG.toString('base64') },
    };
    const onPro = await messages({
      model: 'claude-opus-4-1',
      max_tokens: 100,
      messages: [{ role: 'user', content: [image] }],
    });
    expect(JSON.parse(onPro.text).error.message).toBe('This model does not support image');
    const onFlash = await messages({
      model: 'claude-haiku-4-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: [image] }],
    });
    expect(onFlash.status).toBe(200);
    const fileImage = { type: 'image', source: { type: 'file', file_id: 'file-api-x' } };
    const noBeta = await messages({
      model: 'claude-haiku-4-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: [fileImage] }],
    });
    expect(JSON.parse(noBeta.text).error.message).toContain('files-api-2025-04-14');
    const searched = await messages({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      thinking: { type: 'disabled' },
      messages: [
        { role: 'user', content: 'News?' },
        {
          role: 'assistant',
          content: [
            { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'news' } },
            { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] },
            { type: 'text', text: 'Here is the news.' },
          ],
        },
        { role: 'user', content: 'Thanks' },
      ],
    });
    expect(searched.status).toBe(200);
    const redacted = await messages({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      messages: [{ role: 'assistant', content: [{ type: 'redacted_thinking', data: 'x' }] }],
    });
    expect(JSON.parse(redacted.text).error.message).toContain('redacted_thinking');
    const wrongKey = await messages({ model: 'x', max_tokens: 1, messages: [] }, { 'x-api-key': 'sk-wrong' });
    expect(wrongKey.status).toBe(401);
    expect(JSON.parse(wrongKey.text).error.type).toBe('authentication_error');
  });
});
