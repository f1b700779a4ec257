import type { ContextCompactedEvent } from '../context/report.js';
import type { AgentResult, AgentStep, PendingApproval, ToolCallRecord } from './result.js';

/** A model turn is about to be requested. */
export interface StepStartEvent {
  type: 'step-start';
  stepIndex: number;
}

/** A piece of the turn's `reasoning_content` (thinking mode). */
export interface ReasoningDeltaEvent {
  type: 'reasoning-delta';
  stepIndex: number;
  text: string;
}

/** A piece of the turn's answer text. */
export interface TextDeltaEvent {
  type: 'text-delta';
  stepIndex: number;
  text: string;
}

/**
 * The model called a tool. Emitted once the turn is complete (arguments are never acted on
 * while they stream), in call order, before any tool of the turn runs.
 */
export interface ToolCallEvent {
  type: 'tool-call';
  stepIndex: number;
  id: string;
  name: string;
  /** Parsed, validated arguments; undefined when they were invalid (the call then fails). */
  args: unknown;
  /** The arguments JSON as the model sent it. */
  rawArguments: string;
}

/** A tool call needs the program's approval; the run will end with `'interrupted'`. */
export interface ToolApprovalRequestEvent extends PendingApproval {
  type: 'tool-approval-request';
  stepIndex: number;
}

/** A tool call finished (in completion order; the history keeps call order). */
export interface ToolResultEvent {
  type: 'tool-result';
  stepIndex: number;
  id: string;
  name: string;
  /** What `execute` returned (undefined on error). */
  result: unknown;
  /** The tool message content the model receives. */
  content: string;
  /** True when the call failed, was rejected or was cancelled. */
  error: boolean;
  /** The full record (status, error text, arguments). */
  toolCall: ToolCallRecord;
}

/**
 * A tool call failed: its `execute` threw or timed out, its arguments were invalid, or the tool
 * is unknown (the AI SDK's `tool-error` part). It follows the call's `tool-result` event (whose
 * `error` is true); the model still receives the error as the tool result and the run goes on.
 */
export interface ToolErrorEvent {
  type: 'tool-error';
  stepIndex: number;
  id: string;
  name: string;
  /** The parsed arguments (undefined when they did not parse). */
  args: unknown;
  /** Why the call failed, as the model was told. */
  error: string;
  toolCall: ToolCallRecord;
}

/**
 * The run failed (the AI SDK's `error` part): the last event before the iteration throws the same
 * error, and `stream.result` rejects with it. `error.result` (an AgentRunError) keeps the history.
 */
export interface ErrorEvent {
  type: 'error';
  error: unknown;
}

/** A running tool call reported progress (`context.progress()`, e.g. MCP progress notifications). */
export interface ToolProgressEvent {
  type: 'tool-progress';
  stepIndex: number;
  id: string;
  name: string;
  progress: number;
  total?: number | undefined;
  message?: string | undefined;
}

/**
 * The tool set changed before this step's request (a dynamic pack such as an MCP server sent
 * `tools/list_changed`). The request's `tools` differ from the previous step's, so DeepSeek's
 * cached prefix ends before them.
 */
export interface ToolsChangedEvent {
  type: 'tools-changed';
  stepIndex: number;
  added: string[];
  removed: string[];
  /** Tools whose definition (description or parameters) changed. */
  changed: string[];
}

/** A step is complete (its tool calls answered). */
export interface StepEndEvent {
  type: 'step-end';
  stepIndex: number;
  step: AgentStep;
}

/** The run is over; the same result `stream.result` resolves with. */
export interface EndEvent<TOutput = unknown> {
  type: 'end';
  result: AgentResult<TOutput>;
}

/** Every event `agent.stream()` yields, discriminated by `type`. */
/**
 * The model wrote DSML tool-call markup into its answer text instead of calling tools: the calls
 * were `recovered` (they parsed completely into known tools with valid arguments and now run as
 * ordinary calls), or a correction was sent back (`corrected`, with the reason).
 */
export interface LeakedToolCallsEvent {
  type: 'leaked-tool-calls';
  stepIndex: number;
  action: 'recovered' | 'corrected';
  /** The recovered calls (empty when corrected). */
  calls: Array<{ name: string; args: Record<string, unknown> }>;
  reason?: string | undefined;
}

export type AgentEvent<TOutput = unknown> =
  | StepStartEvent
  | LeakedToolCallsEvent
  | ReasoningDeltaEvent
  | TextDeltaEvent
  | ToolCallEvent
  | ToolApprovalRequestEvent
  | ToolResultEvent
  | ToolErrorEvent
  | ErrorEvent
  | ToolProgressEvent
  | ToolsChangedEvent
  | ContextCompactedEvent
  | StepEndEvent
  | EndEvent<TOutput>;

/** Receives events; absent when nobody listens (plain `run()`), so emitting costs nothing. */
export type Emit = ((event: AgentEvent<unknown>) => void) | undefined;
