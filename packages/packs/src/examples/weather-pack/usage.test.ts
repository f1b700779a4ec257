import { startEmulator } from '@plumb/testing';
import { expect, it, vi } from 'vitest';

// usage.ts is the guide's "use the pack" block (docs/guides/writing-a-pack.md): here it runs.
it("usage.ts builds an agent that offers the model the pack's tools", async () => {
  const emulator = await startEmulator({ script: [{ content: 'Ask me about the weather.' }] });
  // usage.ts reads WEATHER_API_KEY, and its `new Agent()` builds `new DeepSeek()` from these two.
  vi.stubEnv('WEATHER_API_KEY', 'test-key');
  vi.stubEnv('DEEPSEEK_API_KEY', emulator.apiKey);
  vi.stubEnv('DEEPSEEK_BASE_URL', emulator.url);
  try {
    const { agent } = await import('./usage.js');
    expect((await agent.run('Hello')).text).toBe('Ask me about the weather.');
    const sent = emulator.requests[0]?.body.tools as Array<{ function: { name: string } }>;
    expect(sent.map((tool) => tool.function.name)).toEqual(['weather_current', 'weather_forecast']);
  } finally {
    vi.unstubAllEnvs();
    await emulator.close();
  }
});
