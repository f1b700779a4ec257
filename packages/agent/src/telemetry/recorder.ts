/**
 * The seam a run recorder plugs into (`@plumb/recorder` implements it): every run of an agent as
 * structured events. The agent never imports a recorder; it takes one as the `recorder` option,
 * or finds one a program registered globally (`@plumb/recorder/register` does that when
 * PLUMB_RECORD is set), so recording needs no change to the program.
 */
import type { ChatMessage } from '@plumb/core';
import { AgentConfigError } from '../errors.js';
import type { AgentEvent } from '../run/events.js';
import type { AgentResult } from '../run/result.js';

/** What a recorder learns when a run starts. */
export interface RecordedRunStart {
  /** A fresh id for this run (a resumed run gets a new one, with `resumedFrom` set). */
  runId: string;
  /** The run that started this one from a tool call (a sub-agent), if any. */
  parentRunId?: string | undefined;
  /** The tool call of the parent run that started this one. */
  parentCallId?: string | undefined;
  /** The run id a resumed `RunState` was paused in, when known. */
  resumedFrom?: string | undefined;
  agent: string;
  model: string;
  /** The history the run starts from (system message included). */
  messages: readonly ChatMessage[];
  /** Approval decisions a resumed run applies, by call id. */
  decisions?: Record<string, { approved: boolean; reason?: string | undefined }> | undefined;
  /** ISO time. */
  startedAt: string;
  /** The OpenTelemetry trace id of the run's span, when telemetry is on. */
  traceId?: string | undefined;
  /** Masks the client's API key and anything shaped like a key in text (apply it to what is kept). */
  redact?: ((text: string) => string) | undefined;
}

/** One run being recorded. */
export interface RunRecording {
  /** Every event of the run, as `agent.stream()` yields them (also for `agent.run()`). */
  event(event: AgentEvent<unknown>): void;
  /** The run ended: its result, or the error it rejected with. May return a promise (awaited). */
  end(outcome: { result?: AgentResult<unknown> | undefined; error?: unknown }): void | Promise<void>;
}

/** Records runs. */
export interface RunRecorder {
  startRun(start: RecordedRunStart): RunRecording;
}

/** Where `@plumb/recorder/register` installs a recorder for every agent of the process. */
export const GLOBAL_RECORDER = Symbol.for('plumb.recorder');

/** The recorder of a run: the agent's option, else a globally registered one. */
export function activeRecorder(option: RunRecorder | false | undefined): RunRecorder | undefined {
  if (option === false) return undefined;
  if (option !== undefined) return option;
  const global = (globalThis as Record<symbol, unknown>)[GLOBAL_RECORDER] as RunRecorder | undefined;
  return typeof global?.startRun === 'function' ? global : undefined;
}

/** Checks the `recorder` option. */
export function checkRecorder(value: unknown): RunRecorder | false | undefined {
  if (value === undefined || value === false) return value;
  if (typeof value === 'object' && value !== null && typeof (value as RunRecorder).startRun === 'function') {
    return value as RunRecorder;
  }
  throw new AgentConfigError(
    'recorder',
    "expected a run recorder (e.g. createRecorder() from '@plumb/recorder') or false.",
  );
}
