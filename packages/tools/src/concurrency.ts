import { describeValue, isPositiveInteger, onAbort } from '@plumb/core/internal';
import { ToolDefinitionError } from './errors.js';

/** Frees a slot taken with `acquire()`; calling it again does nothing. */
export type Release = () => void;

/**
 * At most `limit` holders at a time, first come first served. The limit of a tool's or a pack's
 * `concurrency` option: it spans every run and every runner using that tool or pack, since the
 * state it protects (a browser page, a connection) is shared by all of them.
 */
export class Semaphore {
  readonly limit: number;
  #active = 0;
  readonly #queue: Array<(release: Release) => void> = [];

  constructor(limit: number) {
    this.limit = limit;
  }

  /**
   * Resolves with a release function once a slot is free, or with `undefined` when `signal`
   * aborts first (the waiter then leaves the queue and never takes a slot).
   */
  acquire(signal: AbortSignal | undefined): Promise<Release | undefined> {
    if (signal?.aborted) return Promise.resolve(undefined);
    if (this.#active < this.limit) {
      this.#active++;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((resolve) => {
      const waiter = (release: Release): void => {
        unsubscribe?.();
        resolve(release);
      };
      const unsubscribe =
        signal === undefined
          ? undefined
          : onAbort(signal, () => {
              const index = this.#queue.indexOf(waiter);
              if (index !== -1) this.#queue.splice(index, 1);
              resolve(undefined);
            });
      this.#queue.push(waiter);
    });
  }

  #releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#queue.shift();
      // The slot passes straight to the next waiter, so nobody can overtake the queue.
      if (next !== undefined) next(this.#releaser());
      else this.#active--;
    };
  }
}

/** Checks a `concurrency` option (a positive integer) and builds its semaphore. */
export function concurrencyLimit(value: unknown, owner: string): Semaphore | undefined {
  if (value === undefined) return undefined;
  if (!isPositiveInteger(value)) {
    throw new ToolDefinitionError(
      `${owner}: concurrency must be a positive integer (1 runs the calls one at a time), got ${describeValue(value)}.`,
    );
  }
  return new Semaphore(value);
}
