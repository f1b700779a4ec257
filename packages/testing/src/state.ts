import type { CassettePlayer } from './cassette/cassette-player.js';
import type { PromptCache } from './chat/prompt-cache.js';
import type { RenderedAnswer } from './chat/rendered-answer.js';
import type { StoredFile } from './routes/files-routes.js';
import type { EmulatorOptions, GlobalFault, RecordedRequest, Script, Turn } from './types.js';
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
  readonly cache: PromptCache;
  /** Cached renderings of `prerender` turns, per request variant (kept across `reset()`). */
  readonly prerendered: WeakMap<Turn, Map<string, RenderedAnswer>>;
  /** Chat and FIM requests currently being answered (for the concurrency limit). */
  inFlight: number;
  readonly cassette: CassettePlayer | undefined;
  /** Uploads of the Files API, by id, in upload order. */
  readonly files: Map<string, StoredFile>;
  /** Aborted by `close()`: stops timers and hanging replies. */
  readonly closing: AbortController;
}

/** Records a failure the test should see in `emulator.failures` / `assertDone()`. */
export function recordFailure(state: EmulatorState, message: string): Error {
  const error = new Error(message);
  state.failures.push(error);
  return error;
}
