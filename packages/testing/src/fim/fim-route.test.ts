import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../emulator.js';
import { chunksOf, dataPayloads, errorOf, send } from '../test-helpers.js';
import type { Emulator, EmulatorOptions } from '../types.js';

let emulator: Emulator;
async function start(options: EmulatorOptions = {}) {
  emulator = await startEmulator(options);
  return emulator;
}
afterEach(() => emulator?.close());

const fim = (body: Record<string, unknown>) =>
  send(emulator, '/beta/completions', { model: 'deepseek-flash', prompt: 'def add(a, b):', ...body });

describe('FIM completions (/beta/completions)', () => {
  it('answers a text_completion with the scripted text and non-thinking usage', async () => {
    await start({ script: [{ content: '\n    return a + b\n' }] });
    const reply = await fim({ suffix: '\n\nprint(add(1, 2))' });
    expect(reply.status).toBe(200);
    expect(Object.keys(reply.json)).toEqual([
      'id',
      'object',
      'created',
      'model',
      'system_fingerprint',
      'choices',
      'usage',
    ]);
    expect(reply.json.object).toBe('text_completion');
    expect(reply.json.choices).toEqual([
      { index: 0, text: '\n    return a + b\n', logprobs: null, finish_reason: 'stop' },
    ]);
    expect(reply.json.usage).not.toHaveProperty('completion_tokens_details');
    expect(reply.json.usage.prompt_cache_hit_tokens + reply.json.usage.prompt_cache_miss_tokens).toBe(
      reply.json.usage.prompt_tokens,
    );
    expect(emulator.turnsServed()).toBe(1);
  });

  it('streams choices[].text deltas, then a finish chunk with usage, then [DONE]', async () => {
    await start({ script: [{ content: 'return a + b' }] });
    const reply = await fim({ stream: true, stream_options: { include_usage: true } });
    const chunks = chunksOf(reply.text);
    expect(chunks.map((chunk) => chunk.choices[0].text).join('')).toBe('return a + b');
    expect(chunks.every((chunk) => chunk.object === 'text_completion')).toBe(true);
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
    expect(chunks.at(-1).choices[0]).toMatchObject({ text: '', finish_reason: 'stop' });
    expect(chunks.at(-1).usage.completion_tokens).toBeGreaterThan(0);
    expect(dataPayloads(reply.text).at(-1)).toBe('[DONE]');
  });

  it('echoes the prompt, returns legacy logprobs, and honours max_tokens', async () => {
    await start({
      script: [{ content: ' return a + b' }, { content: ' return a + b' }, { content: 'x'.repeat(100) }],
    });
    expect((await fim({ echo: true })).json.choices[0].text).toBe('def add(a, b): return a + b');
    const logprobs = (await fim({ logprobs: 2 })).json.choices[0].logprobs;
    expect(logprobs.tokens.join('')).toBe(' return a + b');
    expect(logprobs.text_offset[0]).toBe(0);
    expect(Object.keys(logprobs.top_logprobs[0])).toHaveLength(3);
    const cut = await fim({ max_tokens: 5 });
    expect(cut.json.choices[0].finish_reason).toBe('length');
  });

  it('enforces the FIM rules', async () => {
    await start();
    expect(errorOf(await fim({ max_tokens: 5000 })).message).toBe(
      'Invalid max_tokens value, the valid range of max_tokens is [1, 4096]',
    );
    expect(errorOf(await fim({ echo: true, suffix: 'x' })).message).toMatch(/`echo` cannot be used together/);
    expect(errorOf(await fim({ model: 'deepseek-reasoner' })).message).toBe(
      'The supported API model names are deepseek-v4-pro or deepseek-flash, but you passed deepseek-reasoner.',
    );
    expect(errorOf(await fim({ stream_options: { include_usage: true } })).message).toMatch(/stream_options/);
    expect(errorOf(await fim({ prompt: undefined })).message).toMatch(/missing field `prompt`/);
  });
});
