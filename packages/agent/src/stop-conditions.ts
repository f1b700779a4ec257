import type { Cost, FinishReason } from '@plumb/core';
import type { Budget } from './options.js';
import type { AgentFinishReason } from './result.js';

/**
 * The finish reasons that cut a turn short. The run ends with the same reason; the turn's text
 * and reasoning are kept in the history, its tool calls (possibly truncated) are never run.
 */
export function cutReason(finishReason: FinishReason): AgentFinishReason | undefined {
  switch (finishReason) {
    case 'length':
    case 'content_filter':
    case 'insufficient_system_resource':
    case 'aborted':
      return finishReason;
    default:
      return undefined;
  }
}

/** Whether the run's cost so far has reached the budget (an unknown cost never does). */
export function budgetReached(budget: Budget | undefined, cost: Cost | undefined): boolean {
  return budget !== undefined && cost !== undefined && cost.total >= budget.maxCost;
}
