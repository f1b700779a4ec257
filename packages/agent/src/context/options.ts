import type { ChatCompletionStreamParams, ChatMessage, ModelId, ReasoningEffort } from '@plumb/core';
import { AgentConfigError } from '../errors.js';
import type { AgentStep } from '../run/result.js';
import { clearToolResults } from './clear-tool-results.js';
import { dropOldestTurns } from './drop-oldest-turns.js';
import type { ContextStrategy } from './strategy.js';
import { summarizeTurns } from './summarize-turns.js';

/**
 * When compaction runs, checked before every step against the calibrated estimate of the request:
 * - `{ fraction }`: the estimate reaches this share of the usable window (the context window
 *   minus the output reserve, `maxTokens` or the model's default);
 * - `{ tokens }`: the estimate reaches this many tokens;
 * - `{ costPerStep }`: the next step's estimated input cost (cached prefix at the hit price, the
 *   rest at the miss price, in the agent's currency) reaches this amount.
 * A request that would not fit the window is compacted whatever the trigger says.
 */
export type ContextTrigger = { fraction: number } | { tokens: number } | { costPerStep: number };

/** `new Agent({ context })`: automatic context management. */
export interface ContextOptions {
  /**
   * Applied in order until the estimate is back under the target.
   * @default [clearToolResults(), summarizeTurns(), dropOldestTurns()]
   */
  strategies?: readonly ContextStrategy[] | undefined;
  /** One trigger, or several (any of them fires). @default { fraction: 0.8 } */
  trigger?: ContextTrigger | readonly ContextTrigger[] | undefined;
  /** After compacting, the estimate should be at most this share of the trigger's threshold. @default 0.6 */
  target?: number | undefined;
  /**
   * The context window in tokens, or `'models'` to ask `GET /models` once per client.
   * @default the published window of the model (1,048,576 for every DeepSeek V4-era model)
   */
  window?: number | 'models' | undefined;
}

/** What a `prepareStep` hook receives. */
export interface PrepareStepEvent {
  stepIndex: number;
  /** The history about to be sent (after any automatic compaction). Do not mutate it. */
  messages: readonly ChatMessage[];
  /** Its calibrated token estimate. */
  tokens: number;
  /** The usable window: context window minus the output reserve. */
  limit: number;
  /** The run's id. */
  runId: string;
  /** The run's `data` option. */
  data: unknown;
  /** The steps so far. */
  steps: readonly AgentStep[];
  /** The agent's model (what the step uses unless `model` is returned). */
  model: string;
  /** The tools the step offers unless `activeTools` is returned (the run's `activeTools`, else all). */
  activeTools: readonly string[];
}

/**
 * What `prepareStep` may change for one step. `messages` and `instructions` become the run's
 * history from then on (later steps extend it); the others apply to this step only.
 */
export interface StepSettings {
  /** The history to send instead (checked by the guards, see `PrepareStep`). */
  messages?: readonly ChatMessage[] | undefined;
  /** The names of the tools this step offers: a subset of the agent's tools. */
  activeTools?: readonly string[] | undefined;
  /** The model of this step, e.g. a cheaper one for a routine step. */
  model?: ModelId | undefined;
  /** Thinking mode of this step (the replay rule is checked when it turns thinking on). */
  thinking?: boolean | undefined;
  /** `reasoning_effort` of this step. */
  reasoningEffort?: ReasoningEffort | undefined;
  /** A new system prompt, kept for the rest of the run (it breaks the whole cached prefix). */
  instructions?: string | undefined;
}

/** What `prepareStep` returns: nothing, new messages, or step settings. */
export type PrepareStepResult = readonly ChatMessage[] | StepSettings | undefined;

/**
 * Called before every step (after any automatic compaction). Return nothing to send the step as
 * it is, an array of messages to send instead (as before), or `StepSettings`: messages, active
 * tools, model, thinking, reasoning effort, instructions. New messages become the run's history
 * from then on, so later steps extend it and keep its cached prefix. They pass the compaction
 * guards: every tool call keeps its result and replayed reasoning stays as the model sent it
 * (checked with the step's thinking mode); a violation fails the run with a `ContextGuardError`
 * naming the fix, and a bad setting with an `AgentConfigError`. A change that breaks the cached
 * prefix (instructions, tools, model, earlier messages) is reported on the step as `cacheBreak`
 * with its estimated cost in cache-miss tokens. Unlike observing hooks, a throw here fails the run.
 */
export type PrepareStep = (event: PrepareStepEvent) => PrepareStepResult | Promise<PrepareStepResult>;

/** Context settings, validated once per agent. */
export interface ContextConfig {
  readonly strategies: readonly ContextStrategy[];
  readonly triggers: readonly ContextTrigger[];
  readonly target: number;
  readonly window: number | 'models' | undefined;
  readonly thinking: boolean;
  /** `max_tokens` or the mode's default: tokens kept free for the answer. */
  readonly reserve: number;
  readonly prepareStep: PrepareStep | undefined;
  /** The `context` option as given (a run's `prepareStep` alone keeps the agent's context). */
  readonly options: ContextOptions | undefined;
}

/** The option names this feature adds (for the agent's known-options list). */
export const CONTEXT_AGENT_OPTIONS = ['context', 'prepareStep'] as const;
export const SESSION_RUN_OPTIONS = ['session', 'userId'] as const;

/**
 * Validates `context` and `prepareStep`; undefined when neither is set (no per-step work at all).
 * @throws AgentConfigError naming the field.
 */
export function resolveContext(
  context: ContextOptions | undefined,
  prepareStep: PrepareStep | undefined,
  params: Omit<ChatCompletionStreamParams, 'messages'>,
): ContextConfig | undefined {
  if (context === undefined && prepareStep === undefined) return undefined;
  if (prepareStep !== undefined && typeof prepareStep !== 'function') {
    throw new AgentConfigError(
      'prepareStep',
      'expected a function (event) => messages | { messages, activeTools, model, thinking, reasoningEffort, instructions } | undefined.',
    );
  }
  if (context !== undefined && (typeof context !== 'object' || context === null)) {
    throw new AgentConfigError('context', 'expected an object such as { trigger: { fraction: 0.8 } }.');
  }
  const thinking = params.thinking?.type !== 'disabled' && params.reasoning_effort !== 'none';
  const reserve =
    params.max_tokens ?? (thinking ? (params.reasoning_effort === 'max' ? 131_072 : 65_536) : 8_192);
  const window = context?.window;
  if (window !== undefined && window !== 'models' && !(Number.isInteger(window) && window > 0)) {
    throw new AgentConfigError(
      'context.window',
      `expected a positive integer or 'models', got ${String(window)}.`,
    );
  }
  if (typeof window === 'number' && window <= reserve) {
    throw new AgentConfigError(
      'context.window',
      `${window} tokens leave no room for input after the output reserve of ${reserve} tokens; set the agent's maxTokens lower.`,
    );
  }
  const target = context?.target ?? 0.6;
  if (typeof target !== 'number' || !(target > 0 && target < 1)) {
    throw new AgentConfigError('context.target', `expected a number between 0 and 1, got ${String(target)}.`);
  }
  return {
    strategies: context === undefined ? [] : checkStrategies(context.strategies),
    triggers: checkTriggers(context === undefined ? [] : (context.trigger ?? { fraction: 0.8 })),
    target,
    window,
    thinking,
    reserve,
    prepareStep,
    options: context,
  };
}

/**
 * The context settings of one run: the agent's, or the run's `context` / `prepareStep` options
 * over them (each replaces the agent's as a whole).
 */
export function runContextConfig(
  agent: ContextConfig | undefined,
  run: { context?: ContextOptions | undefined; prepareStep?: PrepareStep | undefined },
  params: Omit<ChatCompletionStreamParams, 'messages'>,
): ContextConfig | undefined {
  if (run.context === undefined && run.prepareStep === undefined) return agent;
  return resolveContext(run.context ?? agent?.options, run.prepareStep ?? agent?.prepareStep, params);
}

function checkStrategies(strategies: unknown): readonly ContextStrategy[] {
  if (strategies === undefined) return [clearToolResults(), summarizeTurns(), dropOldestTurns()];
  if (!Array.isArray(strategies)) {
    throw new AgentConfigError(
      'context.strategies',
      'expected an array such as [clearToolResults(), dropOldestTurns()].',
    );
  }
  strategies.forEach((strategy: Partial<ContextStrategy> | null, i) => {
    if (typeof strategy?.compact !== 'function' || typeof strategy.name !== 'string') {
      throw new AgentConfigError(
        `context.strategies[${i}]`,
        'expected a strategy { name, compact(input) } such as clearToolResults().',
      );
    }
  });
  return strategies;
}

function checkTriggers(trigger: unknown): readonly ContextTrigger[] {
  const list = Array.isArray(trigger) ? trigger : [trigger];
  list.forEach((item: Record<string, unknown> | null, i) => {
    const field = Array.isArray(trigger) ? `context.trigger[${i}]` : 'context.trigger';
    const keys = item === null || typeof item !== 'object' ? [] : Object.keys(item);
    const key = keys[0];
    const value = key === undefined ? undefined : item?.[key];
    const ok =
      keys.length === 1 &&
      typeof value === 'number' &&
      ((key === 'fraction' && value > 0 && value <= 1) ||
        (key === 'tokens' && Number.isInteger(value) && value > 0) ||
        (key === 'costPerStep' && value > 0));
    if (!ok) {
      throw new AgentConfigError(
        field,
        'expected { fraction: 0 < n <= 1 }, { tokens: a positive integer } or { costPerStep: a positive amount }.',
      );
    }
  });
  return list as ContextTrigger[];
}
