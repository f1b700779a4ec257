/**
 * Replays recorded DeepSeek streams (real captures, see __fixtures__/PROVENANCE.md) through the SSE
 * parser and the assembler, and through the whole client (the emulator replays them as a
 * cassette), with exact expected results.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Cassette, type CassetteInteraction, startEmulator } from '@plumb/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChatCompletionAssembler, type ChatCompletionSnapshot } from '../internal/assemble/assemble.js';
import { SSEParser } from '../internal/http/sse.js';
import { splitAt } from '../test-helpers.js';
import type { Usage } from '../wire/wire-types.js';
import { DeepSeek } from './client.js';

const LOCAL = fileURLToPath(new URL('../__fixtures__/', import.meta.url));
const SHARED = fileURLToPath(new URL('../../../../../shared/fixtures/deepseek-wire/', import.meta.url));
const hasShared = existsSync(SHARED);

type Text = string | null | { sha256: string; length: number };

interface Expected {
  chunks: number;
  id: string;
  model: string;
  fingerprint?: string;
  content: Text;
  reasoning: Text;
  toolCalls?: Array<{ id: string; name: string; arguments: string }>;
  finish: string;
  usage: Usage;
  /** Logprob entries for content and reasoning. */
  logprobs?: [number, number];
}

const usageFull = (prompt: number, completion: number, hit: number, reasoning: number): Usage => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion,
  prompt_tokens_details: { cached_tokens: hit },
  completion_tokens_details: { reasoning_tokens: reasoning },
  prompt_cache_hit_tokens: hit,
  prompt_cache_miss_tokens: prompt - hit,
});
const usageNoThink = (prompt: number, completion: number): Usage => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion,
  prompt_tokens_details: { cached_tokens: 0 },
  prompt_cache_hit_tokens: 0,
  prompt_cache_miss_tokens: prompt,
});
const V4_FLASH_FP = 'a26a7955944dc5c60445bff77fac9c8e';
const V32_FP = 'fp_eaab8d114b_prod0820_fp8_kvcache';
const weatherCall = (id: string) => [{ id, name: 'weather', arguments: '{"location": "San Francisco"}' }];

/** Every stream capture, with what it must assemble to (computed independently from the files). */
const EXPECTED: Record<string, Expected> = {
  'deepseek-logprobs.chunks.txt': {
    chunks: 6,
    id: 'logprobs-stream',
    model: 'deepseek-chat',
    content: 'Answer.',
    reasoning: 'Think more',
    finish: 'stop',
    usage: {
      prompt_tokens: 3,
      completion_tokens: 4,
      prompt_cache_hit_tokens: 1,
      prompt_cache_miss_tokens: 2,
      total_tokens: 7,
      completion_tokens_details: { reasoning_tokens: 2 },
    },
    logprobs: [2, 2],
  },
  'deepseek-logprobs.variant-cd1ee11.chunks.txt': {
    chunks: 3,
    id: '26cd6d62-9cf3-4e11-bff3-0b7bee0b2d76',
    model: 'deepseek-v4-flash',
    content: 'OK',
    reasoning: 'Reasoning',
    finish: 'stop',
    usage: {
      prompt_tokens: 9,
      completion_tokens: 2,
      total_tokens: 11,
      prompt_cache_hit_tokens: 0,
      prompt_cache_miss_tokens: 9,
    },
    logprobs: [1, 1],
  },
  'deepseek-reasoning.chunks.txt': {
    chunks: 220,
    id: 'cac7192e-e619-40c6-96b0-ed4276bc03ac',
    model: 'deepseek-reasoner',
    fingerprint: V32_FP,
    content: 'The word "strawberry" contains three "r"s.',
    reasoning: { sha256: '01a5d04ca7e849fd2fade232d01ab33b2f93c8b2cd8c4bfaa2acc0f6d86f83f5', length: 606 },
    finish: 'stop',
    usage: usageFull(18, 219, 0, 205),
  },
  'deepseek-system-fingerprint.chunks.txt': {
    chunks: 3,
    id: 'b04f00db-f3fe-480a-b94c-9a41bd8717e0',
    model: 'deepseek-v4-flash',
    fingerprint: V4_FLASH_FP,
    content: 'OK',
    reasoning: null,
    finish: 'stop',
    usage: usageNoThink(9, 1),
  },
  'deepseek-text.chunks.txt': {
    chunks: 402,
    id: 'f6117a0b-129d-46fa-b239-78f01c2c5df9',
    model: 'deepseek-chat',
    fingerprint: V32_FP,
    content: { sha256: '2293daa9001bc91d0d84ea889a31d2bc7194afed494341ec23d189a1e6b550b5', length: 1855 },
    reasoning: null,
    finish: 'length',
    usage: usageNoThink(13, 400),
  },
  'deepseek-tool-call.chunks.txt': {
    chunks: 52,
    id: 'cca85624-4056-401f-b220-d77601d1f70d',
    model: 'deepseek-reasoner',
    fingerprint: V32_FP,
    content: '',
    reasoning:
      'The user is asking for the weather in San Francisco. I need to use the weather tool to get this information. Let me invoke the weather tool with the location parameter set to "San Francisco".',
    toolCalls: weatherCall('call_00_ioIn7yN9p1ZOMNpDLwd4MgAF'),
    finish: 'tool_calls',
    usage: usageFull(339, 83, 320, 39),
  },
  'deepseek-v4-sampling-live.chunks.txt': {
    chunks: 9,
    id: 'e7ef2a45-befa-4763-a95e-961cdff87dd9',
    model: 'deepseek-v4-flash',
    fingerprint: V4_FLASH_FP,
    content: '',
    reasoning: 'We need to respond with OK.',
    finish: 'length',
    usage: usageFull(87, 8, 0, 7),
  },
  'issue-19377-logprobs.chunks.txt': {
    chunks: 3,
    id: '26cd6d62-9cf3-4e11-bff3-0b7bee0b2d76',
    model: 'deepseek-v4-flash',
    fingerprint: V4_FLASH_FP,
    content: 'OK',
    reasoning: null,
    finish: 'stop',
    usage: usageNoThink(9, 1),
    logprobs: [1, 0],
  },
  'issue-19381-thinking-reasoning.chunks.txt': {
    chunks: 4,
    id: 'd6611601-c1b0-47ba-9dea-b05359fa7e24',
    model: 'deepseek-v4-pro',
    fingerprint: 'a307abda487cd1b463329ccb945ce396',
    content: '',
    reasoning: 'We need',
    finish: 'length',
    usage: usageFull(87, 2, 0, 2),
  },
  'issue-19789-live-usage.chunks.txt': {
    chunks: 2,
    id: 'sanitized',
    model: 'deepseek-v4-flash',
    content: 'sanitized',
    reasoning: null,
    finish: 'length',
    usage: usageFull(88, 4, 0, 4),
  },
  'pr18943-v4flash-deepseek-reasoning.chunks.txt': {
    chunks: 107,
    id: 'b1e23612-29d5-4f66-b185-fb61fdde0ac9',
    model: 'deepseek-v4-flash',
    fingerprint: V4_FLASH_FP,
    content: 'There are **3** “r”s in **“strawberry”**.',
    reasoning:
      'We need answer simple. Need count r in strawberry. strawberry letters s t r a w b e r r y? Let\'s count: "strawberry" has r at position 3, and then "berry" has two r? Actually strawberry = straw + berry. "straw" has one r, "berry" has two r? b e r r y yes two. total 3 r\'s. Need answer.',
    finish: 'stop',
    usage: usageFull(97, 106, 0, 88),
  },
  'pr18943-v4flash-deepseek-tool-call.chunks.txt': {
    chunks: 30,
    id: '6e77be01-935b-42f6-8b05-d6c763528589',
    model: 'deepseek-v4-flash',
    fingerprint: V4_FLASH_FP,
    content: '',
    reasoning: 'The user asks about the weather in San Francisco. I should use the weather tool.',
    toolCalls: weatherCall('call_00_IhCAliIHtM9gKpgfqbBV9873'),
    finish: 'tool_calls',
    usage: usageFull(374, 61, 256, 17),
  },
  'deepseek-chat-2024-stream-no-include-usage.sse': {
    chunks: 30,
    id: '24cf6cd3-b4b3-46cc-9347-0928013daea0',
    model: 'deepseek-chat',
    fingerprint: 'fp_1c141eb703',
    content:
      '我是一个人工智能助手，没有具体的名称，你可以随意称呼我。如果你有任何问题或需要帮助，我会尽力为你提供支持。',
    reasoning: null,
    finish: 'stop',
    usage: {
      prompt_tokens: 12,
      completion_tokens: 28,
      total_tokens: 40,
      prompt_cache_hit_tokens: 0,
      prompt_cache_miss_tokens: 12,
    },
  },
};

/** The SSE bytes of a capture: `.sse` files as recorded, `.chunks.txt` (one payload per line) framed as DeepSeek does. */
function sseBytes(dir: string, file: string): Uint8Array {
  const text = readFileSync(dir + file, 'utf8');
  if (file.endsWith('.sse')) return new TextEncoder().encode(text);
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  return new TextEncoder().encode(`${lines.map((line) => `data: ${line}\n\n`).join('')}data: [DONE]\n\n`);
}

/** Parser + assembler, as the client's stream runs them. */
function replay(
  bytes: Uint8Array,
  cuts: number[] = [],
): { completion: ChatCompletionSnapshot; chunks: number; sawDone: boolean } {
  const parser = new SSEParser();
  const assembler = new ChatCompletionAssembler();
  let sawDone = false;
  const handle = (events: ReturnType<SSEParser['push']>) => {
    for (const event of events) {
      if (sawDone) continue;
      if (event.data === '[DONE]') sawDone = true;
      else assembler.add(JSON.parse(event.data));
    }
  };
  for (const part of splitAt(bytes, cuts)) handle(parser.push(part));
  handle(parser.end());
  expect(assembler.isFinished()).toBe(true);
  return { completion: assembler.snapshot(), chunks: assembler.chunks, sawDone };
}

function expectText(actual: string | null | undefined, expected: Text): void {
  if (expected === null) {
    expect(actual).toBeUndefined();
  } else if (typeof expected === 'string') {
    expect(actual).toBe(expected);
  } else {
    expect(actual?.length).toBe(expected.length);
    expect(
      createHash('sha256')
        .update(actual ?? '')
        .digest('hex'),
    ).toBe(expected.sha256);
  }
}

function check(completion: ChatCompletionSnapshot, chunks: number, expected: Expected): void {
  expect(chunks).toBe(expected.chunks);
  expect(completion).toMatchObject({ id: expected.id, object: 'chat.completion', model: expected.model });
  expect(completion.system_fingerprint).toBe(expected.fingerprint);
  expect(completion.choices).toHaveLength(1);
  const choice = completion.choices[0]!;
  expect(choice.finish_reason).toBe(expected.finish);
  expectText(choice.message.content, expected.content);
  expectText(choice.message.reasoning_content, expected.reasoning);
  const calls = choice.message.tool_calls?.map((call) => ({
    id: call.id,
    name: call.function.name,
    arguments: call.function.arguments,
  }));
  expect(calls).toEqual(expected.toolCalls);
  expect(completion.usage).toEqual(expected.usage);
  const [content, reasoning] = expected.logprobs ?? [0, 0];
  expect(choice.logprobs?.content?.length ?? 0).toBe(content);
  expect(choice.logprobs?.reasoning_content?.length ?? 0).toBe(reasoning);
}

const bundled = readdirSync(LOCAL).filter((file) => file.endsWith('.chunks.txt') || file.endsWith('.sse'));

describe('bundled stream captures (src/__fixtures__)', () => {
  for (const file of bundled) {
    it(`${file}: parser + assembler give the exact completion`, () => {
      const { completion, chunks, sawDone } = replay(sseBytes(LOCAL, file));
      expect(sawDone).toBe(true);
      check(completion, chunks, EXPECTED[file]!);
    });

    it(`${file}: any chunking of the bytes gives the same completion`, () => {
      const bytes = sseBytes(LOCAL, file);
      const whole = replay(bytes);
      fc.assert(
        fc.property(fc.array(fc.nat({ max: bytes.length }), { maxLength: 40 }), (cuts) => {
          expect(replay(bytes, cuts)).toEqual(whole);
        }),
        { numRuns: 60 },
      );
    });
  }

  it('byte-by-byte delivery of a capture with multi-byte characters', () => {
    const bytes = sseBytes(LOCAL, 'deepseek-chat-2024-stream-no-include-usage.sse');
    const everyByte = Array.from({ length: bytes.length }, (_, index) => index);
    expect(replay(bytes, everyByte)).toEqual(replay(bytes));
  });
});

describe.skipIf(!hasShared)(
  'every stream capture in ../shared/fixtures/deepseek-wire (skipped: folder absent in this clone)',
  () => {
    const files = hasShared
      ? readdirSync(SHARED).filter((file) => file.endsWith('.chunks.txt') || file.endsWith('.sse'))
      : [];

    it('has an exact expectation for every stream capture', () => {
      expect(files.length).toBeGreaterThan(0);
      expect(files.filter((file) => !(file in EXPECTED))).toEqual([]);
    });

    for (const file of files) {
      it(`${file}: parser + assembler give the exact completion`, () => {
        const { completion, chunks } = replay(sseBytes(SHARED, file));
        check(completion, chunks, EXPECTED[file]!);
      });
    }

    it('every capture streamed over HTTP through the client (emulator cassette, keep-alive first) assembles the same', async () => {
      const body = (file: string) => ({
        model: 'deepseek-flash',
        messages: [{ role: 'user' as const, content: file }],
        stream: true,
        stream_options: { include_usage: true },
      });
      const interactions: CassetteInteraction[] = files.map((file) => {
        const text = new TextDecoder().decode(sseBytes(SHARED, file));
        // Written in small pieces that cut lines and events at arbitrary places.
        const chunks = [': keep-alive\n\n', ...(text.match(/[\s\S]{1,97}/g) ?? [])];
        return {
          request: { method: 'POST', path: '/chat/completions', body: body(file) },
          response: { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8' }, chunks },
        };
      });
      const cassette: Cassette = { version: 1, interactions };
      const emulator = await startEmulator({ cassette });
      try {
        const client = new DeepSeek({ apiKey: emulator.apiKey, baseURL: emulator.url, maxRetries: 0 });
        for (const file of files) {
          const { model, messages } = body(file);
          const stream = client.chat.completions.stream({ model, messages });
          const completion = await stream.finalCompletion();
          check(completion, stream.chunks, EXPECTED[file]!);
          expect(completion).toEqual(replay(sseBytes(SHARED, file)).completion);
        }
        emulator.assertDone();
      } finally {
        await emulator.close();
      }
    });
  },
);
