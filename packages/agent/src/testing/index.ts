/**
 * `@plumb/agent/testing`: test doubles for unit tests of agent logic, kept out of the main entry.
 * The emulator (`@plumb/testing`) stays the integration test: it speaks DeepSeek's wire protocol.
 */
export type {
  ScriptedAnswer,
  ScriptedFailure,
  ScriptedModel,
  ScriptedModelOptions,
  ScriptedToolCall,
  ScriptedTurn,
} from '../model/scripted.js';
export { scriptedModel } from '../model/scripted.js';
