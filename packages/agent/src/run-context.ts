import {
  type AssistantMessage,
  type ChatMessage,
  type Cost,
  type Currency,
  costOf,
  type RequestOptions,
  type Usage,
} from '@plumb/core';
import type { AbortGrace } from './abort-grace.js';
import type { AgentConfig } from './config.js';
import type { ContextRun } from './context/manager.js';
import type { Emit } from './events.js';
import type { LiveTools } from './live-tools.js';
import type { Budget } from './options.js';
import type { AgentStep } from './result.js';
import type { ApprovalDecision } from './run-state.js';
import type { StepMiddleware } from './step-middleware.js';
import type { Observation } from './telemetry/observe.js';

/** What one run needs besides its progress: the agent's config and the run's own options. */
export interface RunContext {
  readonly config: AgentConfig;
  /** The run's tools: the agent's, re-read at step boundaries when a dynamic pack changed. */
  readonly tools: LiveTools;
  /** The run's signal: the caller's signal, or a stream consumer stopping. */
  readonly signal: AbortSignal;
  /** Undefined for `run()`: no event objects are built then. */
  readonly emit: Emit;
  /** Telemetry and recording of this run, when either is on. */
  readonly observation?: Observation | undefined;
  readonly data: unknown;
  readonly maxSteps: number;
  readonly budget: Budget | undefined;
  readonly currency: Currency;
  /** The model calls' request options, with the run's signal. */
  readonly requestOptions: RequestOptions;
  /** Whether the logger is at debug level (checked once per run). */
  readonly debug: boolean;
  /** The run's `user_id` when it overrides the agent's (a session's user, or `userId`). */
  readonly userId?: string | undefined;
  /** Context management of this run (estimates, compaction, `prepareStep`), when configured. */
  readonly contextRun?: ContextRun | undefined;
  /** The run's id (the same as `progress.runId`), passed to tools. */
  readonly runId: string;
  /** Bounds the waits for hooks and tools once the run is aborted. */
  readonly grace: AbortGrace;
  /** Wrappers of each model turn and tool call (the `steps` run option). */
  readonly steps?: StepMiddleware | undefined;
}

/** The mutable state of a run: append-only history, steps and totals. */
export interface Progress {
  /** The history; only ever appended to during a run. */
  messages: ChatMessage[];
  steps: AgentStep[];
  usage: Usage;
  /** Undefined when some step's model has no known price. */
  cost: Cost | undefined;
  consecutiveToolErrors: number;
  outputRetries: number;
  /** The validated structured output, once the final answer passed. */
  output: unknown;
  /** When resuming: the assistant turn whose calls waited for approval. */
  pendingTurn: AssistantMessage | undefined;
  decisions: Record<string, ApprovalDecision>;
  /** The run's id; kept in its `RunState` and by the resumed run. */
  runId: string;
}

/** Zero usage. */
export function emptyUsage(): Usage {
  return {
    prompt_tokens: 0,
    completion_tokens: 0,
    total_tokens: 0,
    prompt_cache_hit_tokens: 0,
    prompt_cache_miss_tokens: 0,
  };
}

/** Zero cost in `currency`. */
export function emptyCost(currency: Currency, model: string): Cost {
  return { currency, inputCacheHit: 0, inputCacheMiss: 0, output: 0, total: 0, peak: false, pricedAs: model };
}

/** Adds two costs of the same currency (undefined if either is unknown or the currencies differ). */
export function addCost(a: Cost | undefined, b: Cost | undefined): Cost | undefined {
  if (a === undefined || b === undefined || a.currency !== b.currency) return undefined;
  return {
    currency: a.currency,
    inputCacheHit: sum(a.inputCacheHit, b.inputCacheHit),
    inputCacheMiss: sum(a.inputCacheMiss, b.inputCacheMiss),
    output: sum(a.output, b.output),
    total: sum(a.total, b.total),
    peak: a.peak || b.peak,
    pricedAs: a.pricedAs === b.pricedAs ? a.pricedAs : 'mixed',
  };
}

/**
 * A cost in `currency`. A sub-agent (`asTool`) may bill in another currency than its parent: its
 * usage is then priced again in the parent's currency (undefined when its models were mixed),
 * so that a run's total and budget never add dollars to yuan.
 */
export function costIn(cost: Cost | undefined, usage: Usage, currency: Currency): Cost | undefined {
  if (cost === undefined || cost.currency === currency) return cost;
  try {
    return costOf(usage, cost.pricedAs, { at: new Date(), currency });
  } catch {
    return undefined;
  }
}

/** Costs are exact in billionths of the unit (core's costOf); keep sums free of float drift. */
function sum(a: number, b: number): number {
  return Math.round((a + b) * 1e9) / 1e9;
}
