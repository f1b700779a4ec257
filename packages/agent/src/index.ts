export { Agent } from './agent.js';
export type { AsToolOptions } from './as-tool.js';
export {
  AgentConfigError,
  AgentError,
  AgentRunError,
  RunStateError,
  StructuredOutputError,
} from './errors.js';
export type {
  AgentEvent,
  EndEvent,
  ReasoningDeltaEvent,
  StepEndEvent,
  StepStartEvent,
  TextDeltaEvent,
  ToolApprovalRequestEvent,
  ToolCallEvent,
  ToolProgressEvent,
  ToolResultEvent,
  ToolsChangedEvent,
} from './events.js';
export type { AgentHooks } from './hooks.js';
export type {
  AgentOptions,
  Budget,
  InferOutput,
  ModelRequestOptions,
  RunInput,
  RunOptions,
} from './options.js';
export type {
  AgentFinishReason,
  AgentResult,
  AgentStep,
  PendingApproval,
  StepFinishReason,
  ToolCallRecord,
  ToolCallStatus,
} from './result.js';
export type { ApprovalDecision, RunStateJSON, RunStateTrace, SignOptions } from './run-state.js';
export type { StateSecret } from './state-signing.js';
export { RunState } from './run-state.js';
export { AgentStream } from './run-stream.js';
export { SubRunOutput } from './sub-run.js';
export type { RecordedRunStart, RunRecorder, RunRecording } from './telemetry/recorder.js';
export { GLOBAL_RECORDER } from './telemetry/recorder.js';
export type { StepRequest } from './telemetry/step-request.js';
