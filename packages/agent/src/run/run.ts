import { type AssistantMessage, addUsage, cacheHitRatio, costOf, type Usage } from '@plumb/core';
import { budgetReached, cutReason } from '../control/stop-conditions.js';
import { AgentRunError, RunStateError, StructuredOutputError } from '../errors.js';
import { partialTurnOf } from '../model/partial.js';
import { RunState } from '../state/run-state.js';
import { shareHistory } from '../step/history-seal.js';
import { handleLeakedCalls } from '../step/leaked-tool-calls.js';
import { toolMessage } from '../step/messages.js';
import { historyMessage, type ModelTurn, requestTurn } from '../step/model-turn.js';
import { runHook } from '../step/step-middleware.js';
import { checkOutput, outputRetryMessage } from '../step/structured-output.js';
import type { StepRequest } from '../telemetry/step-request.js';
import { distinctCallIds } from '../tool-calls/call-ids.js';
import {
  allCallsFailed,
  announceCalls,
  answerUnknownTool,
  cancelCall,
  planCalls,
  rejectCall,
  reparseApproved,
  runCalls,
  toolCallEnded,
  verifyApproved,
} from '../tool-calls/execute-tools.js';
import { pinTools, refreshTools, settleTools } from '../tool-calls/live-tools.js';
import { aiSdkUsage } from './ai-sdk-usage.js';
import type { AgentFinishReason, AgentResult, AgentStep } from './result.js';
import { addCost, emptyUsage, type Progress, type RunContext } from './run-context.js';

type End = AgentResult<unknown>;

/**
 * The step loop: request a turn (streamed), run its tool calls, append the assistant message and
 * one tool message per call in call order, repeat until a final answer or a stop condition.
 * The history is append-only, so each request's messages extend the previous request's byte for
 * byte. Resolves for every ending (including aborts and interruptions); rejects with an
 * `AgentRunError` (holding the partial result) when the API fails.
 */
export async function runLoop(context: RunContext, progress: Progress): Promise<End> {
  try {
    return await steps(context, progress);
  } catch (error) {
    // Anything unexpected (a malformed usage object, a bug) still keeps what was done.
    // instanceof, not RunStateError.isInstance: that one is AgentError's and matches every AgentError.
    if (error instanceof AgentRunError || error instanceof RunStateError) throw error;
    throw failed(context, progress, error, Math.max(0, progress.steps.length - 1));
  }
}

async function steps(context: RunContext, progress: Progress): Promise<End> {
  if (progress.pendingTurn !== undefined) {
    const end = await resumeTurn(context, progress, progress.pendingTurn);
    if (end !== undefined) return end;
  }
  const { config } = context;
  const loop = context.loop;
  for (;;) {
    if (context.signal.aborted) return finish(context, progress, 'aborted');
    // stopWhen before maxSteps: a condition the caller set explains the end better (loop-control.ts).
    // Loop control answers without a promise when there is nothing to wait for (no stopWhen, no
    // dynamic instructions): each await, even of a plain value, costs a turn of the microtask queue.
    const stopped = loop?.stopped(context, progress);
    if (stopped === true || (stopped instanceof Promise && (await stopped)))
      return finish(context, progress, 'stopped');
    if (progress.steps.length >= context.maxSteps) return finish(context, progress, 'max_steps');
    const stepIndex = progress.steps.length;
    context.emit?.({ type: 'step-start', stepIndex });
    const before = loop?.beforeStep(context, progress, stepIndex);
    if (before !== undefined) await before;
    if (context.contextRun !== undefined) await context.contextRun.beforeStep(context, progress, stepIndex);
    if (config.hooks?.onStepStart !== undefined) {
      const event = { stepIndex, messages: shareHistory(progress.messages) };
      await runHook(context, 'onStepStart', stepIndex, `onStepStart:${stepIndex}`, event);
    }
    const settling = settleTools(config.toolItems);
    if (settling !== undefined) await settling;
    const changed = refreshTools(context.tools, config.toolItems, stepIndex);
    if (changed !== undefined) context.emit?.(changed);
    // This step's model, thinking and tools (prepareStep, activeTools), else the run's: one context.
    const stepContext = loop === undefined ? context : loop.stepContext(context, progress);
    let turn: ModelTurn;
    try {
      turn = await requestTurn(stepContext, progress.messages, stepIndex);
    } catch (error) {
      // What arrived of the failed turn travels on the model's error (model/partial.ts).
      const partial = partialTurnOf(error);
      const text = partial?.text ?? '';
      const reasoning = partial?.reasoning ?? '';
      const request = partial?.request;
      if (!context.signal.aborted) {
        // Keep what arrived of the failed turn (its usage is unknown: DeepSeek sends it last).
        if (text !== '' || reasoning !== '') {
          addStep(stepContext, progress, stepIndex, {
            text,
            reasoning,
            finishReason: 'error',
            usage: undefined,
            request,
          });
        }
        throw failed(context, progress, error, stepIndex);
      }
      const step = addStep(stepContext, progress, stepIndex, {
        text,
        reasoning,
        finishReason: 'aborted',
        usage: undefined,
        request,
      });
      await stepEnded(context, step);
      return finish(context, progress, 'aborted');
    }
    // DSML tool-call markup written into the text: recovered calls, or a correction (leaked-tool-calls.ts).
    const leaked = handleLeakedCalls(stepContext, progress, turn, stepIndex);
    const leak = leaked instanceof Promise ? await leaked : leaked;
    turn = leak.turn;
    const text = turn.message.content ?? '';
    const step = addStep(stepContext, progress, stepIndex, {
      text,
      reasoning: turn.message.reasoning_content ?? '',
      finishReason: turn.finishReason,
      usage: turn.usage,
      request: turn.request,
    });
    const cut = cutReason(turn.finishReason);
    if (cut !== undefined) {
      progress.messages.push(historyMessage(turn.message, undefined));
      await stepEnded(context, step);
      return finish(context, progress, cut);
    }
    if ((turn.message.tool_calls?.length ?? 0) > 0) {
      // Planned against the step's tools: a call to a tool the step did not offer is unknown.
      const end = await toolStep(stepContext, progress, step, turn);
      if (end !== undefined) return end;
      continue;
    }
    progress.messages.push(historyMessage(turn.message, undefined));
    if (leak.correction !== undefined) {
      progress.messages.push(leak.correction);
      await stepEnded(context, step);
      continue;
    }
    if (config.output !== undefined) {
      const check = await checkOutput(config.output, text);
      if (!check.ok) {
        step.outputError = check.issues;
        await stepEnded(context, step);
        if (progress.outputRetries >= config.maxOutputRetries) {
          const partialResult = result(progress, 'error', undefined);
          throw new StructuredOutputError(text, check.issues, progress.outputRetries, partialResult);
        }
        progress.outputRetries++;
        progress.messages.push(outputRetryMessage(check.issues));
        if (budgetReached(context.budget, progress.cost)) return finish(context, progress, 'budget');
        continue;
      }
      progress.output = check.value;
    }
    await stepEnded(context, step);
    return finish(context, progress, 'stop');
  }
}

/** Plans and runs the calls of a tool turn; pauses for approvals; appends the messages. */
async function toolStep(
  context: RunContext,
  progress: Progress,
  step: AgentStep,
  turn: ModelTurn,
): Promise<End | undefined> {
  // Calls sharing an id get distinct ones and never run (call-ids.ts).
  const { calls, ambiguous } = distinctCallIds(turn.message.tool_calls ?? []);
  const message = historyMessage(turn.message, calls);
  const planning = planCalls(context, message.tool_calls ?? [], turn.finishReason, ambiguous);
  const planned = planning instanceof Promise ? await planning : planning;
  const records = planned.map((call) => call.record);
  step.toolCalls = records;
  const announced = announceCalls(context, step.index, records);
  if (announced !== undefined) await announced;
  await runCalls(
    context,
    step.index,
    planned.filter((call) => call.record.status === 'ok'),
  );
  if (records.some((record) => record.status === 'pending')) {
    if (!context.signal.aborted) return interrupt(context, progress, message);
    await cancelPending(context, step);
  }
  const done = completeToolStep(context, progress, step, message);
  // Awaited here, not returned: an async function returning a promise costs two more turns.
  return done instanceof Promise ? await done : done;
}

/** Continues a paused turn from a `RunState`: runs approved calls, answers rejected ones. */
async function resumeTurn(
  context: RunContext,
  progress: Progress,
  message: AssistantMessage,
): Promise<End | undefined> {
  const step = progress.steps[progress.steps.length - 1] as AgentStep;
  const pending = step.toolCalls.filter((record) => record.status === 'pending');
  if (pending.some((record) => progress.decisions[record.id] === undefined)) {
    return interrupt(context, progress, message);
  }
  // Before anything runs: every approved call re-parses to the arguments that were shown.
  await verifyApproved(context.tools.set, pending, progress.decisions);
  if (context.signal.aborted) {
    await cancelPending(context, step);
  } else {
    const approved = [];
    for (const record of pending) {
      const decision = progress.decisions[record.id];
      if (decision?.approved) {
        const tool = context.tools.set.get(record.name);
        if (tool === undefined) answerUnknownTool(record, context.tools.set.names);
        else if (await reparseApproved(tool, record, message)) approved.push({ tool, record });
      } else {
        rejectCall(record, decision?.reason);
      }
      if (record.status !== 'ok') await toolCallEnded(context, step.index, record);
    }
    await runCalls(context, step.index, approved);
  }
  progress.pendingTurn = undefined;
  return completeToolStep(context, progress, step, message);
}

async function cancelPending(context: RunContext, step: AgentStep): Promise<void> {
  for (const record of step.toolCalls) {
    if (record.status !== 'pending') continue;
    cancelCall(record, 'cancelled: the run was aborted before the call was approved');
    await toolCallEnded(context, step.index, record);
  }
}

/**
 * Appends the assistant turn and its tool messages (call order), then checks the stop conditions;
 * a promise only when an `onStepEnd` hook is to be awaited.
 */
function completeToolStep(
  context: RunContext,
  progress: Progress,
  step: AgentStep,
  message: AssistantMessage,
): End | undefined | Promise<End | undefined> {
  const messages = progress.messages;
  messages.push(message);
  for (const record of step.toolCalls) {
    messages.push(toolMessage(record.id, record.parts ?? record.content));
    if (record.usage !== undefined) {
      progress.usage = addUsage(progress.usage, record.usage);
      progress.cost = addCost(progress.cost, record.cost);
    }
  }
  const ended = stepEnded(context, step);
  if (ended !== undefined) return ended.then(() => toolStepEnded(context, progress, step));
  return toolStepEnded(context, progress, step);
}

/** After a tool step ended: an abort, too many failed calls in a row, or the budget ends the run. */
function toolStepEnded(context: RunContext, progress: Progress, step: AgentStep): End | undefined {
  if (context.signal.aborted) return finish(context, progress, 'aborted');
  progress.consecutiveToolErrors = allCallsFailed(step.toolCalls) ? progress.consecutiveToolErrors + 1 : 0;
  if (progress.consecutiveToolErrors >= context.config.maxConsecutiveToolErrors) {
    return finish(context, progress, 'tool_error');
  }
  if (budgetReached(context.budget, progress.cost)) return finish(context, progress, 'budget');
  return undefined;
}

/** What a step records of its turn (a complete one, or what arrived of a failed one). */
interface StepTurn {
  text: string;
  reasoning: string;
  finishReason: AgentStep['finishReason'];
  usage: Usage | undefined;
  request: StepRequest | undefined;
}

/** Records a step: its usage and cost (core's `costOf`, at the time it ended) join the totals. */
function addStep(context: RunContext, progress: Progress, index: number, turn: StepTurn): AgentStep {
  const usage: Usage = turn.usage ?? emptyUsage();
  const { config } = context;
  const cost = config.priced
    ? costOf(usage, config.model, { at: new Date(), currency: context.currency })
    : undefined;
  const step: AgentStep = {
    index,
    text: turn.text,
    reasoning: turn.reasoning,
    toolCalls: [],
    usage,
    cost,
    cacheHitRatio: cacheHitRatio(usage),
    finishReason: turn.finishReason,
    ...turn.request,
  };
  const loop = context.loop;
  if (loop?.cacheBreak !== undefined) step.cacheBreak = loop.cacheBreak;
  loop?.calibrate(usage.prompt_tokens);
  progress.steps.push(step);
  progress.usage = addUsage(progress.usage, usage);
  progress.cost = addCost(progress.cost, cost);
  return step;
}

/** Reports the end of a step; returns a promise only when there is an `onStepEnd` hook to wait for. */
function stepEnded(context: RunContext, step: AgentStep): Promise<void> | undefined {
  const { config } = context;
  if (context.debug) {
    config.logger.debug(
      {
        agent: config.name,
        step: step.index,
        finishReason: step.finishReason,
        toolCalls: step.toolCalls.length,
        usage: step.usage,
      },
      'agent step',
    );
  }
  context.emit?.({ type: 'step-end', stepIndex: step.index, step });
  if (config.hooks?.onStepEnd === undefined) return undefined;
  return runHook(context, 'onStepEnd', step.index, `onStepEnd:${step.index}`, step);
}

function interrupt(context: RunContext, progress: Progress, turn: AssistantMessage): End {
  const state = new RunState({
    runId: progress.runId,
    messages: progress.messages.slice(),
    steps: progress.steps,
    turn,
    decisions: progress.decisions,
    usage: progress.usage,
    cost: progress.cost ?? null,
    consecutiveToolErrors: progress.consecutiveToolErrors,
    outputRetries: progress.outputRetries,
    toolPins: pinTools(context.config.toolItems),
  });
  return finish(context, progress, 'interrupted', state);
}

function result(progress: Progress, reason: AgentFinishReason, state: RunState | undefined): End {
  const last = progress.steps[progress.steps.length - 1];
  return {
    text: last?.text ?? '',
    output: reason === 'stop' ? progress.output : undefined,
    reasoning: last?.reasoning ?? '',
    messages: progress.messages.slice(),
    steps: progress.steps,
    usage: progress.usage,
    totalUsage: aiSdkUsage(progress.usage),
    cost: progress.cost,
    cacheHitRatio: cacheHitRatio(progress.usage),
    finishReason: reason,
    interruptions: state?.interruptions ?? [],
    state,
    runId: progress.runId,
  };
}

function finish(context: RunContext, progress: Progress, reason: AgentFinishReason, state?: RunState): End {
  const end = result(progress, reason, state);
  if (context.contextRun !== undefined) end.compactions = context.contextRun.finish(progress);
  if (context.debug) {
    context.config.logger.debug(
      { agent: context.config.name, finishReason: reason, steps: end.steps.length, usage: end.usage },
      'agent run finished',
    );
  }
  context.emit?.({ type: 'end', result: end });
  return end;
}

function failed(context: RunContext, progress: Progress, error: unknown, stepIndex: number): AgentRunError {
  const reason = error instanceof Error ? error.message : String(error);
  const partial = result(progress, 'error', undefined);
  if (context.debug)
    context.config.logger.debug(
      { agent: context.config.name, step: stepIndex, err: error },
      'agent run failed',
    );
  return new AgentRunError(
    `The agent run failed at step ${stepIndex}: ${reason} The history, steps and usage so far are in error.result.`,
    partial,
    { cause: error },
  );
}
