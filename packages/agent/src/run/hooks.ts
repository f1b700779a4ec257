import type { ChatMessage, Logger } from '@plumb/core';
import { ABANDONED, type AbortGrace } from '../abort/abort-grace.js';
import type { AgentStep, ToolCallRecord } from './result.js';

/**
 * Observability callbacks. Each may be async; the loop awaits it before going on, so events
 * stay in order. Once the run is aborted, the loop waits for a hook at most about a second
 * (one grace period for the whole run), so a hook that never settles cannot keep an aborted
 * run alive. A hook that throws does NOT break the run: the error is logged at `warn` level
 * on the agent's logger and the run continues (hooks observe; they cannot steer the loop: steering has its own options,
 * `prepareStep`, `stopWhen` and `onToolCall`).
 * Every event carries the run's `runId`.
 */
export interface AgentHooks {
  /** Before each model request. `messages` is the history about to be sent (read-only). */
  onStepStart?:
    | ((event: { runId: string; stepIndex: number; messages: readonly ChatMessage[] }) => unknown)
    | undefined;
  /** After a step's tool calls are answered (or the run ends on it). */
  onStepEnd?: ((step: AgentStep & { runId: string }) => unknown) | undefined;
  /** Before a tool's `execute` runs (after its arguments validated and any approval). */
  onToolCallStart?:
    | ((event: { runId: string; stepIndex: number; id: string; name: string; args: unknown }) => unknown)
    | undefined;
  /** After a tool call is answered: success, error, rejection or cancellation. */
  onToolCallEnd?: ((event: ToolCallRecord & { runId: string; stepIndex: number }) => unknown) | undefined;
}

/** What an `onToolCall` steering hook receives: a call about to run (validated, approved if needed). */
export interface ToolCallSteeringEvent {
  runId: string;
  stepIndex: number;
  id: string;
  name: string;
  args: unknown;
  /** The run's `data` option. */
  data: unknown;
}

/**
 * What an `onToolCall` steering hook decides: nothing (or `{ action: 'run' }`) runs the call;
 * `{ action: 'skip', result }` answers it with `result` without running the tool (a cached or
 * mocked result; the model reads it as the tool's output); `{ action: 'reject', reason }` answers
 * it as a rejection, like a denied approval.
 */
export type ToolCallDecision =
  | { action: 'run' }
  | { action: 'skip'; result: unknown }
  | { action: 'reject'; reason?: string | undefined };

/**
 * A steering hook, kept apart from the observing `hooks`: called before each tool call runs, and
 * its decision is applied. Unlike `hooks`, a throw (or an unknown decision) fails the run.
 * In a durable run it is called again on replay, so decide from the event alone.
 */
export type ToolCallSteering = (
  event: ToolCallSteeringEvent,
) => ToolCallDecision | undefined | Promise<ToolCallDecision | undefined>;

/** The hook names `hooks` may hold, one per line: a hook added to `AgentHooks` is added here. */
export const HOOK_NAMES = [
  'onStepStart',
  'onStepEnd',
  'onToolCallStart',
  'onToolCallEnd',
  'onToolProgress',
  'onApprovalRequest',
  'onFinish',
  'onError',
] as const;

/**
 * Calls a hook and swallows (logs) what it throws, sync or async. With the run's `grace`, an
 * aborted run stops waiting for the hook once the grace period is over (the hook may go on).
 */
export async function callHook<T>(
  hooks: AgentHooks | undefined,
  name: keyof AgentHooks,
  payload: T,
  logger: Logger | undefined,
  grace?: AbortGrace | undefined,
): Promise<void> {
  const hook = hooks?.[name] as ((payload: T) => unknown) | undefined;
  if (hook === undefined) return;
  try {
    const returned = hook(payload);
    if (grace === undefined) await returned;
    else if ((await grace.bound(Promise.resolve(returned))) === ABANDONED) {
      logger?.warn({ hook: name }, `agent hook ${name} had not settled when the aborted run ended`);
    }
  } catch (error) {
    logger?.warn({ err: error, hook: name }, `agent hook ${name} threw; the run continues`);
  }
}
