import type { ChatMessage, Cost, DeepSeek, Usage } from '@plumb/core';

/** What a strategy gets: the history, how much to free, and the means to call the model. */
export interface CompactionInput {
  /** The history about to be sent (do not mutate; return a new array). */
  readonly messages: readonly ChatMessage[];
  /** Estimated tokens to free to get back under the target. */
  readonly excess: number;
  /** Calibrated token estimate of one message. */
  tokensOf(message: ChatMessage): number;
  readonly client: DeepSeek;
  readonly signal: AbortSignal;
  /** The run's `user_id`, if any (for the strategy's own model calls). */
  readonly userId: string | undefined;
  /** The currency costs are reported in. */
  readonly currency: 'USD' | 'CNY';
}

/** A strategy's rewrite, and what its model calls (if any) used. */
export interface CompactionOutput {
  messages: ChatMessage[];
  usage?: Usage | undefined;
  cost?: Cost | undefined;
}

/**
 * One way of making the history smaller. Strategies run in the order given, each asked to free
 * what is still in excess, until the estimate is under the target. A strategy rewrites whole
 * blocks only (see `blocks.ts`), and every result is checked by the guards (calls stay paired with
 * their results; replayed reasoning stays). Built-ins: `clearToolResults`, `summarizeTurns`,
 * `dropOldestTurns`.
 */
export interface ContextStrategy {
  readonly name: string;
  /** A smaller history, or undefined when this strategy can free nothing more. */
  compact(input: CompactionInput): Promise<CompactionOutput | undefined> | CompactionOutput | undefined;
}
