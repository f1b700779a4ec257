import { GLOBAL_RECORDER } from '@plumb/agent';
import { createRecorder, type Recorder } from './recorder.js';
import { DEFAULT_DB_PATH } from './sqlite-store.js';

const OFF = new Set(['', '0', 'false', 'off', 'no']);
const ON = new Set(['1', 'true', 'on', 'yes']);

/**
 * Installs a recorder for every agent of the process from PLUMB_RECORD: `1`/`true` records to
 * `.plumb/runs.db`, a path records there (`.jsonl`: JSON Lines). Returns it, or undefined when
 * PLUMB_RECORD is unset or off. An agent's own `recorder` option wins (`false` opts out).
 */
export function registerFromEnv(env: Record<string, string | undefined>): Recorder | undefined {
  const value = env.PLUMB_RECORD?.trim() ?? '';
  if (OFF.has(value.toLowerCase())) return undefined;
  const recorder = createRecorder({ store: ON.has(value.toLowerCase()) ? DEFAULT_DB_PATH : value });
  (globalThis as Record<symbol, unknown>)[GLOBAL_RECORDER] = recorder;
  return recorder;
}

/** Removes the process-wide recorder (tests). */
export function unregister(): void {
  delete (globalThis as Record<symbol, unknown>)[GLOBAL_RECORDER];
}
