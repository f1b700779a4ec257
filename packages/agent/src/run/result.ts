import type { ChatMessage, Cost, FinishReason, Usage, UserContentPart } from '@plumb/core';
import type { CompactionReport } from '../context/report.js';
import type { CacheBreak } from '../control/loop-control.js';
import type { RunState } from '../state/run-state.js';
import type { StepRequest } from '../telemetry/step-request.js';
import type { LanguageModelUsage } from './ai-sdk-usage.js';

/**
 * Why a run ended.
 * - `stop`: the model gave its final answer.
 * - `length`, `content_filter`, `insufficient_system_resource`: DeepSeek cut the last turn
 *   (`finish_reason`); its text is kept, its tool calls are not executed.
 * - `aborted`: the caller's `signal` fired, or DeepSeek answered `finish_reason: 'aborted'`.
 * - `max_steps`: `maxSteps` model turns were used. `budget`: `budget.maxCost` was reached.
 * - `interrupted`: a tool call needs approval; see `result.interruptions` and `result.state`.
 * - `tool_error`: `maxConsecutiveToolErrors` steps in a row had only failing tool calls.
 * - `stopped`: a `stopWhen` condition held after a step.
 * - `error`: only on the partial result of an `AgentRunError`.
 */
export type AgentFinishReason =
  | 'stop'
  | 'length'
  | 'content_filter'
  | 'insufficient_system_resource'
  | 'max_steps'
  | 'budget'
  | 'aborted'
  | 'interrupted'
  | 'tool_error'
  | 'stopped'
  | 'error';

/**
 * How a step's model turn ended: DeepSeek's `finish_reason`, `aborted` for a caller abort, or
 * `error` for a turn the API failed part-way (the step holds the text and reasoning that arrived;
 * the run rejects with an AgentRunError whose `result.steps` ends with it).
 */
export type StepFinishReason = FinishReason | 'error';

/** What happened to one tool call. */
export type ToolCallStatus = 'ok' | 'error' | 'rejected' | 'cancelled' | 'pending';

/** One tool call of a step and its outcome. */
export interface ToolCallRecord {
  /** DeepSeek's call id (`call_00_...`). */
  id: string;
  /** The tool name the model asked for (possibly unknown). */
  name: string;
  /** The parsed, validated arguments; `undefined` when they did not parse or validate. */
  args: unknown;
  /** The arguments JSON exactly as the model sent it. */
  rawArguments: string;
  /** What `execute` returned (`undefined` on error, rejection, cancellation or while pending). */
  result: unknown;
  /** Why the call failed (unknown tool, invalid arguments, a throw, a timeout), when it did. */
  error?: string | undefined;
  /** `ok`, `error`, `rejected` (approval denied), `cancelled` (run aborted) or `pending` (awaiting approval). */
  status: ToolCallStatus;
  /** The tool message content the model received (as text; see `parts` for images). */
  content: string;
  /**
   * True when the call was answered by a timeout or an abort but `execute` had still not settled
   * a second after its signal aborted: the tool ignored its signal, the run went on without it,
   * and its side effect may still happen.
   */
  abandoned?: boolean | undefined;
  /** Set when the `onToolCall` steering hook answered the call instead of the tool: `skip` or `reject`. */
  steered?: 'skip' | 'reject' | undefined;
  /** When the result had images (`ToolResultContent`): the content parts sent as the tool message. */
  parts?: UserContentPart[] | undefined;
  /** Usage of a sub-agent run (`agent.asTool()`), when this tool was an agent. */
  usage?: Usage | undefined;
  /** Cost of a sub-agent run (`agent.asTool()`), when known. */
  cost?: Cost | undefined;
  /** When `execute` started (ISO time); unset for calls answered without running. */
  startedAt?: string | undefined;
  /** When `execute` finished, failed, timed out or was cancelled (ISO time). */
  endedAt?: string | undefined;
  /** How long the call ran, in milliseconds. */
  durationMs?: number | undefined;
}

/**
 * One model turn and the tool calls it made. Its model call's request id and timings (`requestId`, `startedAt`,
 * `latencyMs`, `queueMs`, `firstChunkMs`, `slotWaitMs`, `retries`) come from `StepRequest`.
 */
export interface AgentStep extends StepRequest {
  /** 0-based position in `result.steps`. */
  index: number;
  /** The turn's answer text (`content`). */
  text: string;
  /** The turn's `reasoning_content` ("" in non-thinking mode). */
  reasoning: string;
  /** The turn's tool calls in call order, with their outcomes. */
  toolCalls: ToolCallRecord[];
  /** The model call's token usage (zeros when the turn was aborted before usage arrived). */
  usage: Usage;
  /** The model call's cost (`costOf`), or undefined when the model has no known price. */
  cost: Cost | undefined;
  /** `prompt_cache_hit_tokens / prompt_tokens` for this call (0 when unknown). */
  cacheHitRatio: number;
  /** DeepSeek's `finish_reason` for the turn (`aborted` also when the caller aborted it). */
  finishReason: StepFinishReason;
  /** When `output` is set: why this step's answer was rejected and re-asked. */
  outputError?: string | undefined;
  /**
   * Set when this step's request no longer shared the run's previous request's cached prefix
   * (instructions, tools or model changed, or earlier messages were rewritten): what changed and
   * the estimated cache-miss tokens it cost.
   */
  cacheBreak?: CacheBreak | undefined;
}

/** A tool call waiting for the program's approval. */
export interface PendingApproval {
  /** The call id: pass it to `state.approve(id)` or `state.reject(id, { reason })`. */
  id: string;
  /** The tool's name. */
  name: string;
  /** The parsed, validated arguments. */
  args: unknown;
  /** The arguments JSON as the model sent it: on resume, exactly this is parsed again and run. */
  rawArguments: string;
}

/**
 * The outcome of `agent.run()` (and `agent.stream().result`). With an `output` schema, a run that
 * ended with `finishReason: 'stop'` has its validated `output` (typed as present: check
 * `finishReason === 'stop'` first); other endings may have none.
 */
export type AgentResult<TOutput = undefined> = AgentResultFields<TOutput> & OutputByFinish<TOutput>;

type OutputByFinish<TOutput> = [TOutput] extends [undefined]
  ? { finishReason: AgentFinishReason }
  :
      | { finishReason: 'stop'; output: TOutput }
      | { finishReason: Exclude<AgentFinishReason, 'stop'>; output: TOutput | undefined };

/** The fields of every AgentResult (see `AgentResult`). */
export interface AgentResultFields<TOutput = undefined> {
  /** The last turn's answer text. */
  text: string;
  /**
   * With an `output` schema: the validated final answer (present when `finishReason` is
   * `'stop'`); otherwise undefined.
   */
  output: TOutput | undefined;
  /** The last turn's reasoning (`reasoning_content`), "" when none. */
  reasoning: string;
  /**
   * The full wire history (system message once, user input, every assistant turn and tool
   * message), always valid to send again: continue with
   * `agent.run([...result.messages, { role: 'user', content }])`.
   */
  messages: ChatMessage[];
  /** Every model turn of the run, in order (including turns before an interruption). */
  steps: AgentStep[];
  /** Total token usage of the run (model turns plus sub-agents), DeepSeek's wire names. */
  usage: Usage;
  /** The same total under the AI SDK's names (`inputTokens`, `outputTokens`, ...); per step: `steps[i].usage`. */
  totalUsage: LanguageModelUsage;
  /** Total cost of the run, or undefined when some turn's model has no known price. */
  cost: Cost | undefined;
  /** `prompt_cache_hit_tokens / prompt_tokens` over the whole run (0 when unknown). */
  cacheHitRatio: number;
  /** Why the run ended. */
  finishReason: AgentFinishReason;
  /** Tool calls awaiting approval (non-empty only when `finishReason` is `'interrupted'`). */
  interruptions: PendingApproval[];
  /** The resumable state when `finishReason` is `'interrupted'`; otherwise undefined. */
  state: RunState | undefined;
  /** With `context` management: every compaction of the run, in order (before/after tokens, cache lost, cost). */
  compactions?: CompactionReport[] | undefined;
  /** The run's id: tools get it as `context.runId`; a resumed run keeps the id of the run it continues. */
  runId: string;
}
