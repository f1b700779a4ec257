import { AbortLatch } from './abort-latch.js';

type Listener = () => void;

interface FanOut {
  /** The subscribers, told in order by one latch. */
  readonly latch: AbortLatch;
  /** The one listener the signal really has. */
  readonly dispatch: Listener;
}

const fanOuts = new WeakMap<AbortSignal, FanOut>();

/**
 * Calls `listener` once when `signal` aborts; returns the function that unsubscribes it. However
 * many calls, runs or sub-agents wait on one signal, the signal itself gets a single listener
 * (removed when the last subscriber leaves), so a turn with many parallel tool calls, or many
 * runs sharing the caller's signal, never trips Node's `MaxListenersExceededWarning`.
 * An already aborted signal is the caller's to check: the listener is then never called.
 */
export function onAbort(signal: AbortSignal, listener: Listener): () => void {
  let fanOut = fanOuts.get(signal);
  if (fanOut === undefined) {
    const latch = new AbortLatch();
    const dispatch = (): void => {
      if (fanOuts.get(signal)?.latch === latch) fanOuts.delete(signal);
      latch.abort(signal.reason);
    };
    fanOut = { latch, dispatch };
    fanOuts.set(signal, fanOut);
    signal.addEventListener('abort', dispatch, { once: true });
  }
  const { latch, dispatch } = fanOut;
  const unsubscribe = latch.onAbort(listener);
  return () => {
    unsubscribe();
    if (latch.aborted || latch.waiting > 0) return;
    // Nobody waits any more: drop the real listener too, so a long-lived signal keeps nothing.
    if (fanOuts.get(signal)?.latch === latch) fanOuts.delete(signal);
    signal.removeEventListener('abort', dispatch);
  };
}
