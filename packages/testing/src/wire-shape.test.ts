import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from './emulator.js';
import { chat, chunksOf, send } from './test-helpers.js';
import type { Emulator } from './types.js';

/**
 * Compares the emulator's output with real DeepSeek captures: same keys in the same order, same
 * value types, same delta shapes. The captures live outside the repository, in
 * ../shared/fixtures/deepseek-wire; without that folder these tests are skipped.
 */

const fixtures = fileURLToPath(new URL('../../../../shared/fixtures/deepseek-wire/', import.meta.url));
const hasFixtures = existsSync(fixtures);

const read = (name: string) => readFileSync(fixtures + name, 'utf8');
const captureChunks = (name: string) =>
  read(name)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));

/** Keys in order and value types, not values. */
function shape(value: unknown): unknown {
  if (value === null) return null;
  if (Array.isArray(value))
    return [...new Set(value.map((item) => JSON.stringify(shape(item))))].map((item) => JSON.parse(item));
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, shape(item)]),
    );
  }
  return typeof value;
}

/** Distinct chunk shapes, in first-seen order. */
function shapes(chunks: unknown[]): string[] {
  return [...new Set(chunks.map((chunk) => JSON.stringify(shape(chunk))))];
}

const sorted = (items: string[]) => [...items].sort();

describe.skipIf(!hasFixtures)(
  'wire shapes match the real captures in ../shared/fixtures/deepseek-wire (skipped when that folder is absent)',
  () => {
    let emulator: Emulator;
    beforeAll(async () => {
      emulator = await startEmulator();
    });
    afterAll(() => emulator.close());

    const weather = {
      type: 'function',
      function: { name: 'weather', parameters: { type: 'object', properties: {} } },
    };
    const script = (turn: Parameters<Emulator['setScript']>[0]) => emulator.setScript(turn);

    it('thinking + tool call stream (pr18943 v4-flash capture)', async () => {
      script([
        {
          reasoning: 'The user asks about the weather.',
          toolCalls: [{ name: 'weather', arguments: '{"location": "San Francisco"}' }],
        },
      ]);
      const reply = await chat(emulator, {
        model: 'deepseek-v4-flash',
        stream: true,
        stream_options: { include_usage: true },
        tools: [weather],
      });
      const capture = captureChunks('pr18943-v4flash-deepseek-tool-call.chunks.txt');
      const ours = chunksOf(reply.text);
      expect(sorted(shapes(ours))).toEqual(sorted(shapes(capture)));
      const fragments = (chunks: any[]) =>
        chunks
          .filter((chunk) => chunk.choices[0].delta.tool_calls && !chunk.choices[0].delta.tool_calls[0].id)
          .map((chunk) => chunk.choices[0].delta.tool_calls[0].function.arguments);
      expect(fragments(ours)).toEqual(fragments(capture));
    });

    it('thinking stream with content (pr18943 reasoning capture)', async () => {
      script([{ reasoning: 'Let me think.', content: 'An answer.' }]);
      const reply = await chat(emulator, {
        model: 'deepseek-v4-flash',
        stream: true,
        stream_options: { include_usage: true },
      });
      expect(sorted(shapes(chunksOf(reply.text)))).toEqual(
        sorted(shapes(captureChunks('pr18943-v4flash-deepseek-reasoning.chunks.txt'))),
      );
    });

    it('thinking stream cut by length (v4-sampling-live and v4-pro captures)', async () => {
      script([{ reasoning: 'We need to respond with just OK.', content: '', finishReason: 'length' }]);
      const reply = await chat(emulator, {
        model: 'deepseek-v4-pro',
        stream: true,
        stream_options: { include_usage: true },
      });
      const ours = sorted(shapes(chunksOf(reply.text)));
      expect(ours).toEqual(sorted(shapes(captureChunks('deepseek-v4-sampling-live.chunks.txt'))));
      expect(ours).toEqual(sorted(shapes(captureChunks('issue-19381-thinking-reasoning.chunks.txt'))));
    });

    it('non-thinking stream (system-fingerprint capture) and with logprobs (issue-19377 capture)', async () => {
      script([{ content: 'OK' }, { content: 'OK' }]);
      const plain = await chat(emulator, {
        model: 'deepseek-v4-flash',
        stream: true,
        stream_options: { include_usage: true },
        thinking: { type: 'disabled' },
      });
      expect(shapes(chunksOf(plain.text))).toEqual(
        shapes(captureChunks('deepseek-system-fingerprint.chunks.txt')),
      );
      const logprobs = await chat(emulator, {
        model: 'deepseek-v4-flash',
        stream: true,
        stream_options: { include_usage: true },
        thinking: { type: 'disabled' },
        logprobs: true,
        top_logprobs: 1,
      });
      expect(shapes(chunksOf(logprobs.text))).toEqual(
        shapes(captureChunks('issue-19377-logprobs.chunks.txt')),
      );
    });

    it('non-stream bodies: tool call, plain, logprobs, length-cut reasoning', async () => {
      script([
        {
          reasoning: 'I will call the tool.',
          toolCalls: [{ name: 'weather', arguments: '{"location": "San Francisco"}' }],
        },
        { content: 'OK' },
        { content: 'OK' },
        { reasoning: 'We need', content: '', finishReason: 'length' },
      ]);
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ model: 'deepseek-v4-flash', tools: [weather] }, 'pr18943-v4flash-deepseek-tool-call.json'],
        [{ model: 'deepseek-v4-flash', thinking: { type: 'disabled' } }, 'deepseek-system-fingerprint.json'],
        [
          { model: 'deepseek-v4-flash', thinking: { type: 'disabled' }, logprobs: true, top_logprobs: 1 },
          'issue-19377-logprobs.json',
        ],
        [{ model: 'deepseek-v4-pro' }, 'issue-19381-thinking-reasoning.json'],
      ];
      for (const [body, capture] of cases) {
        const reply = await chat(emulator, body);
        expect(shape(reply.json), capture).toEqual(shape(JSON.parse(read(capture))));
      }
    });

    it('error bodies are byte-identical to the captures', async () => {
      script(undefined);
      // The V4-era text (the 2025 one was `Model Not Exist`); the emulator names today's models.
      const names = (text: string) => text.replace(/names are .*?, but/, 'names are …, but');
      expect(names((await chat(emulator, { model: 'gpt-5.5' })).text)).toBe(
        names(read('error-400-unsupported-model-name-v4.json')),
      );
      const replay = await chat(emulator, {
        tools: [weather],
        messages: [
          { role: 'user', content: 'x' },
          {
            role: 'assistant',
            content: '',
            tool_calls: [
              { id: 'call_00_a', type: 'function', function: { name: 'weather', arguments: '{}' } },
            ],
          },
          { role: 'tool', tool_call_id: 'call_00_a', content: 'sunny' },
        ],
      });
      expect(replay.text).toBe(read('error-400-reasoning-content-must-be-passed-back.json'));
      emulator.addFault({ status: 402, times: 1 });
      expect((await chat(emulator)).text).toBe(read('error-402-insufficient-balance.json'));
      emulator.addFault({ status: 401, times: 1 });
      expect((await chat(emulator)).json).toEqual(
        JSON.parse(read('error-401-authentication-fails-no-such-user.json')),
      );
    });

    /** A body with its numbers blanked, to compare texts whose counts depend on the request. */
    const withoutNumbers = (text: string) => text.replace(/\d+/g, 'N');

    it('deserialize and context-length errors have the captured wording', async () => {
      script(undefined);
      const deserialize = await chat(emulator, {
        messages: [
          { role: 'user', content: 'x' },
          { role: 'system', content: [{ type: 'text', text: 'x' }] },
        ],
      });
      expect(withoutNumbers(deserialize.text)).toBe(
        withoutNumbers(read('error-400-deserialize-messages.json')),
      );
      const small = await startEmulator({ contextWindow: 131_072 });
      try {
        const long = await chat(small, {
          messages: [{ role: 'user', content: 'x'.repeat(420_000) }],
          max_tokens: 8000,
        });
        expect(withoutNumbers(long.text)).toBe(
          withoutNumbers(read('error-400-context-length-exceeded.json')),
        );
        expect(long.json.error.message).toContain('131072 tokens');
      } finally {
        await small.close();
      }
    });

    it('balance body has the captured shape', async () => {
      const reply = await send(emulator, '/user/balance');
      expect(shape(reply.json)).toEqual(shape(JSON.parse(read('user-balance.json'))));
    });
  },
);
