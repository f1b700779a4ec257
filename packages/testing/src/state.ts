import type { EmulatorOptions, GlobalFault, RecordedRequest, Script } from './types.js';
import type { IdSource } from './wire/ids.js';

/** One emulator's mutable state, shared by the routes. */
export interface EmulatorState {
  readonly options: EmulatorOptions;
  readonly apiKey: string;
  readonly ids: IdSource;
  readonly now: () => number;
  readonly contextWindow: number;
  /** Every request received so far (the most recent `maxLoggedRequests` of them). */
  readonly requests: RecordedRequest[];
  /** Requests received since start or `reset()` (the next `RecordedRequest.index`). */
  received: number;
  readonly failures: Error[];
  script: Script | undefined;
  /** Index of the next unused turn of an array script. */
  nextTurn: number;
  turnsServed: number;
  faults: Array<{ fault: GlobalFault; remaining: number }>;
  /** Chat and FIM requests currently being answered (for the concurrency limit). */
  inFlight: number;
  /** The feature rooms' own parts of the state, by slot (see {@link StateSlot}). */
  readonly slots: Map<object, { readonly value: unknown; readonly reset: (() => void) | undefined }>;
  /** Aborted by `close()`: stops timers and hanging replies. */
  readonly closing: AbortController;
}

/** Records a failure the test should see in `emulator.failures` / `assertDone()`. */
export function recordFailure(state: EmulatorState, message: string): Error {
  const error = new Error(message);
  state.failures.push(error);
  return error;
}

/**
 * A feature room's own part of one emulator's state (the prompt cache, stored files, the cassette):
 * the room declares its slot and reaches its value with `slot.of(state)`, so this module imports no
 * room and the rooms depend on the state, never the other way round.
 */
export class StateSlot<T> {
  readonly #create: (options: EmulatorOptions) => T;
  readonly #reset: ((value: T) => void) | undefined;

  /**
   * @param create makes the value from the emulator's options, on first use (or at start, see
   *   `startEmulator`).
   * @param reset clears the value on `emulator.reset()`; without it the value outlives resets.
   */
  constructor(create: (options: EmulatorOptions) => T, reset?: (value: T) => void) {
    this.#create = create;
    this.#reset = reset;
  }

  /** This slot's value in `state`, made on first use. */
  of(state: EmulatorState): T {
    const entry = state.slots.get(this);
    if (entry) return entry.value as T;
    const value = this.#create(state.options);
    const reset = this.#reset;
    state.slots.set(this, { value, reset: reset && (() => reset(value)) });
    return value;
  }
}

/** Resets every slot of `state` that has a reset (`emulator.reset()`). */
export function resetSlots(state: EmulatorState): void {
  for (const entry of state.slots.values()) entry.reset?.();
}
