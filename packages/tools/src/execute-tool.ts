import { describeThrown, ToolAbortedError, ToolExecutionError, ToolTimeoutError } from './errors.js';
import { capToolContent, DEFAULT_MAX_RESULT_CHARS, serializeToolResult } from './serialize-result.js';
import type { ToolCallError, ToolContext, ToolOutcome, ToolRunOptions } from './types.js';

/** setTimeout's limit; a longer timeout would fire at once, so it means "no timeout". */
const MAX_TIMER_MS = 2_147_483_647;

/** The shared state of a tool pack: `state()` runs the pack's setup once (retried after a failure). */
export interface PackRuntime {
  readonly name: string;
  state(): Promise<unknown>;
}

/** What the runner needs from a tool. */
export interface RunTarget {
  readonly name: string;
  readonly execute: (args: unknown, context: ToolContext) => unknown;
  readonly timeoutMs: number | undefined;
  readonly maxResultChars: number | undefined;
  readonly pack: PackRuntime | undefined;
}

function failure(error: ToolCallError, content: string, maxChars: number): ToolOutcome<never> {
  return { ok: false, content: capToolContent(content, maxChars), error };
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
 * and the tool's signal is aborted; whatever the tool does afterwards (even rejecting) is ignored.
 */
export function runTool(target: RunTarget, args: unknown, options: ToolRunOptions): Promise<ToolOutcome> {
  const { name } = target;
  const callId = options.callId;
  const maxChars = target.maxResultChars ?? options.maxResultChars ?? DEFAULT_MAX_RESULT_CHARS;
  const runSignal = options.signal;
  if (runSignal?.aborted) {
    const error = new ToolAbortedError({ toolName: name, callId, cause: runSignal.reason });
    return Promise.resolve(failure(error, abortedContent(name), maxChars));
  }
  const timeoutMs = target.timeoutMs ?? options.timeoutMs;
  const controller = new AbortController();

  return new Promise<ToolOutcome>((resolve) => {
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = (outcome: ToolOutcome): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      runSignal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
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
      finish(failure(error, `Error: tool "${name}" failed: ${detail}`, maxChars));
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
        finish(failure(error, `Error: tool "${name}" failed: its result could not be serialized.`, maxChars));
        return;
      }
      finish({ ok: true, content: capToolContent(content, maxChars), value });
    };
    function onAbort(): void {
      const error = new ToolAbortedError({ toolName: name, callId, cause: runSignal?.reason });
      finish(failure(error, abortedContent(name), maxChars));
      controller.abort(runSignal?.reason);
    }

    runSignal?.addEventListener('abort', onAbort, { once: true });
    if (timeoutMs !== undefined && timeoutMs <= MAX_TIMER_MS) {
      timer = setTimeout(() => {
        const error = new ToolTimeoutError({ toolName: name, callId, timeoutMs });
        finish(
          failure(
            error,
            `Error: tool "${name}" timed out after ${timeoutMs} ms and was cancelled. Try a smaller request or another approach.`,
            maxChars,
          ),
        );
        controller.abort(error);
      }, timeoutMs);
    }

    const context: ToolContext = { signal: controller.signal, callId, toolName: name, data: options.data };
    const pack = target.pack;
    try {
      const result =
        pack === undefined ? target.execute(args, context) : startInPack(target, pack, args, context, callId);
      // Inside the try: reading `then` of a hostile result can throw too.
      if (isPromiseLike(result)) result.then(succeed, fail);
      else succeed(result);
    } catch (thrown) {
      fail(thrown);
    }
  });
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

function abortedContent(name: string): string {
  return `Error: tool "${name}" was cancelled because the run was aborted.`;
}
