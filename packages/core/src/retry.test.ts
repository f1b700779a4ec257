import { describe, expect, it } from 'vitest';
import { makeAPIError } from './error-response.js';
import {
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  PreflightError,
  StreamInterruptedError,
} from './errors.js';
import { backoffMs, isRetryableError, retryAfterMs, retryDelayMs, sleep, withRetries } from './retry.js';

const context = { method: 'POST', path: '/chat/completions', secrets: [] };
const apiError = (status: number, headers: Record<string, string> = {}) =>
  makeAPIError(status, '{"error":{"message":"x"}}', new Headers(headers), context);

describe('isRetryableError', () => {
  it('retries 429, 500, 502, 503, 504, connection errors and timeouts', () => {
    for (const status of [429, 500, 502, 503, 504]) expect(isRetryableError(apiError(status))).toBe(true);
    expect(isRetryableError(new APIConnectionError('down'))).toBe(true);
    expect(isRetryableError(new APITimeoutError('attempt', 10, 'slow'))).toBe(true);
  });

  it('never retries 400, 401, 402, 422, aborts, interrupted streams or pre-flight errors', () => {
    for (const status of [400, 401, 402, 404, 413, 422])
      expect(isRetryableError(apiError(status))).toBe(false);
    expect(isRetryableError(new APIUserAbortError())).toBe(false);
    expect(
      isRetryableError(
        new StreamInterruptedError({
          reason: 'cut',
          partial: {},
          chunks: 3,
          requestId: undefined,
          message: 'cut',
        }),
      ),
    ).toBe(false);
    expect(isRetryableError(new PreflightError('r', 'f', 'm'))).toBe(false);
    expect(isRetryableError(new Error('other'))).toBe(false);
  });
});

describe('retryAfterMs', () => {
  it('prefers retry-after-ms, then retry-after seconds or HTTP date, capped at 60 s', () => {
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(retryAfterMs(new Headers({ 'retry-after': '1.5' }))).toBe(1500);
    expect(retryAfterMs(new Headers({ 'retry-after': '120' }))).toBe(60_000);
    const now = Date.parse('2026-11-03T00:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after': 'Tue, 03 Nov 2026 00:00:05 GMT' }), now)).toBe(5000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '-5' }))).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
});

describe('backoffMs', () => {
  it('starts at 0.5 s, doubles to at most 8 s, and jitters down by up to 25%', () => {
    expect([1, 2, 3, 4, 5, 6, 9].map((retry) => backoffMs(retry, () => 0))).toEqual([
      500, 1000, 2000, 4000, 8000, 8000, 8000,
    ]);
    expect(backoffMs(1, () => 0.999999)).toBeCloseTo(375, 0);
    expect(backoffMs(5, () => 1)).toBe(6000);
  });

  it('scales from initialMs (the test-only initialRetryDelayMs), still doubling at most 4 times', () => {
    expect([1, 2, 3, 4, 5, 6].map((retry) => backoffMs(retry, () => 0, 10))).toEqual([
      10, 20, 40, 80, 160, 160,
    ]);
    expect(backoffMs(2000, () => 0, 0)).toBe(0);
    expect(retryDelayMs(apiError(503), 1, 4)).toBeLessThanOrEqual(4);
  });

  it('uses the server-requested delay when there is one', () => {
    expect(retryDelayMs(apiError(429, { 'retry-after-ms': '0' }), 3)).toBe(0);
    const fallback = retryDelayMs(apiError(503), 2);
    expect(fallback).toBeGreaterThanOrEqual(750);
    expect(fallback).toBeLessThanOrEqual(1000);
  });
});

describe('withRetries', () => {
  it('retries a retryable failure up to maxRetries times, then throws the last error', async () => {
    let calls = 0;
    const error = apiError(429, { 'retry-after-ms': '0' });
    await expect(
      withRetries(
        async () => {
          calls++;
          throw error;
        },
        { maxRetries: 3 },
      ),
    ).rejects.toBe(error);
    expect(calls).toBe(4);
  });

  it('returns the first success and reports each retry', async () => {
    const seen: number[] = [];
    const result = await withRetries(
      async (attempt) => {
        if (attempt < 3) throw apiError(500, { 'retry-after-ms': '0' });
        return 'ok';
      },
      { maxRetries: 5, onRetry: (info) => seen.push(info.attempt) },
    );
    expect(result).toBe('ok');
    expect(seen).toEqual([1, 2]);
  });

  it('does not retry a non-retryable error', async () => {
    let calls = 0;
    await expect(
      withRetries(
        async () => {
          calls++;
          throw apiError(402);
        },
        { maxRetries: 3 },
      ),
    ).rejects.toMatchObject({ status: 402 });
    expect(calls).toBe(1);
  });

  it('an abort during the backoff wait rejects at once with APIUserAbortError', async () => {
    const controller = new AbortController();
    let calls = 0;
    const run = withRetries(
      async () => {
        calls++;
        setTimeout(() => controller.abort(), 5);
        throw apiError(503, { 'retry-after-ms': '60000' });
      },
      { maxRetries: 2, signal: controller.signal },
    );
    await expect(run).rejects.toBeInstanceOf(APIUserAbortError);
    expect(calls).toBe(1);
  });
});

describe('sleep', () => {
  it('rejects at once when the signal is already aborted', async () => {
    await expect(sleep(10_000, AbortSignal.abort())).rejects.toBeInstanceOf(APIUserAbortError);
  });
});
