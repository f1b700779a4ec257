import type { ChatMessage, Logger } from '@plumb/core';
import type { AgentStep, ToolCallRecord } from './result.js';

/**
 * Observability callbacks. Each may be async; the loop awaits it before going on, so events
 * stay in order. A hook that throws does NOT break the run: the error is logged at `warn` level
 * on the agent's logger and the run continues (hooks observe; they cannot steer the loop).
 */
export interface AgentHooks {
  /** Before each model request. `messages` is the history about to be sent (read-only). */
  onStepStart?: ((event: { stepIndex: number; messages: readonly ChatMessage[] }) => unknown) | undefined;
  /** After a step's tool calls are answered (or the run ends on it). */
  onStepEnd?: ((step: AgentStep) => unknown) | undefined;
  /** Before a tool's `execute` runs (after its arguments validated and any approval). */
  onToolCallStart?:
    | ((event: { stepIndex: number; id: string; name: string; args: unknown }) => unknown)
    | undefined;
  /** After a tool call is answered: success, error, rejection or cancellation. */
  onToolCallEnd?: ((event: ToolCallRecord & { stepIndex: number }) => unknown) | undefined;
}

/** Calls a hook and swallows (logs) what it throws, sync or async. */
export async function callHook<T>(
  hooks: AgentHooks | undefined,
  name: keyof AgentHooks,
  payload: T,
  logger: Logger | undefined,
): Promise<void> {
  const hook = hooks?.[name] as ((payload: T) => unknown) | undefined;
  if (hook === undefined) return;
  try {
    await hook(payload);
  } catch (error) {
    logger?.warn({ err: error, hook: name }, `agent hook ${name} threw; the run continues`);
  }
}
