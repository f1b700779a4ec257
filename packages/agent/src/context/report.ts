import type { Cost, Usage } from '@plumb/core';

/** What one compaction did (in `result.compactions` and the `context-compacted` event). */
export interface CompactionReport {
  /** The step whose request was compacted before it was sent. */
  stepIndex: number;
  /** Why: the trigger that fired, or `window` when the request would not have fit. */
  trigger: 'fraction' | 'tokens' | 'costPerStep' | 'window';
  /** The strategies that changed something, in order. */
  strategies: string[];
  /** Messages and estimated prompt tokens before and after. */
  before: { messages: number; tokens: number };
  after: { messages: number; tokens: number };
  /** Index of the first changed message: the cached prefix before it is kept. */
  from: number;
  /** Estimated cached tokens the next request can no longer hit (the prefix after `from`). */
  cacheTokensLost: number;
  /** Cache-hit ratio of the step before the compaction. */
  cacheHitRatioBefore: number;
  /** Cache-hit ratio of the compacted step's request, once its usage arrived. */
  cacheHitRatioAfter: number | undefined;
  /** Usage of the compaction's own model calls (a summary), if any. */
  usage: Usage | undefined;
  /** Cost of those calls, when priced. Also counted in the run's `usage` and `cost`. */
  cost: Cost | undefined;
}

/** Emitted by `agent.stream()` when the history was compacted before a step. */
export interface ContextCompactedEvent {
  type: 'context-compacted';
  stepIndex: number;
  report: CompactionReport;
}
