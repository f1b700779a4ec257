import type { Cost, Usage } from '@plumb/core';

/** One recorded event of a run, in order (`seq` counts from 0 within the run). */
export interface RecordedEvent {
  runId: string;
  seq: number;
  /** ISO time the event was recorded. */
  at: string;
  /**
   * `run-start`, the agent's stream events (`step-start`, `reasoning-delta`, `text-delta`,
   * `tool-call`, `tool-approval-request`, `tool-progress`, `tool-result`, `step-end`, ...),
   * `approval-decisions` (a resumed run), then `run-end` or `run-error`.
   */
  type: string;
  /** The step the event belongs to, when it belongs to one. */
  stepIndex?: number | undefined;
  /** The event's fields (JSON data; content with secrets masked). */
  data: unknown;
}

/** Whether a run is going on, ended (with any finish reason) or failed. */
export type RunStatus = 'running' | 'done' | 'error';

/** One recorded run, as `listRuns` returns it. */
export interface RunSummary {
  runId: string;
  /** The run whose tool call started this one (a sub-agent). */
  parentRunId?: string | undefined;
  parentCallId?: string | undefined;
  /** The run this one resumed (after an approval pause). */
  resumedFrom?: string | undefined;
  agent: string;
  model: string;
  status: RunStatus;
  /** The result's `finishReason` (`stop`, `interrupted`, ...), once ended. */
  finishReason?: string | undefined;
  /** ISO times. */
  startedAt: string;
  endedAt?: string | undefined;
  durationMs?: number | undefined;
  steps: number;
  toolCalls: number;
  usage?: Usage | undefined;
  cost?: Cost | undefined;
  /** The error's name and message (masked), for a failed run. */
  error?: string | undefined;
  /** The OpenTelemetry trace id, when telemetry was on. */
  traceId?: string | undefined;
}

/** Options of `listRuns`. */
export interface ListRunsOptions {
  /** At most this many, newest first. @default 50 */
  limit?: number | undefined;
  /** Only runs started before this ISO time (paging). */
  before?: string | undefined;
  /** Only this agent's runs. */
  agent?: string | undefined;
  /** Only runs with this status. */
  status?: RunStatus | undefined;
  /** Only sub-runs of this run. */
  parentRunId?: string | undefined;
}

/** A run and all its events. */
export interface RecordedRun {
  run: RunSummary;
  events: RecordedEvent[];
}

/**
 * Where recorded runs are kept. The embedded stores (SQLite, JSONL, memory) are synchronous
 * underneath; the interface allows promises so that a server store can follow.
 */
export interface RunStore {
  /** Saves a run's summary (insert or replace). */
  saveRun(run: RunSummary): void | Promise<void>;
  /** Appends events (in order; `(runId, seq)` is unique). */
  append(events: readonly RecordedEvent[]): void | Promise<void>;
  /** Runs, newest first. */
  listRuns(options?: ListRunsOptions): RunSummary[] | Promise<RunSummary[]>;
  /** A run with its events in order, or undefined. */
  readRun(runId: string): RecordedRun | undefined | Promise<RecordedRun | undefined>;
  close(): void | Promise<void>;
}
