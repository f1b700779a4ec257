import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  checkWrite,
  type ListSessionsOptions,
  type SessionStore,
  type SessionSummary,
  type SessionWrite,
  type StoredSession,
} from '@plumb/agent';
import { loadDriver, SessionStoreError } from './errors.js';

/** The few better-sqlite3 calls the store makes (so its types need not be installed). */
interface Statement {
  run(...params: unknown[]): unknown;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}
interface Database {
  pragma(source: string): unknown;
  exec(source: string): unknown;
  prepare(source: string): Statement;
  transaction<A extends unknown[], R>(
    fn: (...args: A) => R,
  ): ((...args: A) => R) & { immediate(...args: A): R };
  close(): unknown;
}

export interface SqliteSessionStoreOptions {
  /** The database file (created with its folder if missing), or ':memory:'. @default 'plumb-sessions.db' */
  path?: string | undefined;
  /** How long a write waits for another process's write to finish. @default 5000 */
  busyTimeoutMs?: number | undefined;
}

interface SessionRow {
  id: string;
  user_id: string | null;
  revision: number;
  length: number;
  state: string | null;
  created_at: number;
  updated_at: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS plumb_sessions (
  id TEXT PRIMARY KEY,
  user_id TEXT,
  revision INTEGER NOT NULL,
  length INTEGER NOT NULL,
  state TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS plumb_sessions_by_user ON plumb_sessions (user_id, updated_at);
CREATE TABLE IF NOT EXISTS plumb_session_messages (
  session_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  message TEXT NOT NULL,
  PRIMARY KEY (session_id, position)
) WITHOUT ROWID;
`;

/**
 * The embedded default store: one SQLite file through better-sqlite3 (install
 * `better-sqlite3@12`, which runs on Node 20). Messages are kept as TEXT, exactly as sent. A
 * commit is one `BEGIN IMMEDIATE` transaction: the revision check and the write happen under
 * SQLite's write lock, so several processes may share the file (WAL mode; a writer waits up to
 * `busyTimeoutMs` for another).
 *
 * @example
 * const store = await sqliteSessionStore({ path: 'data/sessions.db' });
 * await agent.run('Hello', { session: { store, id: 'chat-1' } });
 */
export async function sqliteSessionStore(options: SqliteSessionStoreOptions = {}): Promise<SessionStore> {
  const path = options.path ?? 'plumb-sessions.db';
  const busyTimeout = options.busyTimeoutMs ?? 5000;
  if (typeof path !== 'string' || path === '') {
    throw new SessionStoreError('sqliteSessionStore: `path` must be a file path or ":memory:".');
  }
  if (!Number.isInteger(busyTimeout) || busyTimeout < 0) {
    throw new SessionStoreError('sqliteSessionStore: `busyTimeoutMs` must be an integer >= 0.');
  }
  const Driver = (await loadDriver('better-sqlite3', '12')) as new (
    path: string,
    options?: { timeout?: number },
  ) => Database;
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let db: Database;
  try {
    db = new Driver(path, { timeout: busyTimeout });
    db.pragma('journal_mode = WAL');
    db.pragma(`busy_timeout = ${busyTimeout}`);
    db.exec(SCHEMA);
  } catch (error) {
    throw new SessionStoreError(`sqliteSessionStore: cannot open ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return new SqliteSessionStore(db);
}

class SqliteSessionStore implements SessionStore {
  readonly #db: Database;
  readonly #load: (id: string) => StoredSession | undefined;
  readonly #commit: { immediate(write: SessionWrite): number };
  readonly #list: Statement;
  readonly #listByUser: Statement;
  readonly #delete: (id: string) => boolean;

  constructor(db: Database) {
    this.#db = db;
    const session = db.prepare('SELECT * FROM plumb_sessions WHERE id = ?');
    const messages = db.prepare(
      'SELECT message FROM plumb_session_messages WHERE session_id = ? ORDER BY position',
    );
    const truncate = db.prepare('DELETE FROM plumb_session_messages WHERE session_id = ? AND position >= ?');
    const insert = db.prepare(
      'INSERT INTO plumb_session_messages (session_id, position, message) VALUES (?, ?, ?)',
    );
    const upsert = db.prepare(
      `INSERT INTO plumb_sessions (id, user_id, revision, length, state, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET revision = excluded.revision, length = excluded.length,
         state = excluded.state, updated_at = excluded.updated_at`,
    );
    this.#load = db.transaction((id: string) => {
      const row = session.get(id) as SessionRow | undefined;
      if (row === undefined) return undefined;
      const texts = (messages.all(id) as Array<{ message: string }>).map((entry) => entry.message);
      return toStored(row, texts);
    });
    this.#commit = db.transaction((write: SessionWrite) => {
      const row = session.get(write.id) as SessionRow | undefined;
      const revision = checkWrite(write, row);
      truncate.run(write.id, write.from);
      for (let i = 0; i < write.messages.length; i++) insert.run(write.id, write.from + i, write.messages[i]);
      const now = Date.now();
      upsert.run(
        write.id,
        row === undefined ? (write.userId ?? null) : row.user_id,
        revision + 1,
        write.from + write.messages.length,
        write.state ?? null,
        row?.created_at ?? now,
        now,
      );
      return revision + 1;
    });
    const summary =
      'SELECT id, user_id, revision, length, state IS NOT NULL AS paused, created_at, updated_at FROM plumb_sessions';
    this.#list = db.prepare(`${summary} ORDER BY updated_at DESC, id LIMIT ?`);
    this.#listByUser = db.prepare(`${summary} WHERE user_id = ? ORDER BY updated_at DESC, id LIMIT ?`);
    const deleteMessages = db.prepare('DELETE FROM plumb_session_messages WHERE session_id = ?');
    const deleteSession = db.prepare('DELETE FROM plumb_sessions WHERE id = ?');
    this.#delete = db.transaction((id: string) => {
      deleteMessages.run(id);
      return (deleteSession.run(id) as { changes: number }).changes > 0;
    });
  }

  async load(id: string): Promise<StoredSession | undefined> {
    return this.#load(id);
  }

  async commit(write: SessionWrite): Promise<number> {
    return this.#commit.immediate(write);
  }

  async list(options: ListSessionsOptions = {}): Promise<SessionSummary[]> {
    const limit = options.limit ?? 100;
    const rows = (
      options.userId === undefined ? this.#list.all(limit) : this.#listByUser.all(options.userId, limit)
    ) as Array<SessionRow & { paused: number }>;
    return rows.map((row) => ({
      id: row.id,
      userId: row.user_id ?? undefined,
      length: row.length,
      revision: row.revision,
      paused: row.paused === 1,
      createdAt: new Date(row.created_at),
      updatedAt: new Date(row.updated_at),
    }));
  }

  async delete(id: string): Promise<boolean> {
    return this.#delete(id);
  }

  async close(): Promise<void> {
    this.#db.close();
  }
}

function toStored(row: SessionRow, messages: string[]): StoredSession {
  return {
    id: row.id,
    userId: row.user_id ?? undefined,
    messages,
    state: row.state ?? undefined,
    revision: row.revision,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}
