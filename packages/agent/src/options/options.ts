import type {
  ChatMessage,
  Currency,
  DeepSeek,
  Logger,
  ModelId,
  ReasoningEffort,
  RequestOptions,
  TelemetryOptions,
  ToolChoice,
} from '@plumb/core';
import type { AnyTool, InferToolArgs, ToolPack, ToolParameters } from '@plumb/tools';
import type { ContextOptions, PrepareStep } from '../context/options.js';
import type { Instructions } from '../control/loop-control.js';
import type { StopCondition } from '../control/stop-conditions.js';
import type { Model } from '../model/types.js';
import type { AgentHooks, ToolCallSteering } from '../run/hooks.js';
import type { AgentResult } from '../run/result.js';
import type { SessionOptions } from '../session/session.js';
import type { StepMiddleware } from '../step/step-middleware.js';
import type { RunRecorder } from '../telemetry/recorder.js';

/** A money limit for one run; checked after each step with core's `costOf`. */
export interface Budget {
  /** Stop (finishReason `'budget'`) once the run's cost reaches this amount. */
  maxCost: number;
  /** The currency of `maxCost` (and of `result.cost`). @default the agent's `currency` ('USD') */
  currency?: Currency | undefined;
}

/** Per-request settings for the model calls (everything but `signal`, which is the run's). */
export type ModelRequestOptions = Omit<RequestOptions, 'signal'>;

/** The type `result.output` has for an `output` schema (undefined without one). */
export type InferOutput<TSchema> = TSchema extends ToolParameters ? InferToolArgs<TSchema> : undefined;

/** Options of `new Agent(options)`. Everything is validated when the agent is built. */
/** What the agent does with DSML tool-call markup leaked into the answer text. */
/** The `leakedToolCalls` modes (the type is built from this list, and the check lists it all). */
export const LEAKED_TOOL_CALLS_MODES = ['recover', 'correct', 'off'] as const;
export type LeakedToolCallsMode = (typeof LEAKED_TOOL_CALLS_MODES)[number];

export interface AgentOptions<TSchema extends ToolParameters | undefined = undefined> {
  /** The DeepSeek client. @default new DeepSeek() (reads DEEPSEEK_API_KEY) */
  client?: DeepSeek | undefined;
  /**
   * A DeepSeek model id, asked through `client`; or a model object (`Model`: `deepseekModel()`,
   * `wrapModel()` with middleware, your own, `scriptedModel()` in tests) that every turn is
   * asked of. With a model object, `client` (else the model's own client) serves the agent's
   * other calls: model limits, summaries, telemetry and logger defaults.
   * @default 'deepseek-flash'
   */
  model?: ModelId | Model | undefined;
  /** A name for logs, and the default tool name of `agent.asTool()`. @default 'agent' */
  name?: string | undefined;
  /**
   * The system prompt, or a function of the run (`{ runId, stepIndex, data, steps }`, sync or
   * async) called before every step. Keep it free of timestamps and other changing text: it
   * starts the cached prefix, so a changed system prompt makes the whole prompt a cache miss
   * (reported as `step.cacheBreak`).
   */
  instructions?: Instructions | undefined;
  /** Tools and tool packs; sent in this order on every request. */
  tools?: ReadonlyArray<AnyTool | ToolPack> | undefined;
  /**
   * Thinking mode. `false` sends `thinking: { type: 'disabled' }`, `true` sends `enabled`.
   * @default the model's default (on for every current DeepSeek model; nothing is sent)
   */
  thinking?: boolean | undefined;
  /** `reasoning_effort`: 'low' | 'high' | 'max' ('none' turns thinking off). @default the model's ('high') */
  reasoningEffort?: ReasoningEffort | undefined;
  /** The most model turns one run may take; then it ends with `'max_steps'`. @default 20 */
  maxSteps?: number | undefined;
  /** The most tool calls of one turn that run at the same time. @default 8 */
  toolConcurrency?: number | undefined;
  /** Default timeout of a tool call in milliseconds (a tool's own `timeoutMs` wins). @default none */
  toolTimeoutMs?: number | undefined;
  /**
   * DeepSeek V4 sometimes writes its DSML tool-call markup into the answer text instead of
   * `tool_calls`. `'recover'` turns a block that parses completely into known tools with valid
   * arguments into real calls (a `leaked-tool-calls` event says so) and sends a correction
   * otherwise; `'correct'` never recovers, only sends the correction; `'off'` leaves the text as
   * the answer. Nothing is ever recovered when a user message or tool result held DSML markup.
   * @default 'recover'
   */
  leakedToolCalls?: LeakedToolCallsMode | undefined;
  /**
   * `tool_choice`. Forcing a tool (`'required'` or `{ type: 'function', function: { name } }`)
   * is rejected by DeepSeek in thinking mode, so it needs `thinking: false` (an
   * `AgentConfigError` says so otherwise). A forced choice applies to the first step of a run
   * only; later steps use `'auto'`, so the model can answer after the forced call.
   * @default 'auto' (nothing is sent)
   */
  toolChoice?: ToolChoice | undefined;
  /**
   * Structured output: a zod object schema. The agent sends `response_format: { type:
   * 'json_object' }`, explains the JSON schema in the system prompt, and parses and validates
   * the final answer into `result.output` (re-asking on failure, see `maxOutputRetries`).
   */
  output?: TSchema | undefined;
  /** How many times an answer that fails the `output` schema is re-asked. @default 2 */
  maxOutputRetries?: number | undefined;
  /**
   * After this many steps in a row where every tool call failed (unknown tool, invalid
   * arguments, a throw, a timeout), the run ends with `'tool_error'`. @default 3
   */
  maxConsecutiveToolErrors?: number | undefined;
  /** A money limit per run (see `Budget`). @default none */
  budget?: Budget | undefined;
  /** The currency of `result.cost` when no `budget` says otherwise. @default 'USD' */
  currency?: Currency | undefined;
  /** `max_tokens` of every model call (reasoning included). */
  maxTokens?: number | undefined;
  /** `temperature` (ignored by DeepSeek in thinking mode). */
  temperature?: number | undefined;
  /** `top_p`. */
  topP?: number | undefined;
  /** `user_id`: isolates DeepSeek's cache and scheduling per end user. */
  userId?: string | undefined;
  /**
   * Automatic context management: token estimates before each step, and compaction strategies
   * (clear old tool results, summarize older turns, drop oldest turns) run when a trigger fires.
   * See `ContextOptions`. @default none (the history only grows)
   */
  context?: ContextOptions | undefined;
  /**
   * Changes a step before it is sent: its messages, active tools, model, thinking, reasoning
   * effort or instructions, with the compaction guards (see `PrepareStep`).
   */
  prepareStep?: PrepareStep | undefined;
  /**
   * Ends a run early: a condition (`stepCountIs(n)`, `hasToolCall(name)`, or your own
   * `(state) => boolean | Promise<boolean>`) or an array of them (any one stops the run),
   * checked after each step that would continue. The run ends with `finishReason: 'stopped'`;
   * `maxSteps` stays the upper bound. @default none
   */
  stopWhen?: StopCondition | readonly StopCondition[] | undefined;
  /**
   * Steering: called before each tool call runs (after validation and any approval); may answer
   * the call itself (`{ action: 'skip', result }`) or reject it (`{ action: 'reject', reason }`).
   * Unlike `hooks`, a throw fails the run. See `ToolCallSteering`.
   */
  onToolCall?: ToolCallSteering | undefined;
  /** Called once with the result when a run resolves, before the run's own `onFinish`. */
  onFinish?: ((result: AgentResult<unknown>) => unknown) | undefined;
  /** Called once with `{ error }` when a run rejects, before the run's own `onError`. */
  onError?: ((event: { error: unknown }) => unknown) | undefined;
  /** Not an option here: the per-step callback is `hooks.onStepEnd` (passing it throws, naming that). */
  onStepFinish?: never;
  /** Observability callbacks (see `AgentHooks`). */
  hooks?: AgentHooks | undefined;
  /**
   * OpenTelemetry spans for every run (`invoke_agent`, `chat`, `execute_tool`; GenAI semantic
   * conventions) and metrics: `true` uses OpenTelemetry's global providers, or pass `{ tracer,
   * meter, recordContent, secrets }`. Needs the optional peer `@opentelemetry/api`. Content is
   * recorded only with `recordContent: true`, redacted. See docs/guides/observability.md.
   * @default the client's `telemetry` (off)
   */
  telemetry?: TelemetryOptions | undefined;
  /**
   * Records every run as structured events (`@plumb/recorder`), or `false` to record none even
   * when a recorder is registered globally (PLUMB_RECORD). @default the global recorder, if any
   */
  recorder?: RunRecorder | false | undefined;
  /** A pino logger; the loop logs at debug level. @default the client's logger (silent unless configured) */
  logger?: Logger | undefined;
  /** Timeout, idle timeout, retries and headers of the model calls. Retries are core's only: the agent never adds its own. */
  requestOptions?: ModelRequestOptions | undefined;
}

/** Options of one `agent.run()` / `agent.stream()`. */
export interface RunOptions {
  /** Aborts the run: the model request is cancelled, running tools are signalled, the history stays valid. */
  signal?: AbortSignal | undefined;
  /** Overrides the agent's `maxSteps` for this run (steps before an interruption count). */
  maxSteps?: number | undefined;
  /** Overrides the agent's `budget` for this run. */
  budget?: Budget | undefined;
  /** Passed to every tool as `context.data` (and to `needsApproval` functions). */
  data?: unknown;
  /** Overrides the agent's `requestOptions` for this run. */
  requestOptions?: ModelRequestOptions | undefined;
  /**
   * A stored conversation `{ store, id, userId? }`: the run loads its history, runs on it plus
   * `input` (the new message(s) only, or the session's paused `RunState`), and saves the new
   * turns with a compare-and-set write. See `SessionOptions`.
   */
  session?: SessionOptions | undefined;
  /**
   * The id of a new run (tools get it as `context.runId`; idempotency keys start with it), e.g. a
   * durable run's id. A resumed `RunState` keeps its own. @default a random `run_...` id
   */
  runId?: string | undefined;
  /** Advanced: wraps each model turn and tool call, e.g. as durable steps (see `StepMiddleware`). */
  steps?: StepMiddleware | undefined;
  /** DeepSeek's `user_id` for this run (a session's `userId` wins). @default the agent's `userId` */
  userId?: string | undefined;
  /** Context management for this run, replacing the agent's `context`. */
  context?: ContextOptions | undefined;
  /** A `prepareStep` for this run, replacing the agent's. */
  prepareStep?: PrepareStep | undefined;
  /** Stop conditions for this run, replacing the agent's `stopWhen`. */
  stopWhen?: StopCondition | readonly StopCondition[] | undefined;
  /**
   * The names of the agent's tools this run offers (the others are not sent; a call to one is
   * answered as an unknown tool). An unknown name throws `AgentConfigError` with the closest
   * name. A subset other than the last run's starts a new cached prefix. @default all of them
   */
  activeTools?: readonly string[] | undefined;
  /** A steering `onToolCall` for this run, replacing the agent's. */
  onToolCall?: ToolCallSteering | undefined;
  /** Overrides the agent's `telemetry` for this run (`false` turns it off). */
  telemetry?: TelemetryOptions | undefined;
  /**
   * Reject with MaxStepsExceededError (the Agents SDK's MaxTurnsExceededError) when `maxSteps`
   * turns are used up, instead of resolving with `finishReason: 'max_steps'`. @default false
   */
  throwOnMaxSteps?: boolean | undefined;
  /** Called once with the result when the run resolves (any `finishReason`), as in the AI SDK. */
  onFinish?: ((result: AgentResult<unknown>) => unknown) | undefined;
  /** Called once with `{ error }` when the run rejects (the promise still rejects), as in the AI SDK. */
  onError?: ((event: { error: unknown }) => unknown) | undefined;
}

/** What `agent.run()` accepts: a user message, a history, or a paused run's state. */
export type RunInput = string | readonly ChatMessage[];
