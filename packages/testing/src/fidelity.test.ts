import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from './emulator.js';
import { chat, errorOf } from './test-helpers.js';
import type { Emulator } from './types.js';

/** Differences from the real API found by running real clients against the emulator (issue 21). */

let emulator: Emulator;
afterEach(() => emulator?.close());

const longSystem = { role: 'system', content: 'You are a careful assistant. '.repeat(80) };
const messages = [longSystem, { role: 'user', content: 'Hi' }];

describe('emulator fidelity', () => {
  it('keys the prompt cache with the model: a prompt sent to Flash does not hit on Pro', async () => {
    emulator = await startEmulator();
    const first = await chat(emulator, { model: 'deepseek-flash', messages });
    expect(first.json.usage.prompt_cache_hit_tokens).toBe(0);
    const pro = await chat(emulator, { model: 'deepseek-v4-pro', messages });
    expect(pro.json.usage.prompt_cache_hit_tokens).toBe(0);
    const flashAgain = await chat(emulator, { model: 'deepseek-flash', messages });
    expect(flashAgain.json.usage.prompt_cache_hit_tokens).toBeGreaterThan(0);
    // The legacy Flash name is served by deepseek-flash, so it shares that cache.
    const legacy = await chat(emulator, { model: 'deepseek-v4-flash', messages });
    expect(legacy.json.usage.prompt_cache_hit_tokens).toBeGreaterThan(0);
  });

  it('writes scripted tool-call arguments the way DeepSeek does: {"key": "value"}', async () => {
    emulator = await startEmulator({
      script: [{ toolCalls: [{ name: 'weather', arguments: { location: 'San Francisco', days: [1, 2] } }] }],
    });
    const reply = await chat(emulator, {
      tools: [{ type: 'function', function: { name: 'weather' } }],
      thinking: { type: 'disabled' },
    });
    expect(reply.json.choices[0].message.tool_calls[0].function.arguments).toBe(
      '{"location": "San Francisco", "days": [1, 2]}',
    );
  });

  it('answers an unknown or retired model with the V4-era text naming the supported models', async () => {
    emulator = await startEmulator();
    for (const model of ['gpt-5.5', 'deepseek-chat']) {
      const reply = await chat(emulator, { model });
      expect(reply.status).toBe(400);
      expect(errorOf(reply)).toMatchObject({
        type: 'invalid_request_error',
        message: `The supported API model names are deepseek-v4-pro or deepseek-flash, but you passed ${model}.`,
      });
    }
  });
});
