import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  PreflightError,
  StreamInterruptedError,
} from '../../errors/errors.js';
import { makeAPIError } from './error-response.js';
import { backoffMs, isRetryableError, type RetryInfo, retryAfterMs, sleep, withRetries } from './retry.js';

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
  });
});

/** Runs withRetries over `errors` (one per failing attempt, then success) and returns the onRetry infos. */
async function retriesOver(errors: unknown[], initialDelayMs: number): Promise<RetryInfo[]> {
  const seen: RetryInfo[] = [];
  await withRetries(
    async (attempt) => {
      const error = errors[attempt - 1];
      if (error !== undefined) throw error;
      return 'ok';
    },
    { maxRetries: errors.length, initialDelayMs, onRetry: (info) => seen.push(info) },
  );
  return seen;
}

describe('withRetries delays', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('waits what the server asked for, else the backoff minus up to 25%', async () => {
    const seen = await retriesOver([apiError(429, { 'retry-after-ms': '0' }), apiError(503)], 8);
    expect(seen.map((info) => info.attempt)).toEqual([1, 2]);
    expect(seen[0]!.delayMs).toBe(0);
    expect(seen[1]!.delayMs).toBeGreaterThanOrEqual(6);
    expect(seen[1]!.delayMs).toBeLessThanOrEqual(8);
    expect(seen.map((info) => info.retriesLeft)).toEqual([2, 1]);
  });

  it('doubles the backoff with each retry that waited it; a server-requested wait leaves it as it was', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0); // no jitter: the delay is the whole backoff
    const dropped = () => new APIConnectionError('down');
    const seen = await retriesOver(
      [
        dropped(),
        apiError(503, { 'retry-after-ms': '0' }),
        dropped(),
        dropped(),
        dropped(),
        dropped(),
        dropped(),
      ],
      2,
    );
    expect(seen.map((info) => info.delayMs)).toEqual([2, 0, 4, 8, 16, 32, 32]);
  });

  it("onRetry's delayMs is the wait before the next attempt (fake clock: p-retry waits 750 ms of it)", async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0.5); // 1000 ms minus 12.5%: 875 ms
    const starts: number[] = [];
    const seen: RetryInfo[] = [];
    const run = withRetries(
      async (attempt) => {
        starts.push(Date.now());
        if (attempt === 1) throw new APIConnectionError('down');
        return 'ok';
      },
      { maxRetries: 1, initialDelayMs: 1000, onRetry: (info) => seen.push(info) },
    );
    await vi.advanceTimersByTimeAsync(874);
    expect(starts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(run).resolves.toBe('ok');
    expect(seen[0]!.delayMs).toBe(875);
    expect(starts[1]! - starts[0]!).toBe(875);
  });

  it("an abort during p-retry's part of the wait rejects with APIUserAbortError carrying the reason", async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0); // plumb waits 250 ms of jitter room, p-retry 750 ms
    const controller = new AbortController();
    let calls = 0;
    const run = withRetries(
      async () => {
        calls++;
        throw new APIConnectionError('down');
      },
      { maxRetries: 2, initialDelayMs: 1000, signal: controller.signal },
    );
    const outcome = run.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(600);
    controller.abort('stop');
    const error = await outcome;
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect((error as APIUserAbortError).cause).toBe('stop');
    expect(calls).toBe(1);
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
