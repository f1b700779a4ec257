import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { RecorderError } from './errors.js';
import { filterRuns } from './memory-store.js';
import type { ListRunsOptions, RecordedEvent, RecordedRun, RunStore, RunSummary } from './types.js';

/** One line of the file: a run summary (the last one of a run wins) or an event. */
type Line = { kind: 'run'; run: RunSummary } | { kind: 'event'; event: RecordedEvent };

/**
 * Runs in a JSON Lines file: append-only, one line per event or run summary, readable with any
 * tool (`jq`, `grep`) and needing no native module. Reading parses the whole file, so it suits
 * a project's own recent runs; use the SQLite store for many.
 */
export class JsonlRunStore implements RunStore {
  readonly path: string;

  constructor(path: string) {
    if (typeof path !== 'string' || path === '') {
      throw new RecorderError("JsonlRunStore: `path` must be a file path such as '.plumb/runs.jsonl'.");
    }
    this.path = path;
    mkdirSync(dirname(path), { recursive: true });
  }

  saveRun(run: RunSummary): void {
    this.#write([{ kind: 'run', run }]);
  }

  append(events: readonly RecordedEvent[]): void {
    if (events.length > 0) this.#write(events.map((event): Line => ({ kind: 'event', event })));
  }

  #write(lines: Line[]): void {
    appendFileSync(this.path, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
  }

  #read(): { runs: Map<string, RunSummary>; events: Map<string, RecordedEvent[]> } {
    const runs = new Map<string, RunSummary>();
    const events = new Map<string, RecordedEvent[]>();
    if (!existsSync(this.path)) return { runs, events };
    const text = readFileSync(this.path, 'utf8');
    let number = 0;
    for (const raw of text.split('\n')) {
      number++;
      if (raw.trim() === '') continue;
      let line: Line;
      try {
        line = JSON.parse(raw) as Line;
      } catch {
        // A line cut by a crash mid-write is skipped; anything else malformed is reported.
        if (number === text.split('\n').length) continue;
        throw new RecorderError(
          `${this.path}:${number} is not valid JSON: the file was edited or is not a run log.`,
        );
      }
      if (line?.kind === 'run') runs.set(line.run.runId, line.run);
      else if (line?.kind === 'event') {
        const list = events.get(line.event.runId);
        if (list === undefined) events.set(line.event.runId, [line.event]);
        else list.push(line.event);
      }
    }
    return { runs, events };
  }

  listRuns(options: ListRunsOptions = {}): RunSummary[] {
    return filterRuns([...this.#read().runs.values()], options);
  }

  readRun(runId: string): RecordedRun | undefined {
    const { runs, events } = this.#read();
    const run = runs.get(runId);
    if (run === undefined) return undefined;
    return { run, events: (events.get(runId) ?? []).sort((a, b) => a.seq - b.seq) };
  }

  close(): void {}
}
