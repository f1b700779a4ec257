export { Agent } from './agent.js';
export type { ClearToolResultsOptions } from './context/clear-tool-results.js';
export { clearToolResults } from './context/clear-tool-results.js';
export type { DropOldestTurnsOptions } from './context/drop-oldest-turns.js';
export { dropOldestTurns } from './context/drop-oldest-turns.js';
export { ruleTokens, TokenEstimator } from './context/estimate.js';
export { ContextGuardError } from './context/guards.js';
export type { ModelLimits } from './context/limits.js';
export { knownLimits } from './context/limits.js';
export { ContextWindowError } from './context/manager.js';
export type {
  ContextOptions,
  ContextTrigger,
  PrepareStep,
  PrepareStepEvent,
  PrepareStepResult,
  StepSettings,
} from './context/options.js';
export { CONTEXT_AGENT_OPTIONS, SESSION_RUN_OPTIONS } from './context/options.js';
export type { CompactionReport, ContextCompactedEvent } from './context/report.js';
export type { CompactionInput, CompactionOutput, ContextStrategy } from './context/strategy.js';
export type { SummarizeTurnsOptions } from './context/summarize-turns.js';
export { SUMMARY_PREFIX, summarizeTurns } from './context/summarize-turns.js';
export type { CacheBreak, Instructions, InstructionsContext } from './control/loop-control.js';
export type { StopCondition, StopState } from './control/stop-conditions.js';
export { hasToolCall, stepCountIs } from './control/stop-conditions.js';
export {
  AgentConfigError,
  AgentError,
  AgentRunError,
  MaxStepsExceededError,
  RunStateError,
  StructuredOutputError,
} from './errors.js';
export type { DeepSeekChatModel, DeepSeekModelOptions } from './model/deepseek.js';
export { deepseekModel } from './model/deepseek.js';
export type { ModelMiddleware } from './model/middleware.js';
export { wrapModel } from './model/middleware.js';
export { partialTurnOf, withPartialTurn } from './model/partial.js';
export type {
  Model,
  ModelDeltaType,
  ModelRequest,
  ModelSettings,
  ModelTurn,
  PartialTurn,
} from './model/types.js';
export type {
  AgentOptions,
  Budget,
  InferOutput,
  LeakedToolCallsMode,
  ModelRequestOptions,
  RunInput,
  RunOptions,
} from './options/options.js';
export type { LanguageModelUsage } from './run/ai-sdk-usage.js';
export { aiSdkUsage } from './run/ai-sdk-usage.js';
export type {
  AgentEvent,
  EndEvent,
  ErrorEvent,
  LeakedToolCallsEvent,
  ReasoningDeltaEvent,
  StepEndEvent,
  StepStartEvent,
  TextDeltaEvent,
  ToolApprovalRequestEvent,
  ToolCallEvent,
  ToolErrorEvent,
  ToolProgressEvent,
  ToolResultEvent,
  ToolsChangedEvent,
} from './run/events.js';
export type { AgentHooks, ToolCallDecision, ToolCallSteering, ToolCallSteeringEvent } from './run/hooks.js';
export type {
  AgentFinishReason,
  AgentResult,
  AgentResultFields,
  AgentStep,
  PendingApproval,
  StepFinishReason,
  ToolCallRecord,
  ToolCallStatus,
} from './run/result.js';
export { run } from './run/run-function.js';
export type { AgentStream } from './run/run-stream.js';
export { SessionConflictError, SessionError } from './session/errors.js';
export { checkFrom, checkWrite, MemorySessionStore } from './session/memory-store.js';
export type { ForkSessionOptions, SessionOptions, SessionSnapshot } from './session/session.js';
export { checkSessionKey, forkSession, readSession } from './session/session.js';
export type {
  ListSessionsOptions,
  SessionStore,
  SessionSummary,
  SessionWrite,
  StoredSession,
} from './session/store.js';
export type { ApprovalDecision, RunStateJSON, RunStateTrace, SignOptions } from './state/run-state.js';
export { RunState } from './state/run-state.js';
export type { StateSecret } from './state/state-signing.js';
export type { HookInfo, ModelTurnInfo, StepMiddleware, ToolCallInfo } from './step/step-middleware.js';
export type { RecordedRunStart, RunRecorder, RunRecording } from './telemetry/recorder.js';
export { GLOBAL_RECORDER } from './telemetry/recorder.js';
export type { StepRequest } from './telemetry/step-request.js';
export type { AsToolOptions } from './tool-calls/as-tool.js';
