import type { AssistantMessage, FinishReason, ToolCall } from '@plumb/core';
import {
  type AnyTool,
  DEFAULT_MAX_RESULT_CHARS,
  type ParseArgumentsResult,
  ToolAbortedError,
  ToolResultContent,
} from '@plumb/tools';
import {
  approvalCheckFailedText,
  cancelledText,
  duplicateCallIdText,
  parseToolArguments,
  rejectedError,
  rejectedText,
  unknownToolError,
  unknownToolText,
} from '@plumb/tools/internal';
import { settlesWithin } from '../abort/abort-grace.js';
import { ABORTED, unlessAborted } from '../abort/abortable.js';
import { steerCall } from '../control/steering.js';
import { AgentRunError, RunStateError } from '../errors.js';
import type { ToolCallRecord } from '../run/result.js';
import { costIn, type RunContext } from '../run/run-context.js';
import { runHook, wrapToolCall } from '../step/step-middleware.js';
import { observeToolCall, toolCallObserved } from '../telemetry/observe.js';
import { runInCallOrder } from './call-order.js';
import { SubRunOutput } from './sub-run.js';

/** One call of a turn, looked up and validated, ready to run (or already answered). */
export interface PlannedCall {
  readonly tool: AnyTool | undefined;
  readonly record: ToolCallRecord;
}

function newRecord(call: ToolCall): ToolCallRecord {
  return {
    id: call.id,
    name: call.function.name,
    args: undefined,
    rawArguments: call.function.arguments,
    result: undefined,
    status: 'ok',
    content: '',
  };
}

/** Answers a call the run's abort stopped before it ran. */
export function cancelCall(record: ToolCallRecord, error: string): void {
  record.status = 'cancelled';
  record.error = error;
  record.content = cancelledText(record.name);
}

function fail(record: ToolCallRecord, error: string, content: string): void {
  record.status = 'error';
  record.error = error;
  record.content = content;
}

/** Answers a call of a tool the run does not offer (also on resume, by an agent without it). */
export function answerUnknownTool(record: ToolCallRecord, available: readonly string[]): void {
  fail(record, unknownToolError(record.name, available), unknownToolText(record.name, available));
}

const NO_AMBIGUOUS: ReadonlyMap<string, string> = new Map();

/**
 * Looks up each call's tool, parses and validates its arguments, and asks `needsApproval`.
 * Failures (unknown tool, invalid or truncated arguments, a throwing approval check) are
 * answered at once with a model-readable error; calls needing approval get status `pending`.
 * An abort during an (async) validation or approval check answers the call as cancelled at once.
 *
 * Returns the plans themselves when no call had anything to wait for (the usual turn: arguments
 * that validate synchronously, no approval check), else a promise of them: each await, even of a
 * plain value, costs a turn of the microtask queue.
 */
export function planCalls(
  context: RunContext,
  calls: readonly ToolCall[],
  finishReason: FinishReason,
  ambiguous: ReadonlyMap<string, string> = NO_AMBIGUOUS,
): PlannedCall[] | Promise<PlannedCall[]> {
  const plans: Array<PlannedCall | Promise<PlannedCall>> = [];
  let waits = false;
  for (const call of calls) {
    const plan = planCall(context, call, finishReason, ambiguous);
    if (plan instanceof Promise) waits = true;
    plans.push(plan);
  }
  return waits ? Promise.all(plans) : (plans as PlannedCall[]);
}

function planCall(
  context: RunContext,
  call: ToolCall,
  finishReason: FinishReason,
  ambiguous: ReadonlyMap<string, string>,
): PlannedCall | Promise<PlannedCall> {
  const record = newRecord(call);
  const toolSet = context.tools.set;
  const tool = toolSet.get(record.name);
  const shared = ambiguous.get(record.id);
  if (shared !== undefined) {
    // Never run a call whose id another call of the turn also had: nothing could tell them apart.
    fail(
      record,
      `DeepSeek sent several tool calls with the id ${JSON.stringify(shared)} in one turn; none of them ran (renamed ${JSON.stringify(record.id)} in the history).`,
      duplicateCallIdText(shared),
    );
    return { tool, record };
  }
  if (tool === undefined) {
    answerUnknownTool(record, toolSet.names);
    return { tool, record };
  }
  const signal = context.signal;
  const parsed = parseToolArguments(tool, record.rawArguments, { finishReason, callId: record.id });
  if (parsed instanceof Promise) {
    return unlessAborted(parsed, signal).then((settled) => checkCall(context, tool, record, settled));
  }
  // Parsed synchronously: nothing could abort during it, but a run already aborted runs nothing.
  return checkCall(context, tool, record, signal.aborted ? ABORTED : parsed);
}

/** A parsed call: answered if it was aborted or invalid, else asked whether it needs approval. */
function checkCall(
  context: RunContext,
  tool: AnyTool,
  record: ToolCallRecord,
  parsed: ParseArgumentsResult<unknown> | typeof ABORTED,
): PlannedCall | Promise<PlannedCall> {
  if (parsed === ABORTED) {
    cancelCall(record, 'cancelled: the run was aborted');
    return { tool, record };
  }
  if (!parsed.ok) {
    fail(record, parsed.error.message, parsed.content);
    return { tool, record };
  }
  record.args = parsed.args;
  if (tool.needsApproval === false) return { tool, record };
  return askApproval(context, tool, record);
}

async function askApproval(context: RunContext, tool: AnyTool, record: ToolCallRecord): Promise<PlannedCall> {
  const signal = context.signal;
  try {
    const approval = {
      callId: record.id,
      toolName: tool.name,
      runId: context.runId,
      data: context.data,
      signal,
    };
    const needed = await unlessAborted(tool.requiresApproval(record.args, approval), signal);
    if (needed === ABORTED) cancelCall(record, 'cancelled: the run was aborted during the approval check');
    else if (needed) record.status = 'pending';
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    fail(record, message, approvalCheckFailedText(tool.name, message));
  }
  return { tool, record };
}

/**
 * Runs the given calls (status `ok`, not yet run) at most `toolConcurrency` at a time. Each
 * call gets the run's signal: on abort, unfinished calls are answered at once as cancelled
 * (the tool's own signal is aborted) and nothing waits for them. Records are filled in place;
 * their order (the history's order) is the call order, whatever the completion order.
 */
export async function runCalls(
  context: RunContext,
  stepIndex: number,
  calls: readonly PlannedCall[],
): Promise<void> {
  if (calls.length === 0) return;
  const { config } = context;
  // With a `steps.toolCall` wrapper (a durable engine), wrappers start in call order whatever
  // the hooks before them await: an engine numbers its steps in the order they start.
  const inOrder = context.steps?.toolCall === undefined ? undefined : callOrderGate();
  await runInCallOrder(calls, config.toolConcurrency, async ({ tool, record }) => {
    const turn = inOrder?.next();
    try {
      if (tool === undefined) return;
      // The steering hook may answer the call itself (steering.ts): then the tool never starts.
      if (
        context.loop?.onToolCall !== undefined &&
        (await steerCall(context, stepIndex, record, rejectCall))
      ) {
        await toolCallEnded(context, stepIndex, record);
        return;
      }
      if (config.hooks?.onToolCallStart !== undefined) {
        const event = { stepIndex, id: record.id, name: record.name, args: record.args };
        const hookKey = `onToolCallStart:${stepIndex}:${record.id}`;
        await runHook(context, 'onToolCallStart', stepIndex, hookKey, event);
      }
      const key = idempotencyKey(context.runId, stepIndex, record.id);
      if (turn !== undefined) await turn.previousStarted;
      // A wrapper (a durable step) may return the saved record instead of running the call.
      const ran = wrapToolCall(context, stepIndex, record, key, () =>
        runCall(context, stepIndex, tool, record, key),
      );
      turn?.started();
      await ran;
      const ended = toolCallEnded(context, stepIndex, record);
      if (ended !== undefined) await ended;
    } finally {
      turn?.started();
    }
  });
}

/** Hands out turns in the order tasks start: each turn can wait for the one before to start. */
function callOrderGate(): { next(): { previousStarted: Promise<void>; started(): void } } {
  let last: Promise<void> = Promise.resolve();
  return {
    next() {
      const previousStarted = last;
      let started!: () => void;
      last = new Promise<void>((resolve) => {
        started = resolve;
      });
      return { previousStarted, started };
    },
  };
}

async function runCall(
  context: RunContext,
  stepIndex: number,
  tool: AnyTool,
  record: ToolCallRecord,
  key: string,
): Promise<void> {
  const { config } = context;
  const emit = context.emit;
  const outcome = await observeToolCall(context, record, tool, stepIndex, () =>
    tool.run(record.args, {
      callId: record.id,
      signal: context.signal,
      data: context.data,
      timeoutMs: config.toolTimeoutMs,
      runId: context.runId,
      idempotencyKey: key,
      onProgress:
        emit === undefined
          ? undefined
          : (update) =>
              emit({ type: 'tool-progress', stepIndex, id: record.id, name: record.name, ...update }),
    }),
  );
  if (outcome.ok) {
    const value = outcome.value;
    if (value instanceof SubRunOutput) {
      record.result = value.value;
      record.usage = value.usage;
      record.cost = costIn(value.cost, value.usage, context.currency);
      record.content = outcome.content;
    } else if (ToolResultContent.isInstance(value)) {
      record.result = value.value;
      record.content = outcome.content;
      if (value.hasImages) record.parts = value.capped(tool.maxResultChars ?? DEFAULT_MAX_RESULT_CHARS);
    } else {
      record.result = value;
      record.content = outcome.content;
    }
  } else {
    record.status = ToolAbortedError.isInstance(outcome.error) ? 'cancelled' : 'error';
    // Answered by a timeout or an abort while `execute` still runs: give it a grace period
    // to honour its signal, then go on without it (its side effect may still happen).
    if (outcome.settled !== undefined && !(await settlesWithin(outcome.settled))) record.abandoned = true;
    record.error = outcome.error.message;
    record.content = outcome.content;
    const cause = outcome.error.cause;
    if (AgentRunError.isInstance(cause) && cause instanceof AgentRunError) {
      // A failed sub-agent (asTool) still spent tokens: count them.
      record.usage = cause.result.usage;
      record.cost = costIn(cause.result.cost, cause.result.usage, context.currency);
    }
  }
  if (context.debug) {
    config.logger.debug(
      { stepIndex, callId: record.id, tool: record.name, status: record.status },
      'agent tool call',
    );
  }
}

/**
 * Emits `tool-call` for every call (in call order), then `tool-approval-request` for the pending
 * ones, then answers the calls that already failed (unknown tool, invalid arguments) or were
 * cancelled by an abort during planning.
 */
export function announceCalls(
  context: RunContext,
  stepIndex: number,
  records: readonly ToolCallRecord[],
): Promise<void> | undefined {
  const emit = context.emit;
  if (emit !== undefined) {
    for (const { id, name, args, rawArguments } of records) {
      emit({ type: 'tool-call', stepIndex, id, name, args, rawArguments });
    }
    for (const { id, name, args, rawArguments, status } of records) {
      if (status === 'pending')
        emit({ type: 'tool-approval-request', stepIndex, id, name, args, rawArguments });
    }
  }
  // Most turns have none: then nothing is awaited (no promise made).
  return records.some(answered) ? endAnswered(context, stepIndex, records) : undefined;
}

/** A call already answered while planning: failed (unknown tool, bad arguments) or cancelled. */
const answered = (record: ToolCallRecord): boolean =>
  record.status === 'error' || record.status === 'cancelled';

async function endAnswered(context: RunContext, stepIndex: number, records: readonly ToolCallRecord[]) {
  for (const record of records) if (answered(record)) await toolCallEnded(context, stepIndex, record);
}

/**
 * Emits `tool-result` and calls `onToolCallEnd` for an answered call; returns a promise only
 * when there is a hook to wait for.
 */
export function toolCallEnded(
  context: RunContext,
  stepIndex: number,
  record: ToolCallRecord,
): Promise<void> | undefined {
  toolCallObserved(context, record, stepIndex);
  context.emit?.({
    type: 'tool-result',
    stepIndex,
    id: record.id,
    name: record.name,
    result: record.result,
    content: record.content,
    error: record.status !== 'ok',
    toolCall: record,
  });
  if (context.config.hooks?.onToolCallEnd === undefined) return undefined;
  const key = `onToolCallEnd:${stepIndex}:${record.id}`;
  return runHook(context, 'onToolCallEnd', stepIndex, key, { ...record, stepIndex });
}

/**
 * Before an approved call runs on resume, its arguments are parsed again from the turn's raw
 * JSON by the resuming agent's tool: a state that went through JSON lost what zod transforms
 * produced (a `Date` became a string), and the tool may have changed since the pause. Returns
 * whether the call can run; if not, the record is answered with the validation error.
 */
export async function reparseApproved(
  tool: AnyTool,
  record: ToolCallRecord,
  _turn: AssistantMessage,
): Promise<boolean> {
  // The record's bytes: what `state.interruptions` showed (the turn's copy is checked equal).
  const parsed = await tool.parseArguments(record.rawArguments, { callId: record.id });
  if (!parsed.ok) {
    fail(record, parsed.error.message, parsed.content);
    return false;
  }
  record.status = 'ok';
  record.args = parsed.args;
  return true;
}

/**
 * Checks, before anything runs, that every approved call parses (from its `rawArguments`) to the
 * arguments the approver was shown (`state.interruptions[].args`). A state whose `args` and
 * `rawArguments` disagree was edited (or the tool's schema changed since the pause).
 * @throws RunStateError naming the call.
 */
export async function verifyApproved(
  toolSet: { get(name: string): AnyTool | undefined },
  pending: readonly ToolCallRecord[],
  decisions: Readonly<Record<string, { approved: boolean }>>,
): Promise<void> {
  for (const record of pending) {
    if (decisions[record.id]?.approved !== true) continue;
    const tool = toolSet.get(record.name);
    if (tool === undefined) continue;
    const parsed = await tool.parseArguments(record.rawArguments, { callId: record.id });
    if (parsed.ok && canonical(parsed.args) !== canonical(record.args)) {
      throw new RunStateError(
        `The approved call ${JSON.stringify(record.id)} (${record.name}) would run with arguments other than the ones shown for approval: its rawArguments parse to ${clip(canonical(parsed.args))}, but args is ${clip(canonical(record.args))}. Nothing was run. Load the state unmodified, with the tools it was paused with.`,
      );
    }
  }
}

/** JSON text of a value for comparison (bigints as text, so nothing throws). */
function canonical(value: unknown): string {
  return (
    JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? `${item}n` : item)) ??
    'undefined'
  );
}

function clip(text: string): string {
  const chars = Array.from(text);
  return chars.length > 200 ? `${chars.slice(0, 200).join('')}…` : text;
}

/** The key tools get as `context.idempotencyKey`: the same for the same call in any process. */
function idempotencyKey(runId: string, stepIndex: number, callId: string): string {
  return `${runId}/${stepIndex}/${callId}`;
}

/** Answers a call the program rejected: the model reads the reason as the result. */
export function rejectCall(record: ToolCallRecord, reason: string | undefined): void {
  record.status = 'rejected';
  record.error = rejectedError(reason);
  record.content = rejectedText(record.name, reason);
}

/** True when the step had tool calls and every one of them failed (counts toward `maxConsecutiveToolErrors`). */
export function allCallsFailed(records: readonly ToolCallRecord[]): boolean {
  if (records.length === 0) return false;
  for (const record of records) if (record.status !== 'error') return false;
  return true;
}
