import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../emulator.js';
import { chat, errorOf, PNG, send } from '../test-helpers.js';
import type { Emulator } from '../types.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

const tool = (name: string, extra: Record<string, unknown> = {}) => ({
  type: 'function',
  function: { name, parameters: { type: 'object', properties: {} }, ...extra },
});
const call = (id: string, name = 'lookup') => ({ id, type: 'function', function: { name, arguments: '{}' } });

async function expect400(
  body: Record<string, unknown>,
  message: string | RegExp,
  path = '/chat/completions',
) {
  const reply = await chat(emulator, body, path);
  expect(reply.status).toBe(400);
  expect(errorOf(reply).type).toBe('invalid_request_error');
  if (typeof message === 'string') expect(errorOf(reply).message).toBe(message);
  else expect(errorOf(reply).message).toMatch(message);
  expect(reply.json.error).toMatchObject({ param: null, code: 'invalid_request_error' });
  return reply;
}

describe('chat request rules: deserialization', () => {
  it('rejects a body that is not JSON with a serde-style parse error', async () => {
    const reply = await send(emulator, '/chat/completions', '{"model": "deepseek-flash", "messages": [');
    expect(reply.status).toBe(400);
    expect(errorOf(reply).message).toBe(
      'Failed to parse the request body as JSON: messages: EOF while parsing a list at line 1 column 41',
    );
  });

  it('rejects the developer role with the messages[N] index and the role list', async () => {
    const body = {
      messages: [
        { role: 'system', content: 'x' },
        { role: 'developer', content: 'y' },
      ],
    };
    await expect400(
      body,
      /^Failed to deserialize the JSON body into the target type: messages\[1\]\.role: unknown variant `developer`, expected one of `system`, `user`, `assistant`, `tool`, `latest_reminder` at line 1 column \d+$/,
    );
  });

  it('rejects tool_choice "any" in either mode', async () => {
    await expect400(
      { tool_choice: 'any', tools: [tool('lookup')] },
      /tool_choice: expected one of `none`, `auto`, `required` or a tool/,
    );
    await expect400(
      { tool_choice: 'any', tools: [tool('lookup')], thinking: { type: 'disabled' } },
      /tool_choice: expected one of/,
    );
  });

  it('rejects numeric and unknown reasoning_effort values, accepts the aliases', async () => {
    await expect400({ reasoning_effort: 3 }, /reasoning_effort: invalid type: integer `3`/);
    await expect400({ reasoning_effort: 'extreme' }, /reasoning_effort: unknown variant `extreme`/);
    for (const effort of ['minimal', 'low', 'medium', 'high', 'xhigh', 'max', 'ultra', 'none']) {
      expect((await chat(emulator, { reasoning_effort: effort })).status).toBe(200);
    }
  });

  it('reports missing fields and wrong types', async () => {
    await expect400({ model: undefined }, /missing field `model` at line 1 column \d+$/);
    await expect400({ stream: 'yes' }, /stream: invalid type: string "yes", expected a boolean/);
    await expect400(
      { messages: [{ role: 'system', content: [{ type: 'text', text: 'x' }] }] },
      /messages\[0\]: invalid type: sequence, expected a string/,
    );
    await expect400(
      { messages: [{ role: 'tool', content: 'x' }] },
      /messages\[0\]: missing field `tool_call_id`/,
    );
    await expect400(
      { thinking: { type: 'adaptive' } },
      /thinking\.type: unknown variant `adaptive`, expected `enabled` or `disabled`/,
    );
  });

  it('rejects image parts for the text-only Pro model', async () => {
    const image = {
      type: 'image_url',
      image_url: { url: `data:image/png;base64,${PNG.toString('base64')}` },
    };
    const messages = [{ role: 'user', content: [{ type: 'text', text: 'see' }, image] }];
    await expect400({ model: 'deepseek-v4-pro', messages }, 'This model does not support image');
    expect((await chat(emulator, { messages })).status).toBe(200);
  });
});

describe('chat request rules: semantics', () => {
  it('answers the V4-era unsupported-model text for unknown and retired models, accepts legacy names', async () => {
    await expect400(
      { model: 'gpt-5' },
      'The supported API model names are deepseek-v4-pro or deepseek-flash, but you passed gpt-5.',
    );
    await expect400(
      { model: 'deepseek-chat' },
      'The supported API model names are deepseek-v4-pro or deepseek-flash, but you passed deepseek-chat.',
    );
    await expect400(
      { model: 'deepseek-reasoner' },
      'The supported API model names are deepseek-v4-pro or deepseek-flash, but you passed deepseek-reasoner.',
    );
    for (const model of [
      'deepseek-flash',
      'deepseek-v4-pro',
      'deepseek-v4-flash',
      'deepseek-v4-flash-vision-exp',
    ]) {
      const reply = await chat(emulator, { model });
      expect(reply.status).toBe(200);
      expect(reply.json.model).toBe(model);
    }
  });

  it('checks the max_tokens range', async () => {
    const text = 'Invalid max_tokens value, the valid range of max_tokens is [1, 393216]';
    await expect400({ max_tokens: 0 }, text);
    await expect400({ max_tokens: 393_217 }, text);
    expect((await chat(emulator, { max_tokens: 393_216 })).status).toBe(200);
  });

  it('rejects json_schema response formats and stream_options without stream', async () => {
    await expect400(
      { response_format: { type: 'json_schema', json_schema: {} } },
      'This response_format type is unavailable now',
    );
    await expect400(
      { stream_options: { include_usage: true } },
      /'stream_options' parameter is only allowed when 'stream' is enabled/,
    );
    await expect400({ stream: false, stream_options: { include_usage: true } }, /stream_options/);
    expect((await chat(emulator, { stream_options: null })).status).toBe(200);
  });

  it('validates user_id against its pattern', async () => {
    await expect400(
      { user_id: 'user 42' },
      "Invalid 'user_id': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.",
    );
    await expect400(
      { user_id: 'u'.repeat(513) },
      /'user_id': string too long. Expected a string with maximum length 512/,
    );
    expect((await chat(emulator, { user_id: 'user_42-a' })).status).toBe(200);
  });

  it('checks top_logprobs and tool_choice against the rest of the request', async () => {
    await expect400(
      { logprobs: true, top_logprobs: 21 },
      'Invalid top_logprobs value, the valid range of top_logprobs is [0, 20]',
    );
    await expect400({ top_logprobs: 2 }, /'logprobs' must be set to true/);
    const disabled = { thinking: { type: 'disabled' } };
    await expect400({ ...disabled, tool_choice: 'required' }, /only allowed when 'tools' are specified/);
    await expect400(
      {
        ...disabled,
        tools: [tool('lookup')],
        tool_choice: { type: 'function', function: { name: 'other' } },
      },
      /no function named 'other'/,
    );
  });

  it('limits tools to 128 with valid, unique names up to 128 characters', async () => {
    const many = Array.from({ length: 129 }, (_, index) => tool(`tool_${index}`));
    await expect400(
      { tools: many },
      /array too long. Expected an array with maximum length 128, but got an array with length 129/,
    );
    await expect400(
      { tools: [tool('get weather')] },
      /tools\[0\]\.function\.name': string does not match pattern/,
    );
    await expect400(
      { tools: [tool('a'.repeat(129))] },
      /string too long. Expected a string with maximum length 128/,
    );
    await expect400({ tools: [tool('lookup'), tool('lookup')] }, /duplicate function name 'lookup'/);
    expect((await chat(emulator, { tools: [tool('a'.repeat(128))] })).status).toBe(200);
  });

  it('requires tool messages to answer the preceding assistant tool calls', async () => {
    await expect400(
      {
        messages: [
          { role: 'user', content: 'x' },
          { role: 'tool', tool_call_id: 'call_1', content: 'r' },
        ],
      },
      "Messages with role 'tool' must be a response to a preceding message with 'tool_calls'",
    );
    const assistant = {
      role: 'assistant',
      content: '',
      reasoning_content: '',
      tool_calls: [call('a'), call('b')],
    };
    const unanswered =
      "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. (insufficient tool messages following tool_calls message)";
    await expect400(
      {
        thinking: { type: 'disabled' },
        messages: [
          { role: 'user', content: 'x' },
          assistant,
          { role: 'tool', tool_call_id: 'a', content: 'r' },
          { role: 'user', content: 'y' },
        ],
      },
      unanswered,
    );
    await expect400(
      { thinking: { type: 'disabled' }, messages: [{ role: 'user', content: 'x' }, assistant] },
      unanswered,
    );
    await expect400(
      {
        thinking: { type: 'disabled' },
        messages: [
          { role: 'user', content: 'x' },
          assistant,
          { role: 'tool', tool_call_id: 'zzz', content: 'r' },
        ],
      },
      "Messages with role 'tool' must be a response to a preceding message with 'tool_calls'",
    );
    const answered = {
      messages: [
        { role: 'user', content: 'x' },
        assistant,
        { role: 'tool', tool_call_id: 'b', content: 'r' },
        { role: 'tool', tool_call_id: 'a', content: 'r' },
      ],
    };
    expect((await chat(emulator, answered)).status).toBe(200);
  });

  it('enforces the reasoning_content replay rule only in thinking mode with tools', async () => {
    const history = [
      { role: 'user', content: 'x' },
      { role: 'assistant', content: 'earlier answer' },
      { role: 'user', content: 'y' },
    ];
    const text = 'The `reasoning_content` in the thinking mode must be passed back to the API.';
    await expect400({ tools: [tool('lookup')], messages: history }, text);
    const withNull = [history[0], { ...history[1], reasoning_content: null }, history[2]];
    await expect400({ tools: [tool('lookup')], messages: withNull }, text);
    const withEmpty = [history[0], { ...history[1], reasoning_content: '' }, history[2]];
    expect((await chat(emulator, { tools: [tool('lookup')], messages: withEmpty })).status).toBe(200);
    expect((await chat(emulator, { messages: history })).status).toBe(200);
    expect(
      (await chat(emulator, { tools: [tool('lookup')], messages: history, thinking: { type: 'disabled' } }))
        .status,
    ).toBe(200);
    expect(
      (await chat(emulator, { tools: [tool('lookup')], messages: history, reasoning_effort: 'none' })).status,
    ).toBe(200);
  });

  it('rejects forced tool_choice in thinking mode only', async () => {
    const named = { type: 'function', function: { name: 'lookup' } };
    await expect400(
      { tools: [tool('lookup')], tool_choice: 'required' },
      'Thinking mode does not support this tool_choice',
    );
    await expect400(
      { tools: [tool('lookup')], tool_choice: named },
      'Thinking mode does not support this tool_choice',
    );
    for (const tool_choice of ['required', named, 'auto', 'none']) {
      const body = { tools: [tool('lookup')], tool_choice, thinking: { type: 'disabled' } };
      expect((await chat(emulator, body)).status).toBe(200);
    }
    expect((await chat(emulator, { tools: [tool('lookup')], tool_choice: 'auto' })).status).toBe(200);
  });

  it('allows prefix completion only on /beta, on the last assistant message', async () => {
    const messages = [
      { role: 'user', content: 'Write code' },
      { role: 'assistant', content: '```python\n', prefix: true },
    ];
    await expect400({ messages }, /beta feature/);
    expect((await chat(emulator, { messages }, '/beta/chat/completions')).status).toBe(200);
    await expect400(
      {
        messages: [
          { role: 'assistant', content: 'x', prefix: true },
          { role: 'user', content: 'y' },
        ],
      },
      /Only the last message may set `prefix: true`/,
      '/beta/chat/completions',
    );
  });

  it('enforces strict tools on /beta (all-or-nothing, strict schema subset) and ignores strict elsewhere', async () => {
    const strictOk = tool('a', {
      strict: true,
      parameters: {
        type: 'object',
        properties: { q: { type: 'string' } },
        required: ['q'],
        additionalProperties: false,
      },
    });
    const strictBad = tool('b', {
      strict: true,
      parameters: {
        type: 'object',
        properties: { q: { type: 'string', minLength: 1 } },
        required: ['q'],
        additionalProperties: false,
      },
    });
    await expect400(
      { tools: [strictOk, tool('c')] },
      /strict mode is all-or-nothing, but tools\[1\]/,
      '/beta/chat/completions',
    );
    await expect400(
      { tools: [strictBad] },
      /Invalid schema for function 'b': In context=\('properties', 'q'\), 'minLength' is not permitted/,
      '/beta/chat/completions',
    );
    expect((await chat(emulator, { tools: [strictOk] }, '/beta/chat/completions')).status).toBe(200);
    expect((await chat(emulator, { tools: [strictBad, tool('c')] })).status).toBe(200);
  });

  it('reports the context-length error with the completion budget itemized', async () => {
    const small = await startEmulator({ contextWindow: 100 });
    try {
      const reply = await chat(small, {
        messages: [{ role: 'user', content: 'x'.repeat(300) }],
        max_tokens: 10,
      });
      expect(reply.status).toBe(400);
      expect(errorOf(reply).message).toMatch(
        /^This model's maximum context length is 100 tokens\. However, you requested \d+ tokens \(\d+ in the messages, 10 in the completion\)\. Please reduce the length of the messages or completion\.$/,
      );
    } finally {
      await small.close();
    }
  });
});
