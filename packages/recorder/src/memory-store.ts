import type { ListRunsOptions, RecordedEvent, RecordedRun, RunStore, RunSummary } from './types.js';

/** Keeps runs in memory: for tests that assert on what a run did. */
export class MemoryRunStore implements RunStore {
  readonly #runs = new Map<string, RunSummary>();
  readonly #events = new Map<string, RecordedEvent[]>();

  saveRun(run: RunSummary): void {
    this.#runs.set(run.runId, structuredClone(run));
  }

  append(events: readonly RecordedEvent[]): void {
    for (const event of events) {
      const list = this.#events.get(event.runId);
      if (list === undefined) this.#events.set(event.runId, [structuredClone(event)]);
      else list.push(structuredClone(event));
    }
  }

  listRuns(options: ListRunsOptions = {}): RunSummary[] {
    return filterRuns([...this.#runs.values()], options).map((run) => structuredClone(run));
  }

  readRun(runId: string): RecordedRun | undefined {
    const run = this.#runs.get(runId);
    if (run === undefined) return undefined;
    return { run: structuredClone(run), events: structuredClone(this.#events.get(runId) ?? []) };
  }

  close(): void {}
}

/** Newest first, filtered, limited: what every embedded store's `listRuns` does. */
export function filterRuns(runs: RunSummary[], options: ListRunsOptions): RunSummary[] {
  const limit = options.limit ?? 50;
  return runs
    .filter(
      (run) =>
        (options.before === undefined || run.startedAt < options.before) &&
        (options.agent === undefined || run.agent === options.agent) &&
        (options.status === undefined || run.status === options.status) &&
        (options.parentRunId === undefined || run.parentRunId === options.parentRunId),
    )
    .sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0))
    .slice(0, limit);
}
