import type { Emulator } from '@plumb/testing';
import { describe, expect, it } from 'vitest';
import {
  APIError,
  AuthenticationError,
  BadRequestError,
  type ChatCompletionCreateParamsNonStreaming,
  InsufficientBalanceError,
  InternalServerError,
  RateLimitError,
  ResponseParseError,
  ServiceUnavailableError,
  UnprocessableEntityError,
} from '../index.js';
import { clientFor, emulate, failureOf, hello, noWait, TRANSPORTS, useTransport } from '../test-helpers.js';

let emulator: Emulator;

describe.each(TRANSPORTS)('%s transport', (transport) => {
  useTransport(transport);

  describe('error answers become typed errors', () => {
    const cases: Array<[number, typeof APIError, RegExp]> = [
      [400, BadRequestError, /Content Exists Risk.*content-safety/],
      [401, AuthenticationError, /no such user.*DEEPSEEK_API_KEY/],
      [402, InsufficientBalanceError, /Insufficient Balance.*Top up/],
      [422, UnprocessableEntityError, /Failed to deserialize/],
      [429, RateLimitError, /concurrency limit.*lower your parallelism/],
      [500, InternalServerError, /Server Error/],
      [503, ServiceUnavailableError, /overloaded/],
    ];
    for (const [status, ErrorClass, message] of cases) {
      it(`${status} -> ${ErrorClass.name}`, async () => {
        emulator = await emulate({ faults: [{ status, headers: noWait }] });
        const error = (await failureOf(clientFor().chat.completions.create(hello))) as APIError;
        expect(error).toBeInstanceOf(ErrorClass);
        expect(error.status).toBe(status);
        expect(error.message).toMatch(message);
        expect(error.requestId).toMatch(/^[0-9a-f]{32}$/);
        expect(error.code).toBe('invalid_request_error');
        expect(error.headers?.get('x-ds-trace-id')).toBe(error.requestId);
      });
    }

    it('a wrong key is an AuthenticationError naming the masked key', async () => {
      emulator = await emulate();
      const error = await failureOf(clientFor({ apiKey: 'sk-wrongwrongwrong1234' }).models.list());
      expect(error).toBeInstanceOf(AuthenticationError);
      expect((error as Error).message).toContain('****1234');
      expect((error as Error).message).not.toContain('sk-wrongwrongwrong1234');
    });

    it('parses an error body labelled application/octet-stream', async () => {
      emulator = await emulate({
        faults: [{ status: 400, message: 'Model Not Exist', contentType: 'application/octet-stream' }],
      });
      const error = (await failureOf(clientFor().chat.completions.create(hello))) as APIError;
      expect(error).toBeInstanceOf(BadRequestError);
      expect(error.serverMessage).toBe('Model Not Exist');
      expect(error.type).toBe('invalid_request_error');
    });

    it("reads openresty's HTML 413 for an oversized body", async () => {
      emulator = await emulate({ maxBodyBytes: 200 });
      const big = { ...hello, messages: [{ role: 'user' as const, content: 'x'.repeat(1000) }] };
      const error = (await failureOf(clientFor().chat.completions.create(big))) as APIError;
      expect(error).toBeInstanceOf(APIError);
      expect(error.status).toBe(413);
      expect(error.serverMessage).toBe('413 Request Entity Too Large');
      expect(error.message).toMatch(/48 MiB/);
    });

    it('an error object inside a 200 stream becomes an APIError', async () => {
      emulator = await emulate({
        script: [{ content: 'one two three four five', fault: { errorInStreamAt: 2 } }],
      });
      const stream = clientFor().chat.completions.stream(hello);
      const error = (await failureOf(stream.finalCompletion())) as APIError;
      expect(error).toBeInstanceOf(APIError);
      expect(error.status).toBeUndefined();
      expect(error.serverMessage).toMatch(/Server Error/);
      expect(stream.chunks).toBe(2);
      expect(error.message).toMatch(/inside the stream/);
    });

    it('a streamed request answered with a JSON error or an HTML page fails clearly, not as a cut stream', async () => {
      const streamBody = (content: string) => ({
        ...hello,
        messages: [{ role: 'user', content }],
        stream: true,
        stream_options: { include_usage: true },
      });
      emulator = await emulate({
        cassette: {
          version: 1,
          interactions: [
            {
              request: { method: 'POST', path: '/chat/completions', body: streamBody('json') },
              response: {
                status: 200,
                headers: { 'content-type': 'application/json' },
                body: '{"error":{"message":"Content Exists Risk","type":"invalid_request_error"}}',
              },
            },
            {
              request: { method: 'POST', path: '/chat/completions', body: streamBody('html') },
              response: {
                status: 200,
                headers: { 'content-type': 'text/html' },
                body: '<html><title>Welcome to nginx</title></html>',
              },
            },
          ],
        },
      });
      const client = clientFor({ maxRetries: 2 });
      const json = await failureOf(
        client.chat.completions
          .stream({ ...hello, messages: [{ role: 'user', content: 'json' }] })
          .finalCompletion(),
      );
      expect(json).toBeInstanceOf(APIError);
      expect(json).toMatchObject({ serverMessage: 'Content Exists Risk' });
      const html = await failureOf(
        client.chat.completions
          .stream({ ...hello, messages: [{ role: 'user', content: 'html' }] })
          .finalCompletion(),
      );
      expect(html).toBeInstanceOf(ResponseParseError);
      expect((html as Error).message).toMatch(/text\/html instead of an event stream.*baseURL/);
      expect(emulator.requests).toHaveLength(2);
    });

    it('a 400 from DeepSeek carries its hint (thinking mode rejects a forced tool choice)', async () => {
      emulator = await emulate();
      const params: ChatCompletionCreateParamsNonStreaming = {
        ...hello,
        tools: [{ type: 'function', function: { name: 'weather' } }],
        tool_choice: 'required',
      };
      const error = (await failureOf(
        clientFor({ preflight: false }).chat.completions.create(params),
      )) as APIError;
      expect(error).toBeInstanceOf(BadRequestError);
      expect(error.message).toMatch(
        /Thinking mode does not support this tool_choice.*thinking: \{ type: 'disabled' \}/,
      );
    });
  });
});
