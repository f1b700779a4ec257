import { describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../index.js';
import { clientFor, emulate, hello } from '../test-helpers.js';

// A program without the optional peer: importing @opentelemetry/api fails.
vi.mock('@opentelemetry/api', () => {
  throw new Error("Cannot find package '@opentelemetry/api'");
});

describe('telemetry without @opentelemetry/api installed', () => {
  it('works as before while telemetry is off', async () => {
    await emulate({ script: [{ content: 'Hi' }] });
    const completion = await clientFor().chat.completions.create(hello);
    expect(completion.choices[0]?.message.content).toBe('Hi');
  });

  it('fails a traced request with a ConfigError naming `telemetry` and the fix, before sending it', async () => {
    const emulator = await emulate();
    const client = clientFor({ telemetry: true });
    const error = await client.chat.completions.create(hello).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).field).toBe('telemetry');
    expect((error as Error).message).toMatch(/npm install @opentelemetry\/api/);
    const streamed = await client.chat.completions
      .stream(hello)
      .finalCompletion()
      .catch((caught: unknown) => caught);
    expect(streamed).toBeInstanceOf(ConfigError);
    expect(emulator.requests).toHaveLength(0);
  });
});
