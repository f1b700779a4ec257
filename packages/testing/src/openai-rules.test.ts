import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from './emulator.js';
import type { Emulator } from './types.js';

/**
 * Every request rule of the emulator, seen through the official OpenAI SDK: the SDK must surface
 * DeepSeek's status as its typed error, with DeepSeek's envelope (`type`, `code`, `param`) and text.
 */

const silent = { debug() {}, info() {}, warn() {}, error() {} };
let emulator: Emulator;
let client: OpenAI;
let beta: OpenAI;

beforeAll(async () => {
  emulator = await startEmulator();
  client = new OpenAI({ apiKey: emulator.apiKey, baseURL: emulator.url, maxRetries: 0, logger: silent });
  beta = new OpenAI({
    apiKey: emulator.apiKey,
    baseURL: `${emulator.url}/beta`,
    maxRetries: 0,
    logger: silent,
  });
});
afterAll(() => emulator.close());

type Params = Record<string, unknown>;
const user = { role: 'user', content: 'What is the weather in Paris?' };
const tool = (name: string, extra: Record<string, unknown> = {}) => ({
  type: 'function',
  function: { name, parameters: { type: 'object', properties: {} }, ...extra },
});
const strictTool = (name: string, properties: Record<string, unknown>) =>
  tool(name, {
    strict: true,
    parameters: {
      type: 'object',
      properties,
      required: Object.keys(properties),
      additionalProperties: false,
    },
  });
const call = (id: string) => ({ id, type: 'function', function: { name: 'lookup', arguments: '{}' } });
const noThinking = { thinking: { type: 'disabled' } };
const toolTurn = (extra: Record<string, unknown> = {}) => ({
  role: 'assistant',
  content: '',
  tool_calls: [call('call_00_a')],
  ...extra,
});

function create(sdk: OpenAI, params: Params) {
  return sdk.chat.completions.create({
    model: 'deepseek-flash',
    messages: [user],
    ...params,
  } as never) as Promise<OpenAI.Chat.ChatCompletion>;
}

async function failure(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OpenAI.APIError);
  return error as InstanceType<typeof OpenAI.APIError>;
}

const deserialize = (detail: string) =>
  new RegExp(`^Failed to deserialize the JSON body into the target type: ${detail} at line 1 column \\d+$`);

const rules: Array<[string, 'default' | 'beta', Params, string | RegExp]> = [
  [
    'an unknown model',
    'default',
    { model: 'gpt-5' },
    'The supported API model names are deepseek-v4-pro or deepseek-flash, but you passed gpt-5.',
  ],
  [
    'a retired model',
    'default',
    { model: 'deepseek-reasoner' },
    'The supported API model names are deepseek-v4-pro or deepseek-flash, but you passed deepseek-reasoner.',
  ],
  [
    'the developer role',
    'default',
    { messages: [{ role: 'developer', content: 'Be brief.' }, user] },
    deserialize(
      'messages\\[0\\]\\.role: unknown variant `developer`, expected one of `system`, `user`, `assistant`, `tool`, `latest_reminder`',
    ),
  ],
  [
    'a tool message that answers no call',
    'default',
    { messages: [user, { role: 'tool', tool_call_id: 'call_00_a', content: '21C' }] },
    "Messages with role 'tool' must be a response to a preceding message with 'tool_calls'",
  ],
  [
    'a call left unanswered',
    'default',
    { ...noThinking, messages: [user, toolTurn(), { role: 'user', content: 'And?' }] },
    "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. (insufficient tool messages following tool_calls message)",
  ],
  [
    'an assistant turn without reasoning_content (thinking mode, tools present)',
    'default',
    {
      tools: [tool('lookup')],
      messages: [user, toolTurn(), { role: 'tool', tool_call_id: 'call_00_a', content: '21C' }],
    },
    'The `reasoning_content` in the thinking mode must be passed back to the API.',
  ],
  [
    'tool_choice "required" in thinking mode',
    'default',
    { tools: [tool('lookup')], tool_choice: 'required' },
    'Thinking mode does not support this tool_choice',
  ],
  [
    'a named tool_choice in thinking mode',
    'default',
    { tools: [tool('lookup')], tool_choice: { type: 'function', function: { name: 'lookup' } } },
    'Thinking mode does not support this tool_choice',
  ],
  [
    'tool_choice "any"',
    'default',
    { ...noThinking, tools: [tool('lookup')], tool_choice: 'any' },
    deserialize('tool_choice: expected one of `none`, `auto`, `required` or a tool'),
  ],
  [
    'stream_options without stream',
    'default',
    { stream_options: { include_usage: true } },
    "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
  ],
  [
    'max_tokens 0',
    'default',
    { max_tokens: 0 },
    'Invalid max_tokens value, the valid range of max_tokens is [1, 393216]',
  ],
  [
    'max_tokens above 384K',
    'default',
    { max_tokens: 393_217 },
    'Invalid max_tokens value, the valid range of max_tokens is [1, 393216]',
  ],
  [
    'a json_schema response format',
    'default',
    { response_format: { type: 'json_schema', json_schema: { name: 'x', schema: {} } } },
    'This response_format type is unavailable now',
  ],
  [
    'more than 128 tools',
    'default',
    { tools: Array.from({ length: 129 }, (_, index) => tool(`tool_${index}`)) },
    "Invalid 'tools': array too long. Expected an array with maximum length 128, but got an array with length 129 instead.",
  ],
  [
    'a tool name with a space',
    'default',
    { tools: [tool('get weather')] },
    "Invalid 'tools[0].function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.",
  ],
  [
    'a tool name over 128 characters',
    'default',
    { tools: [tool('a'.repeat(129))] },
    "Invalid 'tools[0].function.name': string too long. Expected a string with maximum length 128, but got a string with length 129 instead.",
  ],
  [
    'duplicate tool names',
    'default',
    { tools: [tool('lookup'), tool('lookup')] },
    /^Invalid 'tools': duplicate function name 'lookup'/,
  ],
  [
    'prefix completion outside /beta',
    'default',
    { messages: [user, { role: 'assistant', content: '```python\n', prefix: true }] },
    /^Chat prefix completion \(`prefix: true`\) is a beta feature/,
  ],
  [
    'prefix: true on a message that is not last',
    'beta',
    { messages: [{ role: 'assistant', content: 'x', prefix: true }, user] },
    'Only the last message may set `prefix: true`, and it must be an assistant message.',
  ],
  [
    'strict and non-strict tools mixed on /beta',
    'beta',
    { tools: [strictTool('a', { q: { type: 'string' } }), tool('b')] },
    /^Invalid 'tools': strict mode is all-or-nothing, but tools\[1\]\.function\.strict is not true/,
  ],
  [
    'a strict schema with an unsupported keyword on /beta',
    'beta',
    { tools: [strictTool('a', { q: { type: 'string', minLength: 1 } })] },
    "Invalid schema for function 'a': In context=('properties', 'q'), 'minLength' is not permitted.",
  ],
  [
    'a numeric reasoning_effort',
    'default',
    { reasoning_effort: 2 },
    deserialize('reasoning_effort: invalid type: integer `2`, expected enum ReasoningEffort'),
  ],
  [
    'top_logprobs above 20',
    'default',
    { logprobs: true, top_logprobs: 21 },
    'Invalid top_logprobs value, the valid range of top_logprobs is [0, 20]',
  ],
  [
    'a user_id outside its pattern',
    'default',
    { user_id: 'user 42' },
    "Invalid 'user_id': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.",
  ],
  [
    'an image for the text-only Pro model',
    'default',
    {
      model: 'deepseek-v4-pro',
      messages: [
        { role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,AA' } }] },
      ],
    },
    'This model does not support image',
  ],
  [
    'a lone surrogate in a string',
    'default',
    { messages: [{ role: 'user', content: 'broken \ud800 text' }] },
    /^Failed to parse the request body as JSON: messages\[0\]\.content: unexpected end of hex escape at line 1 column \d+$/,
  ],
];

describe('request rules through the openai SDK', () => {
  it.each(rules)('rejects %s with a 400 BadRequestError', async (_name, base, params, message) => {
    const error = await failure(create(base === 'beta' ? beta : client, params));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({
      status: 400,
      type: 'invalid_request_error',
      code: 'invalid_request_error',
    });
    expect(error.param).toBeNull();
    expect(error.error).toMatchObject({
      message: typeof message === 'string' ? message : expect.stringMatching(message),
    });
    expect(error.headers?.get('x-ds-trace-id')).toMatch(/^[0-9a-f]{32}$/);
  });

  it.each<[string, 'default' | 'beta', Params]>([
    [
      'forced tool_choice with thinking disabled',
      'default',
      { ...noThinking, tools: [tool('lookup')], tool_choice: 'required' },
    ],
    [
      'reasoning_effort "none" with a forced tool_choice',
      'default',
      { reasoning_effort: 'none', tools: [tool('lookup')], tool_choice: 'required' },
    ],
    [
      'an empty reasoning_content replayed with tools',
      'default',
      {
        tools: [tool('lookup')],
        messages: [
          user,
          toolTurn({ reasoning_content: '' }),
          { role: 'tool', tool_call_id: 'call_00_a', content: '21C' },
        ],
      },
    ],
    [
      'no reasoning_content when the request has no tools',
      'default',
      { messages: [user, { role: 'assistant', content: 'Hi' }, user] },
    ],
    [
      'strict tools outside /beta (strict is ignored there)',
      'default',
      { tools: [strictTool('a', { q: { type: 'string', minLength: 1 } }), tool('b')] },
    ],
    ['strict tools on /beta', 'beta', { tools: [strictTool('a', { q: { type: 'string' } })] }],
    [
      'prefix completion on /beta',
      'beta',
      { messages: [user, { role: 'assistant', content: 'The', prefix: true }] },
    ],
    ['a legacy model name', 'default', { model: 'deepseek-v4-flash' }],
    [
      '128 tools with 128-character names',
      'default',
      { tools: Array.from({ length: 128 }, (_, index) => tool(`${index}`.padEnd(128, 'x'))) },
    ],
  ])('accepts %s', async (_name, base, params) => {
    const completion = await create(base === 'beta' ? beta : client, params);
    expect(completion.object).toBe('chat.completion');
  });

  it('rejects a wrong key and a malformed Authorization header with 401 AuthenticationError', async () => {
    const wrongKey = new OpenAI({
      apiKey: 'sk-wrong-0123',
      baseURL: emulator.url,
      maxRetries: 0,
      logger: silent,
    });
    const wrong = await failure(create(wrongKey, {}));
    expect(wrong).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(wrong).toMatchObject({ status: 401, type: 'authentication_error', code: 'invalid_request_error' });
    expect(wrong.message).toContain('Authentication Fails, Your api key: ****0123 is invalid');
    const malformed = new OpenAI({
      apiKey: emulator.apiKey,
      baseURL: emulator.url,
      maxRetries: 0,
      logger: silent,
      defaultHeaders: { Authorization: `Token ${emulator.apiKey}` },
    });
    const format = await failure(create(malformed, {}));
    expect(format).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(format.message).toContain('Authentication Fails (auth header format should be Bearer sk-...)');
  });

  it('serves FIM only under /beta: the default base answers 404 NotFoundError naming the beta path', async () => {
    const error = await failure(client.completions.create({ model: 'deepseek-flash', prompt: 'def f():' }));
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.message).toContain('FIM completion is a beta feature: send it to `/beta/completions`');
    const fim = await beta.completions.create({ model: 'deepseek-flash', prompt: 'def f():', suffix: '\n' });
    expect(fim.object).toBe('text_completion');
  });

  it('rejects a prompt over the context window with the itemized 400', async () => {
    const small = await startEmulator({ contextWindow: 200 });
    try {
      const sdk = new OpenAI({ apiKey: small.apiKey, baseURL: small.url, maxRetries: 0, logger: silent });
      const error = await failure(
        create(sdk, { max_tokens: 100, messages: [{ role: 'user', content: 'x'.repeat(400) }] }),
      );
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error.message).toMatch(
        /This model's maximum context length is 200 tokens\. However, you requested \d+ tokens \(\d+ in the messages, 100 in the completion\)\. Please reduce the length of the messages or completion\./,
      );
    } finally {
      await small.close();
    }
  });

  it('answers 402 Insufficient Balance when the balance is exhausted', async () => {
    const broke = await startEmulator({ balance: { isAvailable: false, toppedUp: '0.00' } });
    try {
      const sdk = new OpenAI({ apiKey: broke.apiKey, baseURL: broke.url, maxRetries: 0, logger: silent });
      const error = await failure(create(sdk, {}));
      expect(error).toMatchObject({ status: 402, type: 'unknown_error', code: 'invalid_request_error' });
      expect(error.message).toContain('Insufficient Balance');
    } finally {
      await broke.close();
    }
  });
});
