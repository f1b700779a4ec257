import { AgentConfigError } from '../errors.js';
import type { ModelTurn } from '../model/types.js';
import { type AgentHooks, callHook } from '../run/hooks.js';
import type { ToolCallRecord } from '../run/result.js';
import type { RunContext } from '../run/run-context.js';

/** Where a model turn is in its run (what `StepMiddleware.modelTurn` receives). */
export interface ModelTurnInfo {
  readonly runId: string;
  readonly stepIndex: number;
}

/** Which tool call is about to run (what `StepMiddleware.toolCall` receives). */
export interface ToolCallInfo {
  readonly runId: string;
  readonly stepIndex: number;
  readonly callId: string;
  readonly name: string;
  /** `runId/stepIndex/callId`: the key the tool gets as `context.idempotencyKey`. */
  readonly idempotencyKey: string;
}

/** Which hook is about to be called (what `StepMiddleware.hook` receives). */
export interface HookInfo {
  readonly runId: string;
  readonly stepIndex: number;
  readonly name: keyof AgentHooks;
  /** Stable within a run: `onStepStart:2`, `onToolCallEnd:2:call_00_...`. */
  readonly key: string;
}

/**
 * Advanced: wraps each model turn and each tool call of a run, e.g. to run them as steps of a
 * durable-execution engine (`@plumb/durable` does). `modelTurn` sits on top of the model seam:
 * `next()` asks the agent's `Model` (through its `wrapModel()` middleware, if any) and streams the
 * deltas as events. For behaviour around every turn of an agent (logging, caching, rewriting
 * requests), prefer `wrapModel()`; `steps` is per run. A wrapper may return a saved value instead
 * of calling `next()`, and then nothing is requested or run. Values are plain JSON-like data: a
 * `ModelTurn` (`{ message, usage, finishReason, request }`; a saved copy's message is re-frozen
 * by the loop) and the call's `ToolCallRecord` (its result, content, status).
 * Model turns are wrapped one at a time; the tool calls of a turn are wrapped in call order.
 * `hook` wraps each call of an `AgentHooks` hook: a wrapper that does not call `call()` skips
 * it (a durable engine replaying a run skips the hooks that already fired).
 */
export interface StepMiddleware {
  modelTurn?: ((info: ModelTurnInfo, next: () => Promise<ModelTurn>) => Promise<ModelTurn>) | undefined;
  toolCall?:
    | ((info: ToolCallInfo, next: () => Promise<ToolCallRecord>) => Promise<ToolCallRecord>)
    | undefined;
  hook?: ((info: HookInfo, call: () => Promise<void>) => Promise<void>) | undefined;
}

/** Calls hook `name` of the agent (if set) through the run's `steps.hook`, if any. */
export function runHook<T extends object>(
  context: RunContext,
  name: keyof AgentHooks,
  stepIndex: number,
  key: string,
  payload: T,
): Promise<void> {
  const { hooks, logger } = context.config;
  if (hooks?.[name] === undefined) return Promise.resolve();
  const event = Object.assign({}, payload, { runId: context.runId });
  const call = () => callHook(hooks, name, event, logger, context.grace);
  const wrap = context.steps?.hook;
  if (wrap === undefined) return call();
  return wrap({ runId: context.runId, stepIndex, name, key }, call);
}

/** Requests one model turn through the run's `steps.modelTurn`, if any. */
export function wrapModelTurn(
  context: RunContext,
  stepIndex: number,
  next: () => Promise<ModelTurn>,
): Promise<ModelTurn> {
  const wrap = context.steps?.modelTurn;
  if (wrap === undefined) return next();
  return wrap({ runId: context.runId, stepIndex }, next);
}

/** Runs one tool call through the run's `steps.toolCall`, if any; a returned copy fills `record`. */
export function wrapToolCall(
  context: RunContext,
  stepIndex: number,
  record: ToolCallRecord,
  idempotencyKey: string,
  next: () => Promise<void>,
): Promise<void> {
  const wrap = context.steps?.toolCall;
  // No wrapper (the usual run): the call's own promise, without an async function around it.
  if (wrap === undefined) return next();
  const info = { runId: context.runId, stepIndex, callId: record.id, name: record.name, idempotencyKey };
  return wrapped(
    wrap(info, async () => {
      await next();
      return record;
    }),
    record,
  );
}

/** Fills `record` from what the wrapper returned (a saved copy, when it did not run the call). */
async function wrapped(saving: Promise<ToolCallRecord>, record: ToolCallRecord): Promise<void> {
  const saved = await saving;
  if (saved !== record) Object.assign(record, saved);
}

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$/;

/** Checks the `runId` and `steps` run options. */
export function checkStepOptions(runId: unknown, steps: unknown): void {
  if (runId !== undefined && (typeof runId !== 'string' || !RUN_ID.test(runId))) {
    throw new AgentConfigError(
      'runId',
      'expected 1 to 200 characters of letters, digits and _ . : - (starting with a letter or digit), e.g. "order-1234".',
    );
  }
  if (steps === undefined) return;
  if (typeof steps !== 'object' || steps === null) {
    throw new AgentConfigError('steps', 'expected an object { modelTurn?, toolCall?, hook? } of functions.');
  }
  for (const key of ['modelTurn', 'toolCall', 'hook'] as const) {
    const value = (steps as Record<string, unknown>)[key];
    if (value !== undefined && typeof value !== 'function') {
      throw new AgentConfigError(`steps.${key}`, 'expected a function (info, next) => Promise.');
    }
  }
}
