import type { AgentEvent, AgentResult, RecordedRunStart, RunRecorder, RunRecording } from '@plumb/agent';
import { isoNow } from '@plumb/core/internal';
import { RecorderError } from './errors.js';
import { JsonlRunStore } from './jsonl-store.js';
import { maskData, secretMask } from './mask.js';
import { DEFAULT_DB_PATH, SqliteRunStore } from './sqlite-store.js';
import type { ListRunsOptions, RecordedEvent, RecordedRun, RunStore, RunSummary } from './types.js';

/** Options of `createRecorder()`. */
export interface RecorderOptions {
  /**
   * Where runs go: a `RunStore`, or a file path (`.jsonl`: a JSON Lines file; anything else: a
   * SQLite database through better-sqlite3 12). @default '.plumb/runs.db'
   */
  store?: RunStore | string | undefined;
  /** Record every `text-delta` and `reasoning-delta` (the text is in `step-end` anyway). @default true */
  deltas?: boolean | undefined;
  /** More strings to mask in what is recorded (the client's API key and `sk-...` keys always are). */
  secrets?: readonly string[] | undefined;
  /**
   * Called when the store fails; recording never fails a run.
   * @default a process warning (`process.emitWarning`)
   */
  onError?: ((error: unknown) => void) | undefined;
}

/** A run store from a path: `.jsonl` files are JSON Lines, anything else SQLite. */
export function openStore(store: RunStore | string | undefined): RunStore {
  if (store === undefined) return new SqliteRunStore({ path: DEFAULT_DB_PATH });
  if (typeof store === 'string') {
    return store.endsWith('.jsonl') ? new JsonlRunStore(store) : new SqliteRunStore({ path: store });
  }
  const candidate = store as Partial<RunStore> | null;
  if (
    typeof candidate?.saveRun !== 'function' ||
    typeof candidate.append !== 'function' ||
    typeof candidate.listRuns !== 'function' ||
    typeof candidate.readRun !== 'function'
  ) {
    throw new RecorderError(
      "createRecorder: `store` must be a file path ('.plumb/runs.db', 'runs.jsonl') or a RunStore (saveRun, append, listRuns, readRun, close).",
    );
  }
  return store;
}

const DELTAS = new Set(['text-delta', 'reasoning-delta']);

/**
 * Records agent runs as structured events: pass it as the agent's `recorder` option, or register
 * it for every agent with `@plumb/recorder/register` and PLUMB_RECORD. Also reads them back
 * (`listRuns`, `readRun`): what the run viewer and tests use.
 *
 * @example
 * const recorder = createRecorder({ store: '.plumb/runs.db' });
 * const agent = new Agent({ tools, recorder });
 * const result = await agent.run('...');
 * const [latest] = await recorder.listRuns({ limit: 1 });
 * const { events } = (await recorder.readRun(latest.runId))!;
 */
export class Recorder implements RunRecorder {
  readonly store: RunStore;
  readonly #deltas: boolean;
  readonly #mask: (text: string) => string;
  readonly #onError: (error: unknown) => void;
  #pending: Promise<void> = Promise.resolve();

  constructor(options: RecorderOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new RecorderError('createRecorder: options must be an object, e.g. { store: ".plumb/runs.db" }.');
    }
    if (options.secrets !== undefined && !Array.isArray(options.secrets)) {
      throw new RecorderError('createRecorder: `secrets` must be an array of strings to mask.');
    }
    this.store = openStore(options.store);
    this.#deltas = options.deltas !== false;
    this.#mask = secretMask(options.secrets ?? []);
    this.#onError =
      options.onError ??
      ((error) =>
        process.emitWarning(
          `@plumb/recorder: a run could not be recorded: ${(error as Error)?.message ?? String(error)}`,
        ));
  }

  /** @internal Called by the agent when a run starts. */
  startRun(start: RecordedRunStart): RunRecording {
    return new Recording(this, start, this.#deltas, this.#mask);
  }

  /** Queues a store write (writes stay in order; a failure goes to `onError`). */
  write(task: (store: RunStore) => void | Promise<void>): Promise<void> {
    this.#pending = this.#pending
      .then(() => task(this.store))
      .catch((error: unknown) => this.#onError(error));
    return this.#pending;
  }

  /** Waits for every queued write. */
  flush(): Promise<void> {
    return this.#pending;
  }

  /** Recorded runs, newest first. */
  async listRuns(options?: ListRunsOptions): Promise<RunSummary[]> {
    await this.flush();
    return this.store.listRuns(options);
  }

  /** A recorded run with its events, or undefined. */
  async readRun(runId: string): Promise<RecordedRun | undefined> {
    await this.flush();
    return this.store.readRun(runId);
  }

  /** Flushes and closes the store. */
  async close(): Promise<void> {
    await this.flush();
    await this.store.close();
  }
}

/** Builds a `Recorder` (see `RecorderOptions`). */
export function createRecorder(options: RecorderOptions = {}): Recorder {
  return new Recorder(options);
}

/** One run being recorded: events are buffered and written at step ends and at the end. */
class Recording implements RunRecording {
  readonly #recorder: Recorder;
  readonly #summary: RunSummary;
  readonly #deltas: boolean;
  readonly #mask: (text: string) => string;
  readonly #started = performance.now();
  #buffer: RecordedEvent[] = [];
  #seq = 0;

  constructor(recorder: Recorder, start: RecordedRunStart, deltas: boolean, mask: (text: string) => string) {
    this.#recorder = recorder;
    this.#deltas = deltas;
    const agentMask = start.redact;
    this.#mask = agentMask === undefined ? mask : (text) => mask(agentMask(text));
    this.#summary = {
      runId: start.runId,
      parentRunId: start.parentRunId,
      parentCallId: start.parentCallId,
      resumedFrom: start.resumedFrom,
      agent: start.agent,
      model: start.model,
      status: 'running',
      startedAt: start.startedAt,
      steps: 0,
      toolCalls: 0,
      traceId: start.traceId,
    };
    this.#push('run-start', undefined, { messages: start.messages });
    if (start.decisions !== undefined)
      this.#push('approval-decisions', undefined, { decisions: start.decisions });
    const summary = { ...this.#summary };
    const events = this.#take();
    recorder.write(async (store) => {
      await store.saveRun(summary);
      await store.append(events);
    });
  }

  #push(type: string, stepIndex: number | undefined, data: unknown): void {
    const event: RecordedEvent = {
      runId: this.#summary.runId,
      seq: this.#seq++,
      at: isoNow(),
      type,
      data: maskData(data, this.#mask),
    };
    if (stepIndex !== undefined) event.stepIndex = stepIndex;
    this.#buffer.push(event);
  }

  #take(): RecordedEvent[] {
    const events = this.#buffer;
    this.#buffer = [];
    return events;
  }

  #flush(): void {
    const events = this.#take();
    if (events.length > 0) this.#recorder.write((store) => store.append(events));
  }

  event(event: AgentEvent<unknown>): void {
    if (!this.#deltas && DELTAS.has(event.type)) return;
    const { type, ...rest } = event as { type: string; stepIndex?: number } & Record<string, unknown>;
    const stepIndex = typeof rest.stepIndex === 'number' ? rest.stepIndex : undefined;
    delete rest.stepIndex;
    switch (event.type) {
      case 'end':
        // The result is recorded by `run-end`.
        return;
      case 'tool-result': {
        const { toolCall, id, name, error } = event;
        this.#push(type, stepIndex, { id, name, error, toolCall });
        return;
      }
      case 'step-end':
        this.#summary.steps++;
        this.#summary.toolCalls += event.step.toolCalls.length;
        this.#push(type, stepIndex, { step: event.step });
        this.#flush();
        return;
      default:
        this.#push(type, stepIndex, rest);
        if (type === 'tool-approval-request') this.#flush();
    }
  }

  end(outcome: { result?: AgentResult<unknown> | undefined; error?: unknown }): Promise<void> {
    const summary = this.#summary;
    summary.endedAt = isoNow();
    summary.durationMs = Math.round((performance.now() - this.#started) * 1000) / 1000;
    const result = outcome.result ?? (outcome.error as { result?: AgentResult<unknown> } | undefined)?.result;
    if (result !== undefined) {
      summary.usage = result.usage;
      if (result.cost !== undefined) summary.cost = result.cost;
      summary.steps = result.steps.length;
      summary.toolCalls = result.steps.reduce((sum, step) => sum + step.toolCalls.length, 0);
    }
    if (outcome.error === undefined && outcome.result !== undefined) {
      summary.status = 'done';
      summary.finishReason = outcome.result.finishReason;
      this.#push('run-end', undefined, {
        finishReason: outcome.result.finishReason,
        text: outcome.result.text,
        output: outcome.result.output,
        usage: outcome.result.usage,
        cost: outcome.result.cost,
        interruptions: outcome.result.interruptions,
      });
    } else {
      const error = outcome.error;
      summary.status = 'error';
      summary.finishReason = 'error';
      const name = error instanceof Error ? error.name : 'Error';
      const message = error instanceof Error ? error.message : String(error);
      summary.error = this.#mask(`${name}: ${message}`);
      this.#push('run-error', undefined, { name, message, usage: result?.usage, cost: result?.cost });
    }
    const events = this.#take();
    const final = maskData(summary, this.#mask) as RunSummary;
    return this.#recorder.write(async (store) => {
      await store.append(events);
      await store.saveRun(final);
    });
  }
}
