export type { Recorder, RecorderOptions } from './cassette/recorder.js';
export { startRecorder } from './cassette/recorder.js';
export { CACHE_UNIT_TOKENS } from './chat/prompt-cache.js';
/** The `plumb-emulator` command (also `plumb emulator`). */
export type { CliIo as EmulatorCliIo, Serving } from './cli.js';
export { main as emulatorMain, serve as serveEmulator, USAGE as EMULATOR_USAGE } from './cli.js';
export { startEmulator } from './emulator.js';
export type {
  Cassette,
  CassetteInteraction,
  Emulator,
  EmulatorFinishReason,
  EmulatorOptions,
  Fault,
  FetchedPage,
  GlobalFault,
  RecordedRequest,
  Script,
  ScriptContext,
  ScriptedToolCall,
  SearchRequest,
  SearchResult,
  Turn,
} from './types.js';
export { CONTEXT_WINDOW } from './wire/errors.js';
export { SUPPORTED_MODELS } from './wire/models.js';
export { estimateTokens } from './wire/usage.js';
