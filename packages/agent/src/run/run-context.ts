import type { AssistantMessage, ChatMessage, Cost, Currency, RequestOptions, Usage } from '@plumb/core';
import type { AbortGrace } from '../abort/abort-grace.js';
import type { ContextRun } from '../context/manager.js';
import type { LoopRun } from '../control/loop-control.js';
import type { Budget } from '../options/options.js';
import type { ApprovalDecision } from '../state/run-state.js';
import type { AgentConfig } from '../step/config.js';
import type { StepMiddleware } from '../step/step-middleware.js';
import type { Observation } from '../telemetry/observe.js';
import type { LiveTools } from '../tool-calls/live-tools.js';
import type { Emit } from './events.js';
import type { AgentStep } from './result.js';

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
  /** Loop control: stop conditions, tool subsets, `prepareStep` settings, steering (loop-control.ts). */
  readonly loop?: LoopRun | undefined;
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

// The sums of a run's usage and cost: one home, in core beside costOf.
export { addCost, costIn, emptyCost, emptyUsage } from '@plumb/core/internal';
