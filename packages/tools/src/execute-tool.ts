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
  return settled === undefined ? outcome : Object.assign(outcome, { settled });
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
  return new Promise<ToolOutcome>((resolve) => {
    new ToolCallRun(target, options, maxChars, release, resolve).start(args);
  });
}

/** Where a tool context keeps its call (for the shared `signal` getter). */
const CALL: unique symbol = Symbol('plumb.toolCall');

/** `context.signal`: the call's own signal, made when first read. */
const SIGNAL: PropertyDescriptor = {
  get(this: { [CALL]: ToolCallRun }): AbortSignal {
    return this[CALL].callSignal();
  },
  enumerable: true,
  configurable: true,
};

/**
 * One call of a tool, from `execute`'s start to its outcome: one object with its state, not a
 * closure per step (this runs once per tool call of every agent step).
 */
class ToolCallRun {
  /** The outcome was given (by the result, a throw, a timeout or an abort); later ones are ignored. */
  #settled = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #unsubscribe: (() => void) | undefined;
  /**
   * The call's own signal is made when `execute` first reads `context.signal`: most tools never
   * do, and an AbortController plus its listeners is a large share of a step's own work. A call
   * aborted (or timed out) before the read gets a signal already aborted with the same reason.
   */
  #controller: AbortController | undefined;
  #abortedWith: { reason: unknown } | undefined;
  #executionEnded = false;
  /** When `execute` ends; made only for an outcome given before that (a timeout or an abort). */
  #execution: Promise<void> | undefined;
  #executionDone: (() => void) | undefined;

  readonly target: RunTarget;
  readonly options: ToolRunOptions;
  readonly maxChars: number;
  readonly release: Release | undefined;
  readonly resolve: (outcome: ToolOutcome) => void;

  constructor(
    target: RunTarget,
    options: ToolRunOptions,
    maxChars: number,
    release: Release | undefined,
    resolve: (outcome: ToolOutcome) => void,
  ) {
    this.target = target;
    this.options = options;
    this.maxChars = maxChars;
    this.release = release;
    this.resolve = resolve;
  }

  start(args: unknown): void {
    const { target, options } = this;
    const runSignal = options.signal;
    if (runSignal !== undefined) this.#unsubscribe = onAbort(runSignal, () => this.#aborted());
    const timeoutMs = target.timeoutMs ?? options.timeoutMs;
    if (timeoutMs !== undefined && timeoutMs <= MAX_TIMER_MS) {
      this.#timer = setTimeout(() => this.#timedOut(timeoutMs), timeoutMs);
    }
    const callId = options.callId;
    // `signal` is a getter shared by every context (it finds its call through CALL): an object
    // literal with its own `get signal()` costs V8 several times more, once per tool call.
    const context = {
      [CALL]: this,
      callId,
      toolName: target.name,
      baseName: target.baseName,
      runId: options.runId,
      idempotencyKey: options.idempotencyKey ?? defaultKey(options.runId, callId),
      data: options.data,
      progress: progressReporter(options.onProgress, () => this.#settled),
    } as unknown as ToolContext;
    Object.defineProperty(context, 'signal', SIGNAL);
    const pack = target.pack;
    try {
      const result =
        pack === undefined ? target.execute(args, context) : startInPack(target, pack, args, context, callId);
      // Inside the try: reading `then` of a hostile result can throw too.
      if (isPromiseLike(result)) {
        result.then(
          (value) => {
            this.#markEnded();
            this.#succeed(value);
          },
          (error: unknown) => {
            this.#markEnded();
            this.#fail(error);
          },
        );
      } else {
        this.#markEnded();
        this.#succeed(result);
      }
    } catch (thrown) {
      this.#markEnded();
      this.#fail(thrown);
    }
  }

  /** The call's signal, made on first read (see `#controller`). */
  callSignal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#abortedWith !== undefined) this.#controller.abort(this.#abortedWith.reason);
    }
    return this.#controller.signal;
  }

  #abortCall(reason: unknown): void {
    if (this.#abortedWith !== undefined) return;
    this.#abortedWith = { reason };
    this.#controller?.abort(reason);
  }

  #markEnded(): void {
    this.#executionEnded = true;
    this.release?.();
    this.#executionDone?.();
  }

  /** The outcome of a call answered before `execute` ended carries the promise of its end. */
  #pending(): Promise<void> | undefined {
    if (this.#executionEnded) return undefined;
    this.#execution ??= new Promise<void>((resolve) => {
      this.#executionDone = resolve;
    });
    return this.#execution;
  }

  #finish(outcome: ToolOutcome): void {
    if (this.#settled) return;
    this.#settled = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#unsubscribe?.();
    this.resolve(outcome);
  }

  #fail(thrown: unknown): void {
    if (this.#settled) return;
    const name = this.target.name;
    // A ToolExecutionError thrown by the tool (or by a pack's failed setup) is kept as it is.
    const own = ToolExecutionError.isInstance(thrown);
    const detail = own ? thrown.message : describeThrown(thrown);
    const error = own
      ? thrown
      : new ToolExecutionError(`Tool "${name}" threw: ${detail}`, {
          toolName: name,
          callId: this.options.callId,
          cause: thrown,
        });
    this.#finish(failure(error, toolThrewText(name, detail), this.maxChars));
  }

  #succeed(value: unknown): void {
    if (this.#settled) return;
    let content: string;
    try {
      content = serializeToolResult(value);
    } catch (serializeError) {
      const name = this.target.name;
      const error = new ToolExecutionError(
        `Tool "${name}" returned a result that cannot be serialized to JSON (${describeThrown(serializeError)}); return plain data (strings, numbers, booleans, arrays, objects).`,
        { toolName: name, callId: this.options.callId, cause: serializeError },
      );
      this.#finish(failure(error, unserializableResultText(name), this.maxChars));
      return;
    }
    this.#finish({ ok: true, content: capToolContent(content, this.maxChars), value });
  }

  #aborted(): void {
    const name = this.target.name;
    const runSignal = this.options.signal;
    const error = new ToolAbortedError({
      toolName: name,
      callId: this.options.callId,
      cause: runSignal?.reason,
    });
    this.#finish(failure(error, cancelledText(name), this.maxChars, this.#pending()));
    this.#abortCall(runSignal?.reason);
  }

  #timedOut(timeoutMs: number): void {
    const name = this.target.name;
    const error = new ToolTimeoutError({ toolName: name, callId: this.options.callId, timeoutMs });
    this.#finish(failure(error, timedOutText(name, timeoutMs), this.maxChars, this.#pending()));
    this.#abortCall(error);
  }
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
