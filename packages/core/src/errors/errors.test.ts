import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { makeAPIError, parseErrorBody } from '../internal/http/error-response.js';
import { maskKey, redact, redactUrl } from '../internal/redact.js';
import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  AuthenticationError,
  BadRequestError,
  DeepSeekError,
  InsufficientBalanceError,
  InternalServerError,
  isDeepSeekError,
  RateLimitError,
  ServiceUnavailableError,
  UnprocessableEntityError,
} from './errors.js';

const KEY = 'sk-fake-0123456789abcdef0123456789abcdef';
const context = { method: 'POST', path: '/chat/completions', secrets: [KEY] };
const envelope = (message: string, type = 'invalid_request_error') =>
  JSON.stringify({ error: { message, type, param: null, code: 'invalid_request_error' } });

describe('makeAPIError', () => {
  it('maps each status to its class with what to do in the message', () => {
    const cases: Array<[number, typeof APIError, RegExp]> = [
      [400, BadRequestError, /Fix the request/],
      [401, AuthenticationError, /DEEPSEEK_API_KEY/],
      [402, InsufficientBalanceError, /Top up your balance/],
      [422, UnprocessableEntityError, /Fix the request body/],
      [429, RateLimitError, /lower your parallelism/],
      [500, InternalServerError, /Retried automatically/],
      [502, InternalServerError, /server error \(502\)/],
      [503, ServiceUnavailableError, /overloaded.*Retried automatically/],
      [413, APIError, /48 MiB/],
    ];
    for (const [status, ErrorClass, advice] of cases) {
      const error = makeAPIError(status, envelope('boom'), new Headers(), context);
      expect(error).toBeInstanceOf(ErrorClass);
      expect(error.status).toBe(status);
      expect(error.message).toMatch(advice);
      expect(error.message).toMatch(/POST \/chat\/completions/);
    }
  });

  it('quotes the 429 server text about the concurrency cap', () => {
    const text =
      'Too many requests. Your current concurrency is 26, which exceeds your concurrency limit of 25 based on your remaining balance.';
    const error = makeAPIError(429, envelope(text, 'rate_limit_error'), new Headers(), context);
    expect(error.message).toContain('concurrency is 26');
    expect(error.serverMessage).toBe(text);
    expect(error.type).toBe('rate_limit_error');
  });

  it('carries type, code, param and the x-ds-trace-id request id', () => {
    const error = makeAPIError(
      402,
      envelope('Insufficient Balance', 'unknown_error'),
      new Headers({ 'x-ds-trace-id': 'trace-123' }),
      context,
    );
    expect(error).toMatchObject({
      type: 'unknown_error',
      code: 'invalid_request_error',
      param: undefined,
      requestId: 'trace-123',
    });
    expect(error.message).toContain('request id trace-123');
  });

  it('adds a hint for known 400 messages', () => {
    const replay = makeAPIError(
      400,
      envelope('The `reasoning_content` in the thinking mode must be passed back to the API.'),
      undefined,
      context,
    );
    expect(replay.message).toMatch(/reasoning_content \(""/);
    const choice = makeAPIError(
      400,
      envelope('Thinking mode does not support this tool_choice'),
      undefined,
      context,
    );
    expect(choice.message).toMatch(/thinking: \{ type: 'disabled' \}/);
  });

  it('never puts the API key in messages, even when the server echoes it', () => {
    const error = makeAPIError(
      401,
      envelope(`Authentication Fails, Your api key: ${KEY} is invalid`),
      undefined,
      context,
    );
    expect(error.message).not.toContain(KEY);
    expect(error.serverMessage).toContain(maskKey(KEY));
    expect(JSON.stringify(error)).not.toContain(KEY);
    expect(inspect(error)).not.toContain(KEY);
  });
});

describe('parseErrorBody', () => {
  it('reads the JSON envelope whatever the content type claimed', () => {
    expect(parseErrorBody(envelope('Model Not Exist'))).toMatchObject({
      message: 'Model Not Exist',
      type: 'invalid_request_error',
      code: 'invalid_request_error',
    });
  });

  it("reduces openresty's HTML 413 page to its title", () => {
    const html =
      '<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>openresty</center>\r\n</body>\r\n</html>';
    expect(parseErrorBody(html).message).toBe('413 Request Entity Too Large');
  });

  it('accepts plain text, {detail}, a string error and an empty body', () => {
    expect(parseErrorBody('Failed to deserialize the JSON body').message).toBe(
      'Failed to deserialize the JSON body',
    );
    expect(parseErrorBody('{"detail":"Content Exists Risk"}').message).toBe('Content Exists Risk');
    expect(parseErrorBody('{"error":"bad"}').message).toBe('bad');
    expect(parseErrorBody('').message).toBe('no error body');
  });
});

describe('error classes', () => {
  it('are all DeepSeekErrors, recognisable across package copies by a Symbol.for marker', () => {
    const error = makeAPIError(503, envelope('busy'), undefined, context);
    expect(error).toBeInstanceOf(DeepSeekError);
    expect(isDeepSeekError(error)).toBe(true);
    expect(APIError.isInstance(error)).toBe(true);
    expect(APIError.isInstance(new APIConnectionError('x'))).toBe(false);
    expect(isDeepSeekError(new Error('x'))).toBe(false);
    // What another copy of @plumb/core would produce: a different class with the same marker.
    const foreign = Object.defineProperty(new Error('x'), Symbol.for('@plumb/core/api-error'), {
      value: true,
    });
    Object.defineProperty(foreign, Symbol.for('@plumb/core/error'), { value: true });
    expect(APIError.isInstance(foreign)).toBe(true);
    expect(isDeepSeekError(foreign)).toBe(true);
  });

  it('serialize to safe JSON with their fields and a summarized cause', () => {
    const timeout = new APITimeoutError('idle', 500, 'stalled');
    expect(JSON.parse(JSON.stringify(timeout))).toEqual({
      name: 'APITimeoutError',
      message: 'stalled',
      kind: 'idle',
      timeoutMs: 500,
    });
    const error = makeAPIError(429, envelope('slow down'), new Headers({ 'x-ds-trace-id': 't1' }), context);
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({
      name: 'RateLimitError',
      status: 429,
      requestId: 't1',
    });
    const withCause = new APIConnectionError('down', { cause: new Error('ECONNRESET') });
    expect(JSON.parse(JSON.stringify(withCause)).cause).toEqual({ name: 'Error', message: 'ECONNRESET' });
    const leaky = new APIConnectionError('bad header', {
      cause: new TypeError('Headers.append: "Bearer sk-secret0123456789abcdef" is an invalid header value.'),
    });
    expect(JSON.stringify(leaky)).not.toContain('sk-secret0123456789abcdef');
    expect(JSON.stringify(leaky)).toContain('Bearer ****');
  });
});

describe('redact', () => {
  it('masks the key, bearer tokens and sk- keys', () => {
    expect(redact(`key ${KEY} here`, KEY)).toBe(`key ****cdef here`);
    expect(redact('Authorization: Bearer abc.def-123')).toBe('Authorization: Bearer ****');
    expect(redact('leaked sk-abcdefghijklmnop1234')).toBe('leaked ****1234');
    expect(redactUrl('https://user:pass@api.example.com/v1')).toBe('https://****@api.example.com/v1');
    expect(redactUrl('https://api.example.com/a@b')).toBe('https://api.example.com/a@b');
  });
});
