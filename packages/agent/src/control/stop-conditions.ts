import type { ChatMessage, Cost, FinishReason, Usage } from '@plumb/core';
import { AgentConfigError } from '../errors.js';
import { describeType } from '../options/option-checks.js';
import type { Budget } from '../options/options.js';
import type { AgentFinishReason, AgentStep } from '../run/result.js';

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

/** What a `stopWhen` condition sees after a step, before the loop goes on. */
export interface StopState {
  readonly runId: string;
  /** The steps so far (this run's and, for a resumed run, the paused run's). */
  readonly steps: readonly AgentStep[];
  /** The last step (the one that just ended). */
  readonly lastStep: AgentStep;
  /** The history the next request would send. */
  readonly messages: readonly ChatMessage[];
  readonly usage: Usage;
  /** Undefined when the model has no known price. */
  readonly cost: Cost | undefined;
  /** The run's `data` option. */
  readonly data: unknown;
}

/**
 * A condition for ending a run early, checked after every step that would continue the loop
 * (a step whose tool calls were answered, or one that re-asks). True ends the run with
 * `finishReason: 'stopped'`; `maxSteps` stays the upper bound. A throw fails the run.
 */
export type StopCondition = (state: StopState) => boolean | Promise<boolean>;

/** The conditions plumb made (stepCountIs, hasToolCall): they never read or change `messages`. */
const ownConditions = new WeakSet<StopCondition>();

function own(condition: StopCondition): StopCondition {
  ownConditions.add(condition);
  return condition;
}

/** Whether any of `conditions` is the application's own code (it gets the live history). */
export function anyForeignCondition(conditions: readonly StopCondition[]): boolean {
  return conditions.some((condition) => !ownConditions.has(condition));
}

/** Stops once the run has `count` steps (`maxSteps` does the same but ends with `'max_steps'`). */
export function stepCountIs(count: number): StopCondition {
  if (!Number.isInteger(count) || count < 1) {
    throw new AgentConfigError('stepCountIs', `expected an integer >= 1, got ${describeType(count)}.`);
  }
  return own(({ steps }) => steps.length >= count);
}

/** Stops after a step in which the model called one of these tools (whatever the call's outcome). */
export function hasToolCall(...names: string[]): StopCondition {
  if (names.length === 0 || names.some((name) => typeof name !== 'string' || name === '')) {
    throw new AgentConfigError('hasToolCall', 'expected one or more tool names, e.g. hasToolCall("finish").');
  }
  return own(({ lastStep }) => lastStep.toolCalls.some((call) => names.includes(call.name)));
}

/** Validates `stopWhen` (one condition or an array of them, any of which stops the run). */
export function checkStopWhen(value: unknown, field = 'stopWhen'): readonly StopCondition[] | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  list.forEach((item: unknown, i) => {
    if (typeof item !== 'function') {
      throw new AgentConfigError(
        Array.isArray(value) ? `${field}[${i}]` : field,
        `expected a condition (state) => boolean such as stepCountIs(5) or hasToolCall('finish'), or an array of them, got ${describeType(item)}.`,
      );
    }
  });
  return list.length === 0 ? undefined : (list as StopCondition[]);
}

/** Whether any condition holds (checked in order; the first true one wins). */
export async function stopConditionMet(
  conditions: readonly StopCondition[],
  state: StopState,
): Promise<boolean> {
  for (const condition of conditions) if ((await condition(state)) === true) return true;
  return false;
}
