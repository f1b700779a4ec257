type Listener = () => void;

interface FanOut {
  readonly listeners: Set<Listener>;
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
    const listeners = new Set<Listener>();
    const dispatch = (): void => {
      if (fanOuts.get(signal)?.listeners === listeners) fanOuts.delete(signal);
      for (const each of [...listeners]) {
        try {
          each();
        } catch {
          // One subscriber's failure must not keep the others from hearing the abort.
        }
      }
      listeners.clear();
    };
    fanOut = { listeners, dispatch };
    fanOuts.set(signal, fanOut);
    signal.addEventListener('abort', dispatch, { once: true });
  }
  // A wrapper per subscription, so the same function subscribed twice is called twice.
  const entry: Listener = () => listener();
  const { listeners, dispatch } = fanOut;
  listeners.add(entry);
  return () => {
    if (!listeners.delete(entry) || listeners.size > 0) return;
    // Nobody waits any more: drop the real listener too, so a long-lived signal keeps nothing.
    if (fanOuts.get(signal)?.listeners === listeners) fanOuts.delete(signal);
    signal.removeEventListener('abort', dispatch);
  };
}
