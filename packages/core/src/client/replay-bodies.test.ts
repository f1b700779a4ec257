/**
 * Replays recorded DeepSeek non-streamed bodies (real captures, see __fixtures__/PROVENANCE.md)
 * through the whole client: the emulator serves each one from a cassette, preceded by keep-alive
 * blank lines, and error bodies labelled `application/octet-stream` as DeepSeek sometimes does.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type CassetteInteraction, startEmulator } from '@plumb/testing';
import { describe, expect, it } from 'vitest';
import {
  type APIError,
  AuthenticationError,
  BadRequestError,
  InsufficientBalanceError,
} from '../errors/errors.js';
import type { ChatCompletion } from '../wire/wire-types.js';
import { DeepSeek } from './client.js';

const LOCAL = fileURLToPath(new URL('../__fixtures__/', import.meta.url));
const SHARED = fileURLToPath(new URL('../../../../../shared/fixtures/deepseek-wire/', import.meta.url));
const hasShared = existsSync(SHARED);

interface ChatExpectation {
  id: string;
  finish: string;
  content: string | { length: number };
  reasoning?: string | { length: number };
  toolCalls?: Array<[string, string]>;
  totalTokens: number;
  cacheHit: number;
  contentLogprobs?: number;
}

const CHAT: Record<string, ChatExpectation> = {
  'deepseek-chat-2024-nonstream.json': {
    id: 'dc38814f-a504-4aa4-8df7-d15c02e9b1eb',
    finish: 'stop',
    content:
      '我是一个人工智能助手，没有具体的姓名，你可以随意称呼我。如果你有任何问题或需要帮助，我会尽力为你提供支持。',
    totalTokens: 40,
    cacheHit: 0,
  },
  'deepseek-json.json': {
    id: 'f03bc170-b375-4561-9685-35182c8152c5',
    finish: 'stop',
    content: '{\n  "location": "San Francisco",\n  "condition": "cloudy",\n  "temperature": 7\n}',
    reasoning: { length: 558 },
    totalTokens: 639,
    cacheHit: 320,
  },
  'deepseek-logprobs.json': {
    id: 'logprobs-response',
    finish: 'stop',
    content: 'Answer',
    reasoning: 'Think',
    totalTokens: 5,
    cacheHit: 1,
    contentLogprobs: 1,
  },
  'deepseek-logprobs.variant-cd1ee11.json': {
    id: '7328ddb4-2f0c-424b-8b7e-6ce608710fed',
    finish: 'stop',
    content: 'OK',
    reasoning: 'Reasoning',
    totalTokens: 11,
    cacheHit: 0,
    contentLogprobs: 1,
  },
  'deepseek-reasoning.json': {
    id: '945bb10c-9bf3-47ff-a2a2-43bbe9705c72',
    finish: 'stop',
    content: { length: 107 },
    reasoning: { length: 935 },
    totalTokens: 363,
    cacheHit: 0,
  },
  'deepseek-system-fingerprint.json': {
    id: 'e76d570d-7d8b-4f31-97d8-049d9fcb88c6',
    finish: 'stop',
    content: 'OK',
    totalTokens: 10,
    cacheHit: 0,
  },
  'deepseek-text.json': {
    id: '00f10ecd-60b3-4707-b5db-e4bcadf7aea1',
    finish: 'length',
    content: { length: 1375 },
    totalTokens: 313,
    cacheHit: 0,
  },
  'deepseek-tool-call.json': {
    id: '7a630f5b-b7e6-4878-82f8-d77db164d42b',
    finish: 'tool_calls',
    content: '',
    reasoning: { length: 242 },
    toolCalls: [['weather', '{"location": "San Francisco"}']],
    totalTokens: 431,
    cacheHit: 320,
  },
  'deepseek-tool-result-image-array.json': {
    id: 'c54db585-352a-4450-a878-040474482401',
    finish: 'stop',
    content: { length: 84 },
    reasoning: 'The image shows a large white code "ORBIT 7319" and the frame color is cyan.',
    totalTokens: 576,
    cacheHit: 0,
  },
  'deepseek-tool-result-image-stringified.json': {
    id: 'b194c8ac-886b-479b-8c34-ab9fbb8a65b5',
    finish: 'length',
    content: '',
    reasoning: { length: 1093 },
    totalTokens: 26109,
    cacheHit: 25600,
  },
  'deepseek-v4-sampling-live.json': {
    id: '16aff404-df6a-4a20-a6a3-9e09b54f5cfa',
    finish: 'length',
    content: '',
    reasoning: 'We need to respond with just "OK',
    totalTokens: 95,
    cacheHit: 0,
  },
  'issue-19377-logprobs.json': {
    id: '7328ddb4-2f0c-424b-8b7e-6ce608710fed',
    finish: 'stop',
    content: 'OK',
    totalTokens: 10,
    cacheHit: 0,
    contentLogprobs: 1,
  },
  'issue-19381-thinking-reasoning.json': {
    id: 'c29cc26f-f9d0-494d-9ca7-4da830ce7fac',
    finish: 'length',
    content: '',
    reasoning: 'We need',
    totalTokens: 89,
    cacheHit: 0,
  },
  'issue-19789-live-usage.json': {
    id: 'sanitized',
    finish: 'length',
    content: 'sanitized',
    totalTokens: 92,
    cacheHit: 0,
  },
  'pr18943-v4flash-deepseek-json.json': {
    id: 'b45dc2c1-2cee-4152-9c14-85840077254b',
    finish: 'stop',
    content: '{"location":"San Francisco","condition":"cloudy","temperature":7}',
    reasoning: '',
    totalTokens: 499,
    cacheHit: 0,
  },
  'pr18943-v4flash-deepseek-tool-call.json': {
    id: '21d2ddcb-4947-4e28-a783-857aedbe6ace',
    finish: 'tool_calls',
    content: '',
    reasoning: "The user asks about weather in San Francisco. I'll call the weather tool.",
    toolCalls: [['weather', '{"location": "San Francisco"}']],
    totalTokens: 434,
    cacheHit: 0,
  },
};

const ERRORS: Record<string, { status: number; class: typeof APIError; type: string; message: string }> = {
  'error-400-context-length-exceeded.json': {
    status: 400,
    class: BadRequestError,
    type: 'invalid_request_error',
    message:
      "This model's maximum context length is 131072 tokens. However, you requested 141980 tokens (133980 in the messages, 8000 in the completion). Please reduce the length of the messages or completion.",
  },
  'error-400-deserialize-messages.json': {
    status: 400,
    class: BadRequestError,
    type: 'invalid_request_error',
    message:
      'Failed to deserialize the JSON body into the target type: messages[9]: invalid type: sequence, expected a string at line 1 column 45446',
  },
  'error-400-model-not-exist.json': {
    status: 400,
    class: BadRequestError,
    type: 'invalid_request_error',
    message: 'Model Not Exist',
  },
  'error-400-reasoning-content-must-be-passed-back.json': {
    status: 400,
    class: BadRequestError,
    type: 'invalid_request_error',
    message: 'The `reasoning_content` in the thinking mode must be passed back to the API.',
  },
  'error-400-unsupported-model-name-v4.json': {
    status: 400,
    class: BadRequestError,
    type: 'invalid_request_error',
    message:
      'The supported API model names are deepseek-v4-pro or deepseek-v4-flash, but you passed gpt-5.5.',
  },
  'error-401-authentication-fails-no-such-user.json': {
    status: 401,
    class: AuthenticationError,
    type: 'authentication_error',
    message: 'Authentication Fails (no such user)',
  },
  'error-402-insufficient-balance.json': {
    status: 402,
    class: InsufficientBalanceError,
    type: 'unknown_error',
    message: 'Insufficient Balance',
  },
};

const OTHER = new Set(['models-list-v4.json', 'user-balance.json']);

function textOf(value: string | null | undefined, expected: string | { length: number } | undefined): void {
  if (expected === undefined) expect(value).toBeUndefined();
  else if (typeof expected === 'string') expect(value).toBe(expected);
  else expect(value?.length).toBe(expected.length);
}

function checkChat(completion: ChatCompletion, expected: ChatExpectation): void {
  const choice = completion.choices[0]!;
  expect(completion.id).toBe(expected.id);
  expect(choice.finish_reason).toBe(expected.finish);
  textOf(choice.message.content, expected.content);
  textOf(choice.message.reasoning_content, expected.reasoning);
  expect(choice.message.tool_calls?.map((call) => [call.function.name, call.function.arguments])).toEqual(
    expected.toolCalls,
  );
  expect(completion.usage?.total_tokens).toBe(expected.totalTokens);
  expect(
    completion.usage?.prompt_cache_hit_tokens ?? completion.usage?.prompt_tokens_details?.cached_tokens,
  ).toBe(expected.cacheHit);
  expect(choice.logprobs?.content?.length ?? 0).toBe(expected.contentLogprobs ?? 0);
}

const chatBody = (file: string) => ({
  model: 'deepseek-flash',
  messages: [{ role: 'user' as const, content: file }],
});

/** A cassette answer for a body capture: keep-alive blank lines, then the body as recorded. */
function interaction(dir: string, file: string): CassetteInteraction {
  const body = `\n\n\n${readFileSync(dir + file, 'utf8')}`;
  if (file === 'models-list-v4.json')
    return { request: { method: 'GET', path: '/models' }, response: { status: 200, headers: {}, body } };
  if (file === 'user-balance.json')
    return {
      request: { method: 'GET', path: '/user/balance' },
      response: { status: 200, headers: {}, body },
    };
  const error = ERRORS[file];
  return {
    request: { method: 'POST', path: '/chat/completions', body: chatBody(file) },
    response: error
      ? {
          status: error.status,
          headers: { 'content-type': 'application/octet-stream', 'x-ds-trace-id': 'trace-fixture' },
          body: body.trim(),
        }
      : { status: 200, headers: { 'content-type': 'application/json' }, body },
  };
}

async function replayBodies(dir: string, files: string[]): Promise<void> {
  const emulator = await startEmulator({
    cassette: { version: 1, interactions: files.map((file) => interaction(dir, file)) },
  });
  try {
    const client = new DeepSeek({ apiKey: emulator.apiKey, baseURL: emulator.url, maxRetries: 0 });
    for (const file of files) {
      const raw = JSON.parse(readFileSync(dir + file, 'utf8'));
      if (file === 'models-list-v4.json') {
        const models = await client.models.list();
        expect(models).toEqual(raw);
        expect(models.data.map((model) => model.id)).toEqual(['deepseek-v4-flash', 'deepseek-v4-pro']);
      } else if (file === 'user-balance.json') {
        const balance = await client.user.balance();
        expect(balance).toEqual(raw);
        expect(balance.balance_infos[0]).toEqual({
          currency: 'CNY',
          total_balance: '47.44',
          granted_balance: '0.00',
          topped_up_balance: '47.44',
        });
      } else if (ERRORS[file]) {
        const expected = ERRORS[file];
        const error = (await client.chat.completions
          .create(chatBody(file))
          .catch((caught: unknown) => caught)) as APIError;
        expect(error).toBeInstanceOf(expected.class);
        expect(error).toMatchObject({
          status: expected.status,
          type: expected.type,
          code: 'invalid_request_error',
          requestId: 'trace-fixture',
        });
        expect(error.param).toBeUndefined();
        expect(error.serverMessage).toBe(expected.message);
      } else {
        const { data, timing } = await client.chat.completions.create(chatBody(file)).withResponse();
        expect(data).toEqual(raw);
        checkChat(data, CHAT[file]!);
        expect(timing.queueMs).toBeGreaterThanOrEqual(0);
      }
    }
    emulator.assertDone();
  } finally {
    await emulator.close();
  }
}

describe('bundled body captures (src/__fixtures__)', () => {
  it('parse through the client with exact values', async () => {
    await replayBodies(
      LOCAL,
      readdirSync(LOCAL).filter((file) => file.endsWith('.json')),
    );
  });
});

describe.skipIf(!hasShared)(
  'every body capture in ../shared/fixtures/deepseek-wire (skipped: folder absent in this clone)',
  () => {
    const files = hasShared ? readdirSync(SHARED).filter((file) => file.endsWith('.json')) : [];

    it('has an exact expectation for every body capture', () => {
      expect(files.length).toBeGreaterThan(0);
      expect(files.filter((file) => !(file in CHAT) && !(file in ERRORS) && !OTHER.has(file))).toEqual([]);
    });

    it('parse through the client (keep-alive padding first) with exact values', async () => {
      await replayBodies(SHARED, files);
    });
  },
);
