/**
 * What a streamed request costs beyond its I/O (the agent makes one per step): no AbortController
 * on the node:http transport (the stream's abort switch is a latch: abort-latch.ts), and no
 * FinalizationRegistry entry for a stream read by finalCompletion(), whose own reads keep it
 * reachable until it ends. Aborts still reach the request (client-stream.test.ts, deadlines-gc).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AbortLatch } from '../internal/abort-latch.js';
import { clientFor, emulate, hello, TRANSPORTS, useTransport } from '../test-helpers.js';

/**
 * Counts the AbortControllers the client constructs while `task` runs (the global is swapped back
 * after). The emulator runs in this process and makes one per request it serves: not counted.
 */
async function controllersMadeBy(task: () => Promise<unknown>): Promise<number> {
  const Original = globalThis.AbortController;
  let made = 0;
  globalThis.AbortController = class extends Original {
    constructor() {
      super();
      if (!new Error().stack?.includes('/testing/')) made++;
    }
  };
  try {
    await task();
  } finally {
    globalThis.AbortController = Original;
  }
  return made;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a streamed request on the node:http transport', () => {
  useTransport('node');

  it('makes no AbortController, read to the end or aborted', async () => {
    await emulate({ script: [{ content: 'one' }, { content: 'two' }] });
    const client = clientFor();
    await client.chat.completions.stream(hello).finalCompletion(); // warm: modules loaded
    expect(await controllersMadeBy(() => client.chat.completions.stream(hello).finalCompletion())).toBe(0);
    const aborted = controllersMadeBy(async () => {
      const stream = client.chat.completions.stream(hello);
      stream.abort();
      await stream.finalCompletion().catch(() => {});
    });
    expect(await aborted).toBe(0);
  });

  it("a caller's signal still aborts it while it waits, with the caller's reason", async () => {
    await emulate({ script: [{ content: 'never finished' }], faults: [{ hangAfterChunks: 2 }] });
    const controller = new AbortController();
    const stream = clientFor().chat.completions.stream(hello, { signal: controller.signal });
    const reason = new Error('caller stopped');
    const failure = stream.finalCompletion().catch((error: unknown) => error);
    await vi.waitFor(() => expect(stream.chunks).toBe(2));
    controller.abort(reason);
    expect(await failure).toMatchObject({ name: 'APIUserAbortError', cause: reason });
  });
});

describe.each(TRANSPORTS)('%s transport: the dropped-stream backstop', (transport) => {
  useTransport(transport);

  it('is registered for an iterated stream only, not for one read by finalCompletion()', async () => {
    await emulate({ script: [{ content: 'one' }, { content: 'two' }] });
    const client = clientFor();
    // Undici registers its own objects too: only the streams' entries (held: their AbortLatch) count.
    const register = vi.spyOn(FinalizationRegistry.prototype, 'register');
    const streamEntries = () => register.mock.calls.filter((call) => call[1] instanceof AbortLatch).length;
    await client.chat.completions.stream(hello).finalCompletion();
    expect(streamEntries()).toBe(0);
    for await (const _chunk of client.chat.completions.stream(hello)) {
      // iterated to the end
    }
    expect(streamEntries()).toBe(1);
  });
});
