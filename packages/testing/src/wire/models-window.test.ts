import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../index.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
});

async function models(options: { contextWindow?: number }) {
  emulator = await startEmulator({ port: 0, ...options });
  const response = await fetch(`${emulator.url}/models`, {
    headers: { authorization: `Bearer ${emulator.apiKey}` },
  });
  return (await response.json()) as {
    data: Array<{ id: string; context_window: number; max_output_tokens: number }>;
  };
}

describe('GET /models with a custom contextWindow', () => {
  it('reports the configured window (and an output limit within it) for every listed model', async () => {
    const body = await models({ contextWindow: 20_000 });
    expect(body.data.length).toBeGreaterThan(0);
    for (const model of body.data) {
      expect(model.context_window).toBe(20_000);
      expect(model.max_output_tokens).toBe(20_000);
    }
  });

  it("serves DeepSeek's real limits by default", async () => {
    const body = await models({});
    expect(body.data.find((model) => model.id === 'deepseek-flash')).toMatchObject({
      context_window: 1_048_576,
      max_output_tokens: 393_216,
    });
  });
});
