/**
 * A streamed request's own abort switch: what an AbortController gives it, without making one
 * unless a real `AbortSignal` is asked for. On Node an AbortController is among the most costly
 * objects a request makes (its signal is an EventTarget made transferable), and most requests are
 * never aborted: what waits on one (the attempt, the `maxConcurrency` slot) subscribes here, and
 * a signal is made on first use only (p-retry's backoff after a failed attempt, or a caller that
 * reads it). Aborting it aborts that signal too, with the same reason.
 */

type Listener = () => void;

export class AbortLatch {
  #aborted = false;
  #reason: unknown;
  #controller: AbortController | undefined;
  #listeners: Listener[] | undefined;

  get aborted(): boolean {
    return this.#aborted;
  }

  /** Why it was aborted: the reason given, else an `AbortError` DOMException (as `AbortController.abort()` makes). */
  get reason(): unknown {
    return this.#reason;
  }

  /** A real AbortSignal that follows this latch (made on first use; already aborted if the latch is). */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** Aborts once: the signal (if one was made), then every subscriber in order. Later calls do nothing. */
  abort(reason?: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason =
      reason === undefined ? new DOMException('This operation was aborted', 'AbortError') : reason;
    this.#controller?.abort(this.#reason);
    const listeners = this.#listeners;
    this.#listeners = undefined;
    if (listeners === undefined) return;
    for (const listener of listeners) {
      try {
        listener();
      } catch {
        // One subscriber's failure must not keep the others from hearing the abort (as an EventTarget).
      }
    }
  }

  /** How many subscribers wait (none once it aborted). */
  get waiting(): number {
    return this.#listeners?.length ?? 0;
  }

  /**
   * Calls `listener` once when the latch aborts; returns the function that unsubscribes it. An
   * aborted latch is the caller's to check first: the listener is then never called.
   */
  onAbort(listener: Listener): () => void {
    if (this.#aborted) return noop;
    const listeners = this.#listeners ?? [];
    this.#listeners = listeners;
    listeners.push(listener);
    return () => {
      const current = this.#listeners;
      if (current === undefined) return;
      const at = current.lastIndexOf(listener);
      if (at !== -1) current.splice(at, 1);
    };
  }
}

function noop(): void {}

/** What an abort can come from: a caller's AbortSignal (non-streamed calls) or a stream's latch. */
export type AbortSource = AbortSignal | AbortLatch;

/** Calls `listener` once when `source` aborts; returns the function that unsubscribes it. */
export function subscribe(source: AbortSource, listener: Listener): () => void {
  if (source instanceof AbortLatch) return source.onAbort(listener);
  source.addEventListener('abort', listener, { once: true });
  return () => source.removeEventListener('abort', listener);
}

/** The AbortSignal of `source` (a latch makes its own on this first use). */
export function signalOf(source: AbortSource | undefined): AbortSignal | undefined {
  return source instanceof AbortLatch ? source.signal : source;
}
