export { RecorderError } from './errors.js';
export { JsonlRunStore } from './jsonl-store.js';
export { MemoryRunStore } from './memory-store.js';
export type { RecorderOptions } from './recorder.js';
export { createRecorder, openStore, Recorder } from './recorder.js';
export { registerFromEnv, unregister } from './register-env.js';
export type { SqliteRunStoreOptions } from './sqlite-store.js';
export { DEFAULT_DB_PATH, SqliteRunStore } from './sqlite-store.js';
export type {
  ListRunsOptions,
  RecordedEvent,
  RecordedRun,
  RunStatus,
  RunStore,
  RunSummary,
} from './types.js';
