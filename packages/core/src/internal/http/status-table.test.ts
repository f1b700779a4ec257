import { describe, expect, it } from 'vitest';
import {
  APIError,
  ConflictError,
  InsufficientBalanceError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
} from '../../index.js';
import { clientFor, emulate, failureOf, hello, noWait } from '../../test-helpers.js';
import { makeAPIError } from './error-response.js';
import { isRetryableError } from './retry.js';

const context = { method: 'POST', path: '/chat/completions', secrets: [] };
const body = JSON.stringify({ error: { message: 'boom', type: 'invalid_request_error' } });
const error = (status: number, headers: Record<string, string> = {}) =>
  makeAPIError(status, body, new Headers(headers), context);

describe('one status table: class, retry and message agree', () => {
  it('maps 403, 404 and 409 to their openai-node classes, exported from core', () => {
    expect(error(403)).toBeInstanceOf(PermissionDeniedError);
    expect(error(404)).toBeInstanceOf(NotFoundError);
    expect(error(409)).toBeInstanceOf(ConflictError);
    for (const status of [403, 404, 409]) expect(error(status)).toBeInstanceOf(APIError);
  });

  it('retries 408, 409, 429 and every 5xx (501 included), and nothing else by default', () => {
    for (const status of [408, 409, 429, 500, 501, 502, 503, 504, 599])
      expect(error(status).isRetryable).toBe(true);
    for (const status of [400, 401, 402, 403, 404, 413, 422, 451])
      expect(error(status).isRetryable).toBe(false);
    expect(error(501)).toBeInstanceOf(InternalServerError);
  });

  it('says "Retried automatically" exactly when isRetryable (and isRetryableError) is true, for every status', () => {
    for (let status = 400; status < 600; status++) {
      for (const headers of [{}, { 'x-should-retry': 'true' }, { 'x-should-retry': 'false' }]) {
        const e = error(status, headers);
        expect(e.message.includes('Retried automatically'), `${status} ${JSON.stringify(headers)}`).toBe(
          e.isRetryable,
        );
        expect(isRetryableError(e)).toBe(e.isRetryable);
      }
    }
  });

  it('honours x-should-retry, except that a 402 is never retried', () => {
    expect(error(500, { 'x-should-retry': 'false' }).isRetryable).toBe(false);
    expect(error(400, { 'x-should-retry': 'true' }).isRetryable).toBe(true);
    const balance = error(402, { 'x-should-retry': 'true' });
    expect(balance).toBeInstanceOf(InsufficientBalanceError);
    expect(balance.isRetryable).toBe(false);
    expect(balance.message).toMatch(/Top up.*not retried/);
  });

  it('never retries an error sent inside a stream', () => {
    const inStream = makeAPIError(undefined, body, new Headers({ 'x-should-retry': 'true' }), context);
    expect(inStream.isRetryable).toBe(false);
  });
});

describe('the client follows the table', () => {
  it('retries a 409 and a 408', async () => {
    for (const status of [409, 408]) {
      const emulator = await emulate({ faults: [{ status, times: 1, headers: noWait }] });
      const completion = await clientFor({ maxRetries: 1 }).chat.completions.create(hello);
      expect(completion.choices[0]?.message.content).toBeTruthy();
      expect(emulator.requests.map((request) => request.status)).toEqual([status, 200]);
    }
  });

  it('does not retry a 500 sent with x-should-retry: false, and retries a 400 sent with x-should-retry: true', async () => {
    let emulator = await emulate({
      faults: [{ status: 500, headers: { ...noWait, 'x-should-retry': 'false' } }],
    });
    expect(await failureOf(clientFor({ maxRetries: 2 }).chat.completions.create(hello))).toBeInstanceOf(
      InternalServerError,
    );
    expect(emulator.requests).toHaveLength(1);
    emulator = await emulate({
      faults: [{ status: 400, times: 1, headers: { ...noWait, 'x-should-retry': 'true' } }],
    });
    await clientFor({ maxRetries: 1 }).chat.completions.create(hello);
    expect(emulator.requests.map((request) => request.status)).toEqual([400, 200]);
  });

  it('turns a 403 and a 404 into their classes without retrying', async () => {
    const emulator = await emulate({
      faults: [
        { status: 403, times: 1, headers: noWait },
        { status: 404, headers: noWait },
      ],
    });
    const client = clientFor({ maxRetries: 2 });
    expect(await failureOf(client.chat.completions.create(hello))).toBeInstanceOf(PermissionDeniedError);
    expect(await failureOf(client.models.list())).toBeInstanceOf(NotFoundError);
    expect(emulator.requests).toHaveLength(2);
  });
});
