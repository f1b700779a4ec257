import { describe, expect, it } from 'vitest';
import { DeepSeek, ResponseTooLargeError, StreamInterruptedError } from '../index.js';
import { SSELineTooLongError, SSEParser } from '../internal/http/sse.js';
import {
  clientFor,
  emulate,
  failureOf,
  hello,
  serve,
  TRANSPORTS,
  transportOptions,
  useTransport,
} from '../test-helpers.js';

describe.each(TRANSPORTS)('%s transport', (transport) => {
  useTransport(transport);

  describe('maxResponseBytes', () => {
    it('stops a non-streamed answer larger than the cap with ResponseTooLargeError, not retried', async () => {
      const emulator = await emulate({ script: () => ({ content: 'word '.repeat(2_000) }) });
      const error = await failureOf(
        clientFor({ maxResponseBytes: 4_096, maxRetries: 2 }).chat.completions.create(hello),
      );
      expect(error).toBeInstanceOf(ResponseTooLargeError);
      expect(error).toMatchObject({ option: 'maxResponseBytes', limit: 4_096 });
      expect((error as Error).message).toMatch(/larger than 4096 bytes.*maxResponseBytes/);
      expect(emulator.requests).toHaveLength(1);
      // The default cap (64 MiB) lets the same answer through.
      await clientFor().chat.completions.create(hello);
    });

    it('caps an error body too', async () => {
      await emulate({ faults: [{ status: 500, rawBody: 'x'.repeat(10_000), contentType: 'text/plain' }] });
      const error = await failureOf(clientFor({ maxResponseBytes: 1_000 }).chat.completions.create(hello));
      expect(error).toBeInstanceOf(ResponseTooLargeError);
    });
  });

  describe('maxLineLength', () => {
    it('stops a stream whose line grows past the cap, with what arrived kept', async () => {
      await emulate({ script: () => ({ content: `a b c d ${'y'.repeat(20_000)}` }) });
      const stream = clientFor({ maxLineLength: 5_000 }).chat.completions.stream(hello);
      const error = await failureOf(stream.finalCompletion());
      expect(error).toBeInstanceOf(StreamInterruptedError);
      expect(error).toMatchObject({ reason: 'too-large' });
      expect((error as StreamInterruptedError).cause).toBeInstanceOf(ResponseTooLargeError);
    });

    it('is what stops an endless line the idle timeout never catches (data keeps coming)', async () => {
      const { url } = await serve((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write('data: {"choices":[{"index":0,"delta":{"content":"');
        const drip = setInterval(() => response.write('z'.repeat(1_024)), 2);
        response.on('close', () => clearInterval(drip));
      });
      const client = new DeepSeek({
        ...transportOptions(transport),
        apiKey: 'sk-fake-line-cap',
        baseURL: url,
        maxRetries: 0,
        idleTimeout: 60_000,
        maxLineLength: 64 * 1024,
      });
      const error = await failureOf(client.chat.completions.stream(hello).finalCompletion());
      expect(error).toBeInstanceOf(ResponseTooLargeError);
      expect(error).toMatchObject({ option: 'maxLineLength', limit: 64 * 1024 });
    });
  });
});

describe('SSEParser maxLineLength', () => {
  it('throws SSELineTooLongError for a line or an event longer than the cap, whatever the split', () => {
    const parser = new SSEParser({ maxLineLength: 10 });
    expect(parser.pushText('data: 1234')).toEqual([]);
    expect(() => parser.pushText('5678')).toThrow(SSELineTooLongError);
    const multi = new SSEParser({ maxLineLength: 10 });
    expect(() => multi.pushText('data: 12345\ndata: 12345\ndata: 1\n')).toThrow(SSELineTooLongError);
    expect(new SSEParser({ maxLineLength: 10 }).pushText('data: 1234\n\n')).toHaveLength(1);
  });
});
