import { describe, expect, it } from 'vitest';
import { APIConnectionError, APITimeoutError } from '../index.js';
import { clientFor, emulate, failureOf, hello, TRANSPORTS, useTransport } from '../test-helpers.js';

describe.each(TRANSPORTS)('%s transport', (transport) => {
  useTransport(transport);

  describe('keep-alive while queued', () => {
    it('parses a non-streamed body preceded by blank lines and reports the queue time', async () => {
      await emulate({
        script: [{ content: 'after the queue', fault: { keepAlive: { ms: 120, intervalMs: 20 } } }],
      });
      const { data, timing } = await clientFor().chat.completions.create(hello).withResponse();
      expect(data.choices[0]!.message.content).toBe('after the queue');
      expect(timing.queueMs).toBeGreaterThan(0);
      expect(timing.firstChunkMs).toBeGreaterThanOrEqual(timing.queueMs);
    });

    it('skips `: keep-alive` comments before a stream, without counting them against idleTimeout', async () => {
      await emulate({
        script: [
          {
            content: 'streamed after the queue',
            deltaSize: 100,
            fault: { keepAlive: { ms: 200, intervalMs: 100 } },
          },
        ],
      });
      // Gaps of 100 ms between keep-alives, 200 ms queued in all: both beyond the 50 ms idle timeout.
      const stream = clientFor({ idleTimeout: 50 }).chat.completions.stream({
        ...hello,
        thinking: { type: 'disabled' },
      });
      const completion = await stream.finalCompletion();
      expect(completion.choices[0]!.message.content).toBe('streamed after the queue');
      expect(stream.timing.queueMs).toBeGreaterThan(0);
    });

    it('the attempt timeout still applies while queued (stream and non-stream)', async () => {
      // 1 s: a loaded machine must have sent the request and seen the headers before the timeout
      // fires, so that it fires in the queue (80 ms did not always, in one CI run).
      await emulate({ faults: [{ keepAlive: { ms: 10_000, intervalMs: 10 } }] });
      const client = clientFor({ timeout: 1_000, idleTimeout: 60_000 });
      const plain = await failureOf(client.chat.completions.create(hello));
      expect(plain).toBeInstanceOf(APITimeoutError);
      expect((plain as Error).message).toMatch(/timed out after 1000 ms while waiting in DeepSeek’s queue/);
      const streamed = await failureOf(client.chat.completions.stream(hello).finalCompletion());
      expect(streamed).toBeInstanceOf(APITimeoutError);
      expect(streamed).toMatchObject({ kind: 'attempt', timeoutMs: 1_000 });
    });

    it('once a stream started, the idle timeout governs it: it may outlast the attempt timeout', async () => {
      const content = 'one two three four five six';
      await emulate({ script: [{ content, deltaSize: 4, fault: { chunkDelayMs: 250 } }] });
      // About 9 chunks 250 ms apart: longer than the 1 s attempt timeout, never idle for 5 s. (The
      // 1 s leaves a loaded machine time to send the headers; 80 ms did not, in one CI run.)
      const stream = clientFor({ timeout: 1_000, idleTimeout: 5_000 }).chat.completions.stream({
        ...hello,
        thinking: { type: 'disabled' },
      });
      const completion = await stream.finalCompletion();
      // The emulator spaces the ~9 chunks 250 ms apart, so the stream outlasts the 1 s attempt
      // timeout by construction; completing at all is the proof.
      expect(completion.choices[0]!.message.content).toBe(content);
    });

    it('a per-request timeout overrides the client one', async () => {
      await emulate({ faults: [{ hang: true }] });
      const error = await failureOf(clientFor({ timeout: 60_000 }).models.list({ timeout: 50 }));
      expect(error).toMatchObject({ name: 'APITimeoutError', timeoutMs: 50 });
    });

    it('retries a queued request that DeepSeek dropped before answering', async () => {
      await emulate({
        faults: [{ keepAlive: { ms: 30, intervalMs: 10 }, dropConnection: true, times: 1 }],
        script: [{ content: 'second try' }],
      });
      const { data, timing } = await clientFor({ maxRetries: 1, initialRetryDelayMs: 1 })
        .chat.completions.create(hello)
        .withResponse();
      expect(data.choices[0]!.message.content).toBe('second try');
      expect(timing.attempts).toBe(2);
    });

    it('a queued request dropped on its last attempt is an APIConnectionError saying it was queued', async () => {
      await emulate({
        faults: [{ keepAlive: { ms: 30, intervalMs: 10 }, dropConnection: true }],
      });
      const error = await failureOf(clientFor().chat.completions.create(hello));
      expect(error).toBeInstanceOf(APIConnectionError);
      expect((error as Error).message).toMatch(/queue|queued/);
    });
  });
});
