/**
 * The client's `maxConcurrency` limit: a FIFO semaphore. DeepSeek's 429 is a cap on the requests an
 * account has in flight (from send until the response completes), so a request holds its slot
 * until its body was read or its stream ended, not just until its headers arrived.
 */
import { APIUserAbortError } from '../../errors/errors.js';

/** One request waiting for a slot, in a doubly linked queue (an abort removes it in O(1)). */
interface Waiter {
  grant: () => void;
  prev: Waiter | undefined;
  next: Waiter | undefined;
}

const ABORTED_WHILE_QUEUED =
  'The request was aborted by the caller while it waited for a free slot (the client’s `maxConcurrency`); nothing was sent.';

/** @internal At most `limit` holders at once; the others wait in arrival order. */
export class ConcurrencyLimiter {
  readonly limit: number;
  #active = 0;
  #waiting = 0;
  #head: Waiter | undefined;
  #tail: Waiter | undefined;

  constructor(limit: number) {
    this.limit = limit;
  }

  /** Slots held now. */
  get active(): number {
    return this.#active;
  }

  /** Requests waiting for a slot. */
  get waiting(): number {
    return this.#waiting;
  }

  /** Takes a slot if one is free and nobody waits (no allocation); false otherwise. */
  tryAcquire(): boolean {
    if (this.#active >= this.limit || this.#waiting > 0) return false;
    this.#active++;
    return true;
  }

  /**
   * Waits for a slot in FIFO order (call it after `tryAcquire` failed). Rejects with
   * APIUserAbortError, and leaves the queue, when `signal` aborts first.
   */
  acquire(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(new APIUserAbortError(ABORTED_WHILE_QUEUED, signal.reason));
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.#unlink(waiter);
        reject(new APIUserAbortError(ABORTED_WHILE_QUEUED, signal?.reason));
      };
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        prev: this.#tail,
        next: undefined,
      };
      if (this.#tail) this.#tail.next = waiter;
      else this.#head = waiter;
      this.#tail = waiter;
      this.#waiting++;
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Gives a slot back: straight to the first waiter (the count stays), else it becomes free. */
  release(): void {
    const next = this.#head;
    if (next === undefined) {
      this.#active--;
      return;
    }
    this.#unlink(next);
    next.grant();
  }

  #unlink(waiter: Waiter): void {
    if (waiter.prev === undefined && this.#head !== waiter) return; // not queued (any more)
    if (waiter.prev) waiter.prev.next = waiter.next;
    else this.#head = waiter.next;
    if (waiter.next) waiter.next.prev = waiter.prev;
    else this.#tail = waiter.prev;
    waiter.prev = undefined;
    waiter.next = undefined;
    this.#waiting--;
  }
}
