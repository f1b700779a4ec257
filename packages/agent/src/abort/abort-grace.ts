import { onAbort } from '@plumb/tools';

/**
 * How long after an abort the run still waits for user code: a hook in progress, a hook called
 * while the run winds down, a tool that has not yet reacted to its aborted signal. Past it, the
 * run ends without them.
 */
const ABORT_GRACE_MS = 1_000;

/** What `AbortGrace.bound()` resolves with when the grace period ran out first. */
export const ABANDONED: unique symbol = Symbol('abandoned');

/**
 * The run's deadline after an abort. Before the abort nothing is bounded (a slow hook is the
 * program's choice); once the run's signal aborts, a timer of `ms` starts, and every wait
 * passed through `bound()` ends by then at the latest. So an abort ends the run within about
 * `ms`, whatever a hook or a tool does, short of blocking the event loop.
 */
export class AbortGrace {
  readonly #waiters = new Set<() => void>();
  #expired = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #unsubscribe: () => void;

  constructor(signal: AbortSignal, ms = ABORT_GRACE_MS) {
    const start = (): void => {
      this.#timer = setTimeout(() => this.#expire(), ms);
    };
    if (signal.aborted) {
      start();
      this.#unsubscribe = () => {};
    } else {
      this.#unsubscribe = onAbort(signal, start);
    }
  }

  /** `promise`'s value, or `ABANDONED` once the grace after an abort ran out. Never rejects for it. */
  bound<T>(promise: PromiseLike<T>): Promise<T | typeof ABANDONED> {
    if (this.#expired) {
      Promise.resolve(promise).catch(() => {});
      return Promise.resolve(ABANDONED);
    }
    return new Promise((resolve, reject) => {
      const waiter = (): void => resolve(ABANDONED);
      this.#waiters.add(waiter);
      promise.then(
        (value) => {
          this.#waiters.delete(waiter);
          resolve(value);
        },
        (error: unknown) => {
          this.#waiters.delete(waiter);
          reject(error);
        },
      );
    });
  }

  /** Stops the timer and the listener (the run is over). */
  dispose(): void {
    this.#unsubscribe();
    if (this.#timer !== undefined) clearTimeout(this.#timer);
  }

  #expire(): void {
    this.#expired = true;
    for (const waiter of this.#waiters) waiter();
    this.#waiters.clear();
  }
}

/** Whether `settled` resolves within `ms` (false: the work was abandoned and may still go on). */
export function settlesWithin(settled: Promise<void>, ms = ABORT_GRACE_MS): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    settled.then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      () => {
        clearTimeout(timer);
        resolve(true);
      },
    );
  });
}
