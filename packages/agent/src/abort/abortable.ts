import { onAbort } from '@plumb/tools';

/** What `unlessAborted` resolves with when the run's signal fired first. */
export const ABORTED: unique symbol = Symbol('aborted');

/**
 * Waits for `promise` (user code: an async validation, a `needsApproval` check) unless the run
 * is aborted first: then it resolves with `ABORTED` at once and the promise's outcome is ignored,
 * so a hanging check cannot hold up an abort.
 */
export function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.resolve(ABORTED);
  }
  return new Promise((resolve, reject) => {
    // One listener on the signal however many checks wait on it (see onAbort).
    const unsubscribe = onAbort(signal, () => resolve(ABORTED));
    promise.then(
      (value) => {
        unsubscribe();
        resolve(value);
      },
      (error: unknown) => {
        unsubscribe();
        reject(error);
      },
    );
  });
}
