/**
 * Telemetry and recording around a run. Both are set up when the run starts (synchronously, so a
 * sub-agent started from a tool call sees its parent) and cost nothing when neither is on.
 */
import { type DeepSeek, redact, type Telemetry } from '@plumb/core';
import { isoNow } from '@plumb/core/internal';
import type { AnyTool } from '@plumb/tools';
import type { RunOptions } from '../options/options.js';
import type { Emit } from '../run/events.js';
import type { AgentResult, ToolCallRecord } from '../run/result.js';
import type { Progress, RunContext } from '../run/run-context.js';
import { RunState } from '../state/run-state.js';
import type { AgentConfig } from '../step/config.js';
import { activeRecorder, type RunRecorder, type RunRecording } from './recorder.js';
import {
  type Ambient,
  currentAmbient,
  RunTelemetry,
  resolveAgentTelemetry,
  withAmbient,
} from './run-telemetry.js';

type End = AgentResult<unknown>;

/** What observes one run. */
export class Observation {
  readonly runId = `run_${globalThis.crypto.randomUUID().replace(/-/g, '')}`;
  readonly parent: Ambient | undefined;
  readonly telemetry: RunTelemetry | undefined;
  readonly recorder: RunRecorder | undefined;
  readonly resumedFrom: RunState | undefined;
  recording: RunRecording | undefined;

  constructor(
    config: AgentConfig,
    input: unknown,
    parent: Ambient | undefined,
    telemetry: Telemetry | undefined,
    recorder: RunRecorder | undefined,
  ) {
    this.parent = parent;
    this.resumedFrom = input instanceof RunState ? input : undefined;
    this.recorder = recorder;
    this.telemetry =
      telemetry === undefined
        ? undefined
        : new RunTelemetry(telemetry, config, this.resumedFrom, this.runId, parent);
  }
}

/**
 * Sets up the observation of a run that is starting, or returns undefined (nothing observes it).
 * A run started from a tool call of an observed run (a sub-agent) uses that run's telemetry and
 * recorder unless it has its own. `emit` is the stream's; with a recorder the returned emit also
 * feeds the recording.
 */
export function observeRun(
  config: AgentConfig,
  options: RunOptions,
  input: unknown,
  emit: Emit,
): { observation: Observation | undefined; emit: Emit } {
  const parent = currentAmbient();
  const own =
    options.telemetry === undefined
      ? config.telemetry
      : resolveAgentTelemetry(options.telemetry, config.client);
  const telemetry = own === false ? undefined : (own ?? parent?.telemetry);
  const recorder =
    config.recorder === undefined && parent?.recorder !== undefined
      ? parent.recorder
      : activeRecorder(config.recorder);
  if (telemetry === undefined && recorder === undefined) return { observation: undefined, emit };
  const observation = new Observation(config, input, parent, telemetry, recorder);
  if (recorder === undefined) return { observation, emit };
  return {
    observation,
    emit: (event) => {
      observation.recording?.event(event);
      emit?.(event);
    },
  };
}

/** Runs the loop inside the run's span and recording (or just runs it when nothing observes). */
export async function runObserved(
  context: RunContext,
  progress: Progress,
  loop: (context: RunContext, progress: Progress) => Promise<End>,
): Promise<End> {
  const observation = context.observation;
  if (observation === undefined) return loop(context, progress);
  await begin(context, progress, observation);
  let end: End;
  try {
    end = await loop(context, progress);
  } catch (error) {
    observation.telemetry?.fail(error);
    await observation.recording?.end({ error });
    throw error;
  }
  // A paused run's state keeps the ids that link its resumption (also in another process).
  const state = end.state;
  if (state !== undefined) state.data.trace = { ...state.data.trace, runId: observation.runId };
  observation.telemetry?.end(end);
  await observation.recording?.end({ result: end });
  return end;
}

async function begin(context: RunContext, progress: Progress, observation: Observation): Promise<void> {
  const telemetry = observation.telemetry;
  await telemetry?.begin(progress);
  const recorder = observation.recorder;
  if (recorder === undefined) return;
  const state = observation.resumedFrom;
  observation.recording = recorder.startRun({
    runId: observation.runId,
    parentRunId: observation.parent?.runId,
    parentCallId: observation.parent?.callId,
    resumedFrom: state?.data.trace?.runId,
    agent: context.config.name,
    model: context.config.model,
    messages: progress.messages.slice(),
    decisions: state === undefined ? undefined : { ...progress.decisions },
    startedAt: isoNow(),
    traceId: telemetry?.traceId,
    redact: (text) => redactFor(context.config.client, text),
  });
}

function redactFor(client: Partial<DeepSeek>, text: string): string {
  return typeof client.redact === 'function' ? client.redact(text) : redact(text);
}

/**
 * Runs a tool call: times it on its record (`startedAt`, `endedAt`, `durationMs`) and, when the
 * run is observed, makes it the parent of any run the tool starts (a sub-agent), inside its
 * `execute_tool` span with telemetry on.
 */
export function observeToolCall<T>(
  context: RunContext,
  record: ToolCallRecord,
  tool: AnyTool,
  stepIndex: number,
  run: () => Promise<T>,
): Promise<T> {
  const observation = context.observation;
  const started = performance.now();
  record.startedAt = isoNow();
  const ended = (): void => {
    record.endedAt = isoNow();
    record.durationMs = Math.round((performance.now() - started) * 1000) / 1000;
  };
  if (observation !== undefined) return observed(observation, record, tool, stepIndex, run, ended);
  // Unobserved (the usual case): no async wrapper. The times are set by a reaction registered
  // before the caller's, so they are there when the caller's await resumes.
  let running: Promise<T>;
  try {
    running = run();
  } catch (error) {
    ended();
    return Promise.reject(error);
  }
  running.then(ended, ended);
  return running;
}

async function observed<T>(
  observation: NonNullable<RunContext['observation']>,
  record: ToolCallRecord,
  tool: AnyTool,
  stepIndex: number,
  run: () => Promise<T>,
  ended: () => void,
): Promise<T> {
  try {
    const ambient = observation.telemetry?.toolStarted(record, tool, stepIndex, observation.recorder) ?? {
      context: undefined,
      runId: observation.runId,
      callId: record.id,
      recorder: observation.recorder,
    };
    return await withAmbient(ambient, run);
  } finally {
    ended();
  }
}

/** A call was answered: ends its span. */
export function toolCallObserved(context: RunContext, record: ToolCallRecord, stepIndex: number): void {
  const telemetry = context.observation?.telemetry;
  if (telemetry !== undefined) telemetry.toolEnded(record, context.tools.set, stepIndex);
}
