export { Agent } from './agent.js';
export type { LanguageModelUsage } from './ai-sdk-usage.js';
export { aiSdkUsage } from './ai-sdk-usage.js';
export type { AsToolOptions } from './as-tool.js';
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
export {
  AgentConfigError,
  AgentError,
  AgentRunError,
  MaxStepsExceededError,
  RunStateError,
  StructuredOutputError,
} from './errors.js';
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
} from './events.js';
export type { AgentHooks, ToolCallDecision, ToolCallSteering, ToolCallSteeringEvent } from './hooks.js';
export type { CacheBreak, Instructions, InstructionsContext } from './loop-control.js';
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
} from './options.js';
export type {
  AgentFinishReason,
  AgentResult,
  AgentResultFields,
  AgentStep,
  PendingApproval,
  StepFinishReason,
  ToolCallRecord,
  ToolCallStatus,
} from './result.js';
export { run } from './run-function.js';
export type { ApprovalDecision, RunStateJSON, RunStateTrace, SignOptions } from './run-state.js';
export { RunState } from './run-state.js';
export type { AgentStream } from './run-stream.js';
export { SessionConflictError, SessionError } from './session/errors.js';
export { checkFrom, MemorySessionStore } from './session/memory-store.js';
export type { ForkSessionOptions, SessionOptions, SessionSnapshot } from './session/session.js';
export { checkSessionKey, forkSession, readSession } from './session/session.js';
export type {
  ListSessionsOptions,
  SessionStore,
  SessionSummary,
  SessionWrite,
  StoredSession,
} from './session/store.js';
export type { StateSecret } from './state-signing.js';
export type { HookInfo, ModelTurnInfo, StepMiddleware, ToolCallInfo } from './step-middleware.js';
export type { StopCondition, StopState } from './stop-conditions.js';
export { hasToolCall, stepCountIs } from './stop-conditions.js';
export type { RecordedRunStart, RunRecorder, RunRecording } from './telemetry/recorder.js';
export { GLOBAL_RECORDER } from './telemetry/recorder.js';
export type { StepRequest } from './telemetry/step-request.js';
