import { onAbort } from '@plumb/core/internal';
import { capToolContent } from './cap-content.js';
import type { Release, Semaphore } from './concurrency.js';
import { describeThrown, ToolAbortedError, ToolExecutionError, ToolTimeoutError } from './errors.js';
import { cancelledText, timedOutText, toolThrewText, unserializableResultText } from './failure-texts.js';
import { DEFAULT_MAX_RESULT_CHARS, serializeToolResult } from './serialize-result.js';
import type { ToolCallError, ToolContext, ToolOutcome, ToolProgress, ToolRunOptions } from './types.js';

/** setTimeout's limit; a longer timeout would fire at once, so it means "no timeout". */
const MAX_TIMER_MS = 2_147_483_647;

/** The shared state of a tool pack: `state()` runs the pack's setup once (retried after a failure). */
export interface PackRuntime {
  readonly name: string;
  /** The pack's `concurrency` limit, shared by all its tools. */
  readonly limit: Semaphore | undefined;
  state(): Promise<unknown>;
}

/** What the runner needs from a tool. */
export interface RunTarget {
  readonly name: string;
  /** The name given to `tool()`, without a pack prefix. */
  readonly baseName: string;
  readonly execute: (args: unknown, context: ToolContext) => unknown;
  readonly timeoutMs: number | undefined;
  readonly maxResultChars: number | undefined;
  readonly pack: PackRuntime | undefined;
  /** The tool's own `concurrency` limit. */
  readonly limit: Semaphore | undefined;
}

function failure(
  error: ToolCallError,
  content: string,
  maxChars: number,
  settled?: Promise<void>,
): ToolOutcome<never> {
  const outcome = { ok: false as const, content: capToolContent(content, maxChars), error };
  return settled === undefined ? outcome : { ...outcome, settled };
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Runs one call of a tool with already-validated arguments. Never throws and never rejects:
 * a throw, a rejection, a timeout, an abort or an unserializable result all become a failed
 * outcome with a model-readable `content`. On timeout or abort the outcome is returned at once
 * and the tool's signal is aborted; whatever the tool does afterwards (even rejecting) is ignored,
 * and the outcome's `settled` tells when `execute` really ended.
 *
 * With a `concurrency` limit (the tool's or its pack's), the call first waits for a slot; the
 * wait ends at once on abort and does not count toward the timeout. The slot is freed when
 * `execute` settles, not when a timeout or abort answered the call, so a call that ignores its
 * signal keeps its slot: "one at a time" stays true.
 */
export function runTool(target: RunTarget, args: unknown, options: ToolRunOptions): Promise<ToolOutcome> {
  const maxChars = target.maxResultChars ?? options.maxResultChars ?? DEFAULT_MAX_RESULT_CHARS;
  const runSignal = options.signal;
  if (runSignal?.aborted) return Promise.resolve(abortedOutcome(target, options, maxChars));
  const limits: Semaphore[] = [];
  // Always the pack's limit before the tool's: one order everywhere, so two holders never deadlock.
  if (target.pack?.limit !== undefined) limits.push(target.pack.limit);
  if (target.limit !== undefined) limits.push(target.limit);
  if (limits.length === 0) return start(target, args, options, maxChars, undefined);
  return acquireAll(limits, runSignal).then((release) => {
    if (release !== undefined && !runSignal?.aborted) return start(target, args, options, maxChars, release);
    // Aborted while waiting, or between getting the slot and starting: never start.
    release?.();
    return abortedOutcome(target, options, maxChars);
  });
}

function abortedOutcome(target: RunTarget, options: ToolRunOptions, maxChars: number): ToolOutcome {
  const error = new ToolAbortedError({
    toolName: target.name,
    callId: options.callId,
    cause: options.signal?.reason,
  });
  return failure(error, cancelledText(target.name), maxChars);
}

async function acquireAll(
  limits: Semaphore[],
  signal: AbortSignal | undefined,
): Promise<Release | undefined> {
  const held: Release[] = [];
  for (const limit of limits) {
    const release = await limit.acquire(signal);
    if (release === undefined) {
      for (const each of held) each();
      return undefined;
    }
    held.push(release);
  }
  return () => {
    for (const each of held.reverse()) each();
  };
}

function start(
  target: RunTarget,
  args: unknown,
  options: ToolRunOptions,
  maxChars: number,
  release: Release | undefined,
): Promise<ToolOutcome> {
  const { name } = target;
  const callId = options.callId;
  const runSignal = options.signal;
  const timeoutMs = target.timeoutMs ?? options.timeoutMs;
  // The call's own signal is made when `execute` first reads `context.signal`: most tools never
  // do, and an AbortController plus its listeners is a large share of a step's own work. A call
  // aborted (or timed out) before the read gets a signal already aborted with the same reason.
  let controller: AbortController | undefined;
  let abortedWith: { reason: unknown } | undefined;
  const abortCall = (reason: unknown): void => {
    if (abortedWith !== undefined) return;
    abortedWith = { reason };
    controller?.abort(reason);
  };
  const callSignal = (): AbortSignal => {
    if (controller === undefined) {
      controller = new AbortController();
      if (abortedWith !== undefined) controller.abort(abortedWith.reason);
    }
    return controller.signal;
  };
  let executionEnded = false;
  let markEnded!: () => void;
  const execution = new Promise<void>((resolve) => {
    markEnded = () => {
      executionEnded = true;
      release?.();
      resolve();
    };
  });

  return new Promise<ToolOutcome>((resolve) => {
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let unsubscribe: (() => void) | undefined;
    const finish = (outcome: ToolOutcome): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      unsubscribe?.();
      resolve(outcome);
    };
    /** The outcome of a call answered before `execute` ended carries the promise of its end. */
    const pending = (): Promise<void> | undefined => (executionEnded ? undefined : execution);
    const fail = (thrown: unknown): void => {
      if (settled) return;
      // A ToolExecutionError thrown by the tool (or by a pack's failed setup) is kept as it is.
      const own = ToolExecutionError.isInstance(thrown);
      const detail = own ? thrown.message : describeThrown(thrown);
      const error = own
        ? thrown
        : new ToolExecutionError(`Tool "${name}" threw: ${detail}`, {
            toolName: name,
            callId,
            cause: thrown,
          });
      finish(failure(error, toolThrewText(name, detail), maxChars));
    };
    const succeed = (value: unknown): void => {
      if (settled) return;
      let content: string;
      try {
        content = serializeToolResult(value);
      } catch (serializeError) {
        const error = new ToolExecutionError(
          `Tool "${name}" returned a result that cannot be serialized to JSON (${describeThrown(serializeError)}); return plain data (strings, numbers, booleans, arrays, objects).`,
          { toolName: name, callId, cause: serializeError },
        );
        finish(failure(error, unserializableResultText(name), maxChars));
        return;
      }
      finish({ ok: true, content: capToolContent(content, maxChars), value });
    };
    const aborted = (): void => {
      const error = new ToolAbortedError({ toolName: name, callId, cause: runSignal?.reason });
      finish(failure(error, cancelledText(name), maxChars, pending()));
      abortCall(runSignal?.reason);
    };

    if (runSignal !== undefined) unsubscribe = onAbort(runSignal, aborted);
    if (timeoutMs !== undefined && timeoutMs <= MAX_TIMER_MS) {
      timer = setTimeout(() => {
        const error = new ToolTimeoutError({ toolName: name, callId, timeoutMs });
        finish(failure(error, timedOutText(name, timeoutMs), maxChars, pending()));
        abortCall(error);
      }, timeoutMs);
    }

    const context: ToolContext = {
      get signal() {
        return callSignal();
      },
      callId,
      toolName: name,
      baseName: target.baseName,
      runId: options.runId,
      idempotencyKey: options.idempotencyKey ?? defaultKey(options.runId, callId),
      data: options.data,
      progress: progressReporter(options.onProgress, () => settled),
    };
    const pack = target.pack;
    try {
      const result =
        pack === undefined ? target.execute(args, context) : startInPack(target, pack, args, context, callId);
      // Inside the try: reading `then` of a hostile result can throw too.
      if (isPromiseLike(result)) {
        result.then(
          (value) => {
            markEnded();
            succeed(value);
          },
          (error: unknown) => {
            markEnded();
            fail(error);
          },
        );
      } else {
        markEnded();
        succeed(result);
      }
    } catch (thrown) {
      markEnded();
      fail(thrown);
    }
  });
}

/** The idempotency key when the runner gives none: the call id, scoped by the run id if any. */
function defaultKey(runId: string | undefined, callId: string): string {
  return runId === undefined ? callId : `${runId}:${callId}`;
}

function startInPack(
  target: RunTarget,
  pack: PackRuntime,
  args: unknown,
  context: ToolContext,
  callId: string,
): Promise<unknown> {
  return pack.state().then(
    (state) => target.execute(args, { ...context, pack: state } as ToolContext),
    (setupError: unknown) => {
      throw new ToolExecutionError(
        `The setup of tool pack "${pack.name}" failed (${describeThrown(setupError)}), so tool "${target.name}" could not run.`,
        { toolName: target.name, callId, cause: setupError },
      );
    },
  );
}

function ignoreProgress(): void {}

/** `context.progress`: forwards reports to `onProgress` until the call's outcome is settled. */
function progressReporter(
  onProgress: ((update: ToolProgress) => void) | undefined,
  ended: () => boolean,
): (update: ToolProgress) => void {
  if (onProgress === undefined) return ignoreProgress;
  return (update) => {
    if (!ended()) onProgress(update);
  };
}
