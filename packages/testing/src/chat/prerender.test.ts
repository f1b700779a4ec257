import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../emulator.js';
import { chat, chunksOf, dataPayloads } from '../test-helpers.js';
import type { Emulator, Turn } from '../types.js';

let emulator: Emulator;
afterEach(() => emulator?.close());

const noThinking = { thinking: { type: 'disabled' } };
const streamed = { ...noThinking, stream: true };

/** An emulator whose script answers every chat request with the same turn object. */
async function serving(turn: Turn) {
  emulator = await startEmulator({ script: () => turn });
  return emulator;
}

/** The SSE body without its last chunk (the one carrying usage) and `[DONE]`. */
const bodyBeforeUsage = (text: string) => text.slice(0, text.lastIndexOf('data: {'));

describe('pre-rendered turns (turn.prerender)', () => {
  it('serves the same stream bytes every time, with usage computed per request', async () => {
    await serving({ content: 'A long answer, rendered once.', prerender: true });
    const first = await chat(emulator, streamed);
    const second = await chat(emulator, {
      ...streamed,
      messages: [{ role: 'user', content: 'A different, longer question this time' }],
    });
    expect(bodyBeforeUsage(second.text)).toBe(bodyBeforeUsage(first.text));
    const [a, b] = [chunksOf(first.text), chunksOf(second.text)];
    expect(a.map((chunk) => chunk.choices[0].delta.content).join('')).toBe('A long answer, rendered once.');
    expect(b.at(-1).id).toBe(a[0].id);
    expect(b.at(-1).choices[0]).toEqual({
      index: 0,
      delta: { content: '' },
      logprobs: null,
      finish_reason: 'stop',
    });
    expect(b.at(-1).usage.prompt_tokens).toBeGreaterThan(a.at(-1).usage.prompt_tokens);
    expect(dataPayloads(second.text).at(-1)).toBe('[DONE]');
    expect(emulator.turnsServed()).toBe(2);
  });

  it('renders afresh without the flag (new id per request)', async () => {
    await serving({ content: 'Rendered per request.' });
    const [a, b] = [await chat(emulator, streamed), await chat(emulator, streamed)];
    expect(chunksOf(a.text)[0].id).not.toBe(chunksOf(b.text)[0].id);
  });

  it('keeps one rendering per request variant (stream or not, thinking, include_usage)', async () => {
    await serving({ content: 'Variant answer.', reasoning: 'Thought.', prerender: true });
    const plain = await chat(emulator, noThinking);
    const plainAgain = await chat(emulator, noThinking);
    expect(plainAgain.json.id).toBe(plain.json.id);
    expect(plain.json.choices[0].message).toEqual({ role: 'assistant', content: 'Variant answer.' });
    const thinking = await chat(emulator);
    expect(thinking.json.id).not.toBe(plain.json.id);
    expect(thinking.json.choices[0].message.reasoning_content).toBe('Thought.');
    expect(thinking.json.usage.completion_tokens_details.reasoning_tokens).toBeGreaterThan(0);
    const withUsage = await chat(emulator, { ...streamed, stream_options: { include_usage: true } });
    const chunks = chunksOf(withUsage.text);
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
    const withoutUsage = chunksOf((await chat(emulator, streamed)).text);
    expect(withoutUsage.slice(0, -1).every((chunk) => !('usage' in chunk))).toBe(true);
  });

  it('streams a pre-rendered answer of many 64 KiB buffers intact, twice', async () => {
    const content = 'Streaming answers arrive in small deltas, 流式输出 token by token. '.repeat(2_000);
    await serving({ content, deltaSize: 8, prerender: true });
    for (let round = 0; round < 2; round++) {
      const reply = await chat(emulator, streamed);
      expect(reply.text.length).toBeGreaterThan(4 * 64 * 1024);
      const chunks = chunksOf(reply.text);
      expect(chunks.map((chunk) => chunk.choices[0].delta.content).join('')).toBe(content);
      expect(chunks[1].choices[0].delta.content).toHaveLength(8);
      expect(chunks.at(-1).choices[0].finish_reason).toBe('stop');
    }
  });

  it('still applies keep-alive padding and falls back to chunk-by-chunk rendering for stream faults', async () => {
    emulator = await startEmulator({
      script: [
        { content: 'one two three four', prerender: true, fault: { keepAlive: { ms: 20, intervalMs: 10 } } },
        { content: 'one two three four', prerender: true, fault: { cutAfterChunks: 2 } },
      ],
    });
    const padded = await chat(emulator, streamed);
    expect(padded.text.startsWith(': keep-alive\n\n')).toBe(true);
    expect(dataPayloads(padded.text).at(-1)).toBe('[DONE]');
    const cut = await chat(emulator, streamed);
    expect(dataPayloads(cut.text)).toHaveLength(2);
  });

  it('keeps the prompt-cache model working for a pre-rendered answer', async () => {
    await serving({ content: 'Cached answer. '.repeat(100), prerender: true });
    const messages: unknown[] = [{ role: 'user', content: 'Tell me a long story. '.repeat(20) }];
    const first = await chat(emulator, { ...noThinking, messages });
    messages.push(first.json.choices[0].message, { role: 'user', content: 'Again.' });
    const second = await chat(emulator, { ...noThinking, messages });
    const hit = second.json.usage.prompt_cache_hit_tokens;
    expect(hit).toBeGreaterThan(first.json.usage.prompt_tokens);
    expect(hit % 64).toBe(0);
  });
});
