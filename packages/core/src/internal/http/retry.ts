/**
 * The retry policy, run by p-retry: retry 429, 500, 502, 503, 504, connection errors and timeouts;
 * never 400/401/402/422, never a stream that already delivered a chunk, never after an abort.
 * Delay: `retry-after-ms`, else `retry-after` (seconds or HTTP date), capped at 60 s; otherwise
 * 0.5 s doubling to 8 s, minus up to 25% jitter (the backoff doubles with each retry that waited
 * it; a server-requested wait leaves it where it was). An abort cancels the wait at once.
 * (Tests shrink the 0.5 s start with the client's `initialRetryDelayMs`; the cap stays 16x it.)
 *
 * Chat completions are POST requests, and POST is retried: a repeated completion has no side effect
 * beyond its bill, and the failures retried here were not billed (openai-node does the same).
 */
import { APIConnectionError, APIError, APITimeoutError, APIUserAbortError } from '../../errors/errors.js';
import { type AbortSource, signalOf } from '../abort-latch.js';

/** Longest server-requested wait that is honoured (longer requests are capped to it). */
const MAX_RETRY_AFTER_MS = 60_000;
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
 * Exponential backoff for the `retry`th retry that waits one (1-based; retries that waited a
 * server-requested delay do not count): 0.5 s, 1 s, 2 s, ... up to 8 s, minus up to 25% jitter.
 * `initialMs` replaces the 0.5 s start (the ceiling stays 16 times the start).
 */
export function backoffMs(
  retry: number,
  random: () => number = Math.random,
  initialMs: number = INITIAL_RETRY_DELAY_MS,
): number {
  const base = initialMs * 2 ** Math.min(Math.max(0, retry - 1), MAX_DOUBLINGS);
  return base * (1 - random() * 0.25);
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
  /** The whole wait before the next attempt, as it is waited. */
  delayMs: number;
  retriesLeft: number;
}

/** Options of `withRetries`. */
export interface RetryOptions {
  maxRetries: number;
  /** Start of the backoff (doubling per backoff retry, at most 16x). @default 500 */
  initialDelayMs?: number | undefined;
  /** A stream's latch makes its AbortSignal only here, once an attempt failed. */
  signal?: AbortSource | undefined;
  onRetry?: ((info: RetryInfo) => void) | undefined;
}

/**
 * The share of the backoff p-retry waits by itself. The rest, up to 25%, is the jitter, waited by
 * plumb: p-retry's own `randomize` multiplies by 1 to 2 (0.5 s could become 1 s, and the 8 s
 * ceiling would lose its jitter), and it draws the number inside its wait, so `onRetry` could not
 * announce the real delay.
 */
const FLOOR = 0.75;

/** p-retry's backoff options: the non-random 75% of 0.5 s doubling to 8 s (from `initialMs`). */
function pRetryBackoff(initialMs: number) {
  const minTimeout = initialMs * FLOOR;
  return { minTimeout, factor: 2, maxTimeout: minTimeout * 2 ** MAX_DOUBLINGS, randomize: false };
}

/** What p-retry 7 waits after `consumed` backoff retries (its calculateDelay, randomize off). */
function pRetryWaitMs(consumed: number, initialMs: number): number {
  const { minTimeout, factor, maxTimeout } = pRetryBackoff(initialMs);
  return Math.min(Math.round(minTimeout * factor ** consumed), maxTimeout);
}

/** The server-requested wait an error carries, if any. */
function requestedMs(error: unknown): number | undefined {
  return error instanceof APIError ? retryAfterMs(error.headers) : undefined;
}

function mayRetry(error: unknown, attemptNumber: number, options: RetryOptions): boolean {
  return isRetryableError(error) && attemptNumber <= options.maxRetries && !options.signal?.aborted;
}

/**
 * Runs `attempt` (given the 1-based attempt number) under the retry policy. p-retry counts the
 * attempts, waits the backoff and stops at an abort (its `signal`). plumb adds only what p-retry
 * cannot do:
 * - The first attempt runs before p-retry is loaded (most requests succeed at once and never load
 *   it); p-retry then starts from that attempt's error, so its numbers are plumb's.
 * - A server-requested wait (`retry-after-ms` / `retry-after`) is the whole delay, and p-retry 7's
 *   delay depends on the retry count only. Such a retry is waited here and does not consume one of
 *   p-retry's backoff retries (`shouldConsumeRetry`: no backoff wait follows it, and the next
 *   backoff continues where it was); `attemptNumber <= maxRetries` bounds all retries together.
 * - The jitter (see FLOOR), waited here before p-retry's wait.
 * - p-retry rejects an abort with the signal's reason; callers get APIUserAbortError.
 */
export async function withRetries<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  let first: unknown;
  try {
    return await attempt(1);
  } catch (error) {
    if (!mayRetry(error, 1, options)) throw error;
    first = error;
  }
  const { default: pRetry } = await import('p-retry');
  const { maxRetries } = options;
  const signal = signalOf(options.signal);
  const initialMs = options.initialDelayMs ?? INITIAL_RETRY_DELAY_MS;
  try {
    return await pRetry(
      (attemptNumber) => (attemptNumber === 1 ? Promise.reject(first) : attempt(attemptNumber)),
      {
        retries: maxRetries,
        signal,
        ...pRetryBackoff(initialMs),
        shouldConsumeRetry: ({ error }) => requestedMs(error) === undefined,
        shouldRetry: async ({ error, attemptNumber, retriesConsumed }) => {
          if (!mayRetry(error, attemptNumber, options)) return false;
          const requested = requestedMs(error);
          const pRetryWaits = requested === undefined ? pRetryWaitMs(retriesConsumed, initialMs) : 0;
          const delayMs =
            requested ?? Math.max(pRetryWaits, backoffMs(retriesConsumed + 1, Math.random, initialMs));
          const retriesLeft = maxRetries - attemptNumber + 1;
          options.onRetry?.({ error, attempt: attemptNumber, delayMs, retriesLeft });
          await sleep(delayMs - pRetryWaits, signal);
          return true;
        },
      },
    );
  } catch (error) {
    if (signal?.aborted && error === signal.reason) throw new APIUserAbortError(undefined, signal.reason);
    throw error;
  }
}
