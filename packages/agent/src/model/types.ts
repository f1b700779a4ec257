/**
 * The model seam: the loop asks a `Model` for one assistant turn per step and never talks to an
 * HTTP client itself. `deepseekModel()` (deepseek.ts) is the model behind `new Agent({ client,
 * model: 'deepseek-flash' })`; `wrapModel()` (middleware.ts) adds behaviour around any model;
 * `scriptedModel()` (`@plumb/agent/testing`) answers from a script for unit tests of loop logic.
 */
import type {
  AssistantMessage,
  ChatCompletionTool,
  ChatMessage,
  DeepSeek,
  FinishReason,
  ReasoningEffort,
  RequestOptions,
  ToolChoice,
  Usage,
} from '@plumb/core';
import type { StepRequest } from '../telemetry/step-request.js';

/** The request settings of a turn besides the history and the tools (the agent's options, resolved). */
export interface ModelSettings {
  /** `tool_choice`; a forced choice is sent on the first step of a run only. */
  readonly toolChoice?: ToolChoice | undefined;
  /** Thinking mode: `true` / `false`, or undefined for the model's default (on). */
  readonly thinking?: boolean | undefined;
  readonly reasoningEffort?: ReasoningEffort | undefined;
  /** `'json_object'` when the agent has an `output` schema. */
  readonly responseFormat?: 'json_object' | undefined;
  readonly maxTokens?: number | undefined;
  readonly temperature?: number | undefined;
  readonly topP?: number | undefined;
  /** DeepSeek's `user_id` (the run's, else the agent's). */
  readonly userId?: string | undefined;
}

/** What kind of text a streamed delta is. */
export type ModelDeltaType = 'reasoning-delta' | 'text-delta';

/** One turn's request: the history, the tools and the settings, plus where the turn is. */
export interface ModelRequest extends ModelSettings {
  /**
   * The history to answer, in DeepSeek's wire shape. It is the run's live, append-only array:
   * read it, never change it (a middleware that rewrites it passes a new array on).
   */
  readonly messages: readonly ChatMessage[];
  /** The tool definitions, in the order sent (frozen); undefined when the agent has none. */
  readonly tools: readonly ChatCompletionTool[] | undefined;
  /**
   * The model id this step asks for when `prepareStep` changed it; undefined means the model's
   * own `modelId`. The DeepSeek model sends it instead of its own, so middleware wrapped around
   * the agent's model keeps running for that step; a custom model decides what it means.
   */
  readonly modelId?: string | undefined;
  readonly runId: string;
  readonly stepIndex: number;
  /**
   * Core's request options of the call: the run's `signal` (a model must stop when it fires),
   * timeouts, retries, headers and the tracing parent of the step.
   */
  readonly requestOptions: RequestOptions;
  /**
   * Receives the reasoning and answer text as it streams. Undefined when nobody listens
   * (`agent.run()`): a model then skips building deltas and only returns the assembled turn.
   */
  readonly onDelta?: ((type: ModelDeltaType, text: string) => void) | undefined;
}

/** One assistant turn, as the model returns it. */
export interface ModelTurn {
  /**
   * The assistant message, ready for the history: `content` and `reasoning_content` are strings
   * (`""` when absent: DeepSeek's replay rule) and it is deeply frozen. A message that is not
   * (a custom model's) is rebuilt that way by the loop before it joins the history.
   */
  message: AssistantMessage;
  /** The turn's token usage; undefined when unknown. */
  usage: Usage | undefined;
  finishReason: FinishReason;
  /** The request id and timings of the call (the DeepSeek model sets them). */
  request?: StepRequest | undefined;
}

/** What arrived of a turn that failed or was aborted mid-stream (see `partialTurnOf`). */
export interface PartialTurn {
  readonly text: string;
  readonly reasoning: string;
  readonly request?: StepRequest | undefined;
}

/**
 * A model: one call per turn. Implement it to run the agent loop on something other than the
 * DeepSeek client (a cache, a replay, a test script), or wrap one with `wrapModel()`.
 */
export interface Model {
  /** The model id: prices and budgets (`costOf`), telemetry and context limits use it. */
  readonly modelId: string;
  /**
   * The DeepSeek client behind the model, if any. The agent uses it (when it has no `client`
   * option) for its other calls: model limits, summaries, and its telemetry and logger defaults.
   */
  readonly client?: DeepSeek | undefined;
  /**
   * Requests one assistant turn. Streams its text through `request.onDelta` when set. On
   * failure, throw; attach what arrived with `withPartialTurn(error, partial)` so the run keeps it.
   */
  turn(request: ModelRequest): Promise<ModelTurn>;
}
