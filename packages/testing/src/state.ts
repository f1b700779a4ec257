import type { CassettePlayer } from './cassette/cassette-player.js';
import type { PromptCache } from './chat/prompt-cache.js';
import type { EmulatorOptions, GlobalFault, RecordedRequest, Script } from './types.js';
import type { IdSource } from './wire/ids.js';

/** One emulator's mutable state, shared by the routes. */
export interface EmulatorState {
  readonly options: EmulatorOptions;
  readonly apiKey: string;
  readonly ids: IdSource;
  readonly now: () => number;
  readonly contextWindow: number;
  readonly requests: RecordedRequest[];
  readonly failures: Error[];
  script: Script | undefined;
  /** Index of the next unused turn of an array script. */
  nextTurn: number;
  turnsServed: number;
  faults: Array<{ fault: GlobalFault; remaining: number }>;
  readonly cache: PromptCache;
  /** Chat and FIM requests currently being answered (for the concurrency limit). */
  inFlight: number;
  readonly cassette: CassettePlayer | undefined;
  /** Aborted by `close()`: stops timers and hanging replies. */
  readonly closing: AbortController;
}

/** Records a failure the test should see in `emulator.failures` / `assertDone()`. */
export function recordFailure(state: EmulatorState, message: string): Error {
  const error = new Error(message);
  state.failures.push(error);
  return error;
}
