import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { RecorderError } from './errors.js';
import type {
  ListRunsOptions,
  RecordedEvent,
  RecordedRun,
  RunStatus,
  RunStore,
  RunSummary,
} from './types.js';

/** The few better-sqlite3 calls the store makes (so its types need not be installed). */
interface Statement {
  run(...params: unknown[]): unknown;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}
interface Database {
  pragma(source: string, options?: { simple?: boolean }): unknown;
  exec(source: string): unknown;
  prepare(source: string): Statement;
  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R;
  close(): unknown;
}
type DatabaseConstructor = new (path: string, options?: { timeout?: number }) => Database;

/** Options of `new SqliteRunStore()`. */
export interface SqliteRunStoreOptions {
  /** The database file (created with its folder if missing), or ':memory:'. @default '.plumb/runs.db' */
  path?: string | undefined;
  /** How long a write waits for another process's write to finish, in ms. @default 5000 */
  busyTimeoutMs?: number | undefined;
}

export const DEFAULT_DB_PATH = '.plumb/runs.db';
const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS plumb_runs (
  run_id TEXT PRIMARY KEY,
  parent_run_id TEXT,
  agent TEXT NOT NULL,
  status TEXT NOT NULL,
  started_at TEXT NOT NULL,
  summary TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS plumb_runs_by_start ON plumb_runs (started_at);
CREATE TABLE IF NOT EXISTS plumb_run_events (
  run_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  at TEXT NOT NULL,
  type TEXT NOT NULL,
  step_index INTEGER,
  data TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
);
`;

function loadDriver(): DatabaseConstructor {
  try {
    return createRequire(import.meta.url)('better-sqlite3') as DatabaseConstructor;
  } catch (error) {
    throw new RecorderError(
      `The SQLite run store needs the better-sqlite3 package (version 12, which runs on Node 20): npm install better-sqlite3@12. ` +
        `Or record to a JSONL file instead (a path ending in .jsonl). (${(error as Error).message})`,
    );
  }
}

interface RunRow {
  summary: string;
}
interface EventRow {
  run_id: string;
  seq: number;
  at: string;
  type: string;
  step_index: number | null;
  data: string;
}

/**
 * Runs in a local SQLite file (the embedded default, `.plumb/runs.db`): one row per run with its
 * summary, one row per event. Writes are synchronous and batched in a transaction per `append`.
 * Several processes may record into the same file (WAL mode, a busy timeout).
 */
export class SqliteRunStore implements RunStore {
  readonly path: string;
  readonly #db: Database;
  readonly #saveRun: Statement;
  readonly #insertEvent: Statement;
  readonly #appendAll: (events: readonly RecordedEvent[]) => void;

  constructor(options: SqliteRunStoreOptions = {}) {
    const path = options.path ?? DEFAULT_DB_PATH;
    if (typeof path !== 'string' || path === '') {
      throw new RecorderError("SqliteRunStore: `path` must be a file path such as '.plumb/runs.db'.");
    }
    this.path = path;
    const Driver = loadDriver();
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new Driver(path, { timeout: options.busyTimeoutMs ?? 5000 });
    this.#db = db;
    const version = Number(db.pragma('user_version', { simple: true }));
    if (version > SCHEMA_VERSION) {
      db.close();
      throw new RecorderError(
        `${path} was written by a newer @plumb/recorder (schema ${version}, this one knows ${SCHEMA_VERSION}): upgrade @plumb/recorder.`,
      );
    }
    if (path !== ':memory:') db.pragma('journal_mode = WAL');
    db.exec(SCHEMA);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
    this.#saveRun = db.prepare(
      'INSERT OR REPLACE INTO plumb_runs (run_id, parent_run_id, agent, status, started_at, summary) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.#insertEvent = db.prepare(
      'INSERT OR REPLACE INTO plumb_run_events (run_id, seq, at, type, step_index, data) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.#appendAll = db.transaction((events: readonly RecordedEvent[]) => {
      for (const event of events) {
        this.#insertEvent.run(
          event.runId,
          event.seq,
          event.at,
          event.type,
          event.stepIndex ?? null,
          JSON.stringify(event.data ?? null),
        );
      }
    });
  }

  saveRun(run: RunSummary): void {
    this.#saveRun.run(
      run.runId,
      run.parentRunId ?? null,
      run.agent,
      run.status,
      run.startedAt,
      JSON.stringify(run),
    );
  }

  append(events: readonly RecordedEvent[]): void {
    if (events.length > 0) this.#appendAll(events);
  }

  listRuns(options: ListRunsOptions = {}): RunSummary[] {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown) => {
      where.push(clause);
      params.push(value);
    };
    if (options.before !== undefined) add('started_at < ?', options.before);
    if (options.agent !== undefined) add('agent = ?', options.agent);
    if (options.status !== undefined) add('status = ?', options.status satisfies RunStatus);
    if (options.parentRunId !== undefined) add('parent_run_id = ?', options.parentRunId);
    const limit = options.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1)
      throw new RecorderError('listRuns: `limit` must be a positive integer.');
    const sql = `SELECT summary FROM plumb_runs ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at DESC, rowid DESC LIMIT ?`;
    const rows = this.#db.prepare(sql).all(...params, limit) as RunRow[];
    return rows.map((row) => JSON.parse(row.summary) as RunSummary);
  }

  readRun(runId: string): RecordedRun | undefined {
    const row = this.#db.prepare('SELECT summary FROM plumb_runs WHERE run_id = ?').get(runId) as
      | RunRow
      | undefined;
    if (row === undefined) return undefined;
    const events = this.#db
      .prepare(
        'SELECT run_id, seq, at, type, step_index, data FROM plumb_run_events WHERE run_id = ? ORDER BY seq',
      )
      .all(runId) as EventRow[];
    return {
      run: JSON.parse(row.summary) as RunSummary,
      events: events.map((event) => {
        const out: RecordedEvent = {
          runId: event.run_id,
          seq: event.seq,
          at: event.at,
          type: event.type,
          data: JSON.parse(event.data),
        };
        if (event.step_index !== null) out.stepIndex = event.step_index;
        return out;
      }),
    };
  }

  close(): void {
    this.#db.close();
  }
}
