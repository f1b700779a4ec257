import type { Emulator, GlobalFault } from '@plumb/testing';
import { describe, expect, it, vi } from 'vitest';
import {
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  ConfigError,
  DeepSeek,
  type Logger,
  RateLimitError,
} from '../index.js';
import {
  clientFor,
  emulate,
  failureOf,
  hello,
  noWait,
  serve,
  TRANSPORTS,
  transportOptions,
  useTransport,
} from '../test-helpers.js';

let emulator: Emulator;

/** A logger that hands each warning's `delayMs` (the wait a "retrying" entry announces) to `seen`. */
function onWarn(seen: (delayMs: number | undefined) => void): Logger {
  return {
    debug() {},
    info() {},
    error() {},
    warn: (entry: object) => seen((entry as { delayMs?: number }).delayMs),
  };
}

describe.each(TRANSPORTS)('%s transport', (transport) => {
  useTransport(transport);

  describe('retries', () => {
    for (const status of [429, 500, 502, 503, 504]) {
      it(`retries ${status} up to maxRetries, then throws`, async () => {
        emulator = await emulate({ faults: [{ status, headers: noWait }] });
        await expect(clientFor({ maxRetries: 2 }).chat.completions.create(hello)).rejects.toMatchObject({
          status,
        });
        expect(emulator.requests).toHaveLength(3);
      });
    }

    for (const status of [400, 401, 402, 422]) {
      it(`never retries ${status}`, async () => {
        emulator = await emulate({ faults: [{ status, headers: noWait }] });
        await expect(clientFor({ maxRetries: 3 }).chat.completions.create(hello)).rejects.toMatchObject({
          status,
        });
        expect(emulator.requests).toHaveLength(1);
      });
    }

    it('succeeds once the fault clears, and reports the attempts in timing', async () => {
      emulator = await emulate({
        faults: [{ status: 503, headers: noWait, times: 2 }],
        script: [{ content: 'finally' }],
      });
      const { data, timing } = await clientFor({ maxRetries: 2 })
        .chat.completions.create(hello)
        .withResponse();
      expect(data.choices[0]!.message.content).toBe('finally');
      expect(timing.attempts).toBe(3);
      expect(emulator.requests).toHaveLength(3);
      expect(new Set(emulator.requests.map((request) => request.rawBody)).size).toBe(1);
    });

    it('per-request maxRetries overrides the client setting', async () => {
      emulator = await emulate({ faults: [{ status: 429, headers: noWait }] });
      await expect(
        clientFor({ maxRetries: 5 }).chat.completions.create(hello, { maxRetries: 1 }),
      ).rejects.toBeInstanceOf(RateLimitError);
      expect(emulator.requests).toHaveLength(2);
    });

    it('retries a dropped connection as an APIConnectionError', async () => {
      emulator = await emulate({ faults: [{ dropConnection: true }] });
      // Connection errors carry no retry-after: initialRetryDelayMs keeps the backoff from waiting 0.5 s.
      const error = await failureOf(clientFor({ maxRetries: 1, initialRetryDelayMs: 1 }).models.list());
      expect(error).toBeInstanceOf(APIConnectionError);
      expect((error as Error).message).toMatch(/Connection error.*GET \/models/);
      expect(emulator.requests).toHaveLength(2);
    });

    it('retries a timeout, and a stream that failed before its first chunk', async () => {
      const faults: GlobalFault[] = [{ hang: true, times: 1, match: '/chat/completions' }];
      emulator = await emulate({ faults, script: [{ content: 'after the stall' }] });
      const stream = clientFor({
        maxRetries: 1,
        // 1 s: the hung first attempt must reach the emulator before it times out, also on a loaded machine.
        timeout: 1_000,
        initialRetryDelayMs: 1,
      }).chat.completions.stream(hello);
      expect((await stream.finalCompletion()).choices[0]!.message.content).toBe('after the stall');
      expect(stream.timing.attempts).toBe(2);
      expect(emulator.requests).toHaveLength(2);
    });

    it('never retries after an abort, and an abort cuts the backoff wait short', async () => {
      emulator = await emulate({ faults: [{ status: 503, headers: { 'retry-after-ms': '30000' } }] });
      const controller = new AbortController();
      // The client logs "retrying" right before it starts waiting 30 s; abort 10 ms into that wait.
      const logger = onWarn(() => setTimeout(() => controller.abort(), 10));
      const call = clientFor({ maxRetries: 3, logger }).chat.completions.create(hello, {
        signal: controller.signal,
      });
      const error = await failureOf(call);
      expect(error).toBeInstanceOf(APIUserAbortError);
      expect(emulator.requests).toHaveLength(1);
    });

    // The delay is read from the "retrying" log entry, then the wait is aborted: nothing sleeps.
    const delays: Array<[string, Record<string, string>, number, number]> = [
      ['0.5 s minus jitter by default', {}, 375, 500],
      ['retry-after-ms', { 'retry-after-ms': '1234' }, 1234, 1234],
      ['retry-after in seconds', { 'retry-after': '2' }, 2000, 2000],
      ['retry-after capped at 60 s', { 'retry-after': '120' }, 60_000, 60_000],
      ['retry-after-ms capped at 60 s', { 'retry-after-ms': '90000' }, 60_000, 60_000],
    ];
    for (const [name, headers, min, max] of delays) {
      it(`waits before a retry: ${name}`, async () => {
        emulator = await emulate({ faults: [{ status: 503, headers }] });
        const controller = new AbortController();
        const waits: number[] = [];
        const logger = onWarn((delayMs) => {
          if (delayMs === undefined) return;
          waits.push(delayMs);
          controller.abort();
        });
        const call = clientFor({ maxRetries: 2, logger }).chat.completions.create(hello, {
          signal: controller.signal,
        });
        expect(await failureOf(call)).toBeInstanceOf(APIUserAbortError);
        expect(waits).toHaveLength(1);
        expect(waits[0]).toBeGreaterThanOrEqual(min);
        expect(waits[0]).toBeLessThanOrEqual(max);
        expect(emulator.requests).toHaveLength(1);
      });
    }

    it('doubles the backoff per retry (initialRetryDelayMs scales it for tests)', async () => {
      emulator = await emulate({ faults: [{ dropConnection: true }] });
      const waits: number[] = [];
      const logger = onWarn((delayMs) => {
        if (delayMs !== undefined) waits.push(delayMs);
      });
      const client = clientFor({ maxRetries: 3, initialRetryDelayMs: 8, logger });
      expect(await failureOf(client.models.list())).toBeInstanceOf(APIConnectionError);
      expect(await failureOf(client.chat.completions.stream(hello).finalCompletion())).toBeInstanceOf(
        APIConnectionError,
      );
      expect(emulator.requests).toHaveLength(8);
      expect(waits).toHaveLength(6);
      // 8, 16, 32 ms, each minus up to 25% jitter (logged rounded), for the plain call and the stream.
      [8, 16, 32, 8, 16, 32].forEach((base, index) => {
        expect(waits[index]).toBeGreaterThanOrEqual(Math.floor(base * 0.75));
        expect(waits[index]).toBeLessThanOrEqual(base);
      });
    });

    it('an abort while an attempt is in flight stops it and is not retried', async () => {
      emulator = await emulate({ faults: [{ hang: true }] });
      const controller = new AbortController();
      const call = clientFor({ maxRetries: 3, initialRetryDelayMs: 1 }).chat.completions.create(hello, {
        signal: controller.signal,
      });
      await vi.waitFor(() => expect(emulator.requests).toHaveLength(1), { timeout: 2_000, interval: 5 });
      controller.abort();
      expect(await failureOf(call)).toBeInstanceOf(APIUserAbortError);
      expect(emulator.requests).toHaveLength(1);
    });

    it('refuses a redirect with a ConfigError naming baseURL, without retrying', async () => {
      let hits = 0;
      const { url } = await serve((request, response) => {
        hits++;
        request.resume();
        response.writeHead(307, { location: '/elsewhere/chat/completions' });
        response.end();
      });
      const client = new DeepSeek({
        ...transportOptions(transport),
        apiKey: 'sk-test',
        baseURL: url,
        maxRetries: 2,
      });
      const error = await failureOf(client.chat.completions.create(hello));
      expect(error).toBeInstanceOf(ConfigError);
      expect(error).toMatchObject({ field: 'baseURL' });
      expect((error as Error).message).toMatch(/redirect.*Set `baseURL`/);
      expect(hits).toBe(1);
    });

    it("stream.abort() cuts a stream's backoff wait short, before its retry is sent", async () => {
      emulator = await emulate({ faults: [{ status: 503, headers: { 'retry-after-ms': '30000' } }] });
      let stream: ReturnType<DeepSeek['chat']['completions']['stream']> | undefined;
      const logger = onWarn(() => stream?.abort());
      stream = clientFor({ maxRetries: 3, logger }).chat.completions.stream(hello);
      expect(await failureOf(stream.finalCompletion())).toBeInstanceOf(APIUserAbortError);
      expect(emulator.requests).toHaveLength(1);
    });

    it('an aborted signal fails before any request', async () => {
      emulator = await emulate();
      await expect(
        clientFor().chat.completions.create(hello, { signal: AbortSignal.abort() }),
      ).rejects.toBeInstanceOf(APIUserAbortError);
      expect(emulator.requests).toHaveLength(0);
    });

    it('a hanging request times out per attempt with APITimeoutError', async () => {
      emulator = await emulate({ faults: [{ hang: true }] });
      // 500 ms: on a loaded machine a shorter timeout can fire before the request reached the server.
      const error = await failureOf(clientFor({ timeout: 500 }).chat.completions.create(hello));
      expect(error).toBeInstanceOf(APITimeoutError);
      expect(error).toMatchObject({ kind: 'attempt', timeoutMs: 500 });
      expect((error as Error).message).toMatch(/timed out after 500 ms.*Raise the `timeout` option/);
      expect(emulator.requests).toHaveLength(1);
    });
  });
});
