/**
 * The retry policy, run by p-retry: retry 429, 500, 502, 503, 504, connection errors and timeouts;
 * never 400/401/402/422, never a stream that already delivered a chunk, never after an abort.
 * Delay: `retry-after-ms`, else `retry-after` (seconds or HTTP date), capped at 60 s; otherwise
 * 0.5 s doubling to 8 s, minus up to 25% jitter. An abort cancels the wait at once.
 * (Tests shrink the 0.5 s start with the client's `initialRetryDelayMs`; the cap stays 16x it.)
 *
 * Chat completions are POST requests, and POST is retried: a repeated completion has no side effect
 * beyond its bill, and the failures retried here were not billed (openai-node does the same).
 */
import { APIConnectionError, APIError, APITimeoutError, APIUserAbortError } from './errors.js';

/** Longest server-requested wait that is honoured (longer requests are capped to it). */
export const MAX_RETRY_AFTER_MS = 60_000;
/** Backoff before the first retry when the server asks for no particular wait. */
export const INITIAL_RETRY_DELAY_MS = 500;
/** The backoff doubles at most this many times (0.5 s -> 8 s). */
const MAX_DOUBLINGS = 4;

/** Whether the client retries this error by itself. */
export function isRetryableError(error: unknown): boolean {
  if (error instanceof APIError) return error.isRetryable;
  // A timeout in the `maxConcurrency` queue: a retry would only queue again, at the back.
  if (error instanceof APITimeoutError && error.kind === 'slot') return false;
  return error instanceof APIConnectionError; // other APITimeoutErrors included
}

/** The wait the server asked for in `retry-after-ms` / `retry-after`, or undefined. */
export function retryAfterMs(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  // retry-after-ms is not standard, but OpenAI-compatible servers send it.
  const ms = headers.get('retry-after-ms');
  if (ms !== null) {
    const value = Number.parseFloat(ms);
    if (Number.isFinite(value) && value >= 0) return Math.min(value, MAX_RETRY_AFTER_MS);
  }
  const after = headers.get('retry-after');
  if (after !== null) {
    const seconds = Number(after);
    if (after.trim() !== '' && Number.isFinite(seconds) && seconds >= 0)
      return Math.min(seconds * 1000, MAX_RETRY_AFTER_MS);
    const date = Date.parse(after);
    if (Number.isFinite(date)) return Math.min(Math.max(0, date - now), MAX_RETRY_AFTER_MS);
  }
  return undefined;
}

/**
 * Exponential backoff for retry number `retry` (1-based): 0.5 s, 1 s, 2 s, ... up to 8 s, minus up to
 * 25% jitter. `initialMs` replaces the 0.5 s start (the ceiling stays 16 times the start).
 */
export function backoffMs(
  retry: number,
  random: () => number = Math.random,
  initialMs: number = INITIAL_RETRY_DELAY_MS,
): number {
  const base = initialMs * 2 ** Math.min(Math.max(0, retry - 1), MAX_DOUBLINGS);
  return base * (1 - random() * 0.25);
}

/** The delay before retry number `retry` after `error`: what the server asked for, else the backoff. */
export function retryDelayMs(
  error: unknown,
  retry: number,
  initialMs: number = INITIAL_RETRY_DELAY_MS,
): number {
  const requested = error instanceof APIError ? retryAfterMs(error.headers) : undefined;
  return requested ?? backoffMs(retry, Math.random, initialMs);
}

/** Waits `ms`, or rejects with APIUserAbortError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(new APIUserAbortError(undefined, signal.reason));
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new APIUserAbortError(undefined, signal?.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Information passed to `onRetry` before each wait. */
export interface RetryInfo {
  error: unknown;
  /** The attempt that failed (1-based). */
  attempt: number;
  delayMs: number;
  retriesLeft: number;
}

/** Options of `withRetries`. */
export interface RetryOptions {
  maxRetries: number;
  /** Start of the backoff (doubling per retry, at most 16x). @default 500 */
  initialDelayMs?: number | undefined;
  signal?: AbortSignal | undefined;
  onRetry?: ((info: RetryInfo) => void) | undefined;
}

async function beforeRetry(
  error: unknown,
  attempt: number,
  retriesLeft: number,
  options: RetryOptions,
): Promise<boolean> {
  if (!isRetryableError(error) || options.signal?.aborted) return false;
  const delayMs = retryDelayMs(error, attempt, options.initialDelayMs);
  options.onRetry?.({ error, attempt, delayMs, retriesLeft });
  await sleep(delayMs, options.signal);
  return true;
}

/**
 * Runs `attempt` (given the 1-based attempt number) under the retry policy. The first attempt runs
 * directly (the common, successful case costs nothing extra); p-retry drives the retries.
 */
export async function withRetries<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  try {
    return await attempt(1);
  } catch (error) {
    if (options.maxRetries <= 0 || !(await beforeRetry(error, 1, options.maxRetries, options))) throw error;
  }
  // Loaded only when a first attempt failed and may be retried: most requests never need it.
  const { default: pRetry } = await import('p-retry');
  return pRetry((attemptNumber) => attempt(attemptNumber + 1), {
    retries: options.maxRetries - 1,
    // p-retry's own backoff is switched off: the delay depends on the error (retry-after), so it is
    // waited for in shouldRetry, where an abort can cut it short.
    minTimeout: 0,
    factor: 1,
    shouldRetry: ({ error, attemptNumber, retriesLeft }) =>
      beforeRetry(error, attemptNumber + 1, retriesLeft, options),
  });
}
