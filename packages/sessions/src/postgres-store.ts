import {
  checkWrite,
  type ListSessionsOptions,
  type SessionStore,
  type SessionSummary,
  type SessionWrite,
  type StoredSession,
} from '@plumb/agent';
import { loadDriver, SessionStoreError } from './errors.js';

/** The few `pg` calls the store makes (so `@types/pg` need not be installed). */
export interface PgQueryable {
  // biome-ignore lint/suspicious/noExplicitAny: rows are typed where they are read
  query(text: string, values?: unknown[]): Promise<{ rows: any[]; rowCount: number | null }>;
}
export interface PgPoolClient extends PgQueryable {
  release(error?: Error | boolean): void;
}
export interface PgPool extends PgQueryable {
  connect(): Promise<PgPoolClient>;
  end(): Promise<void>;
  on?(event: 'error', listener: (error: Error) => void): unknown;
}

export interface PostgresSessionStoreOptions {
  /** A `postgres://` URL; the store opens (and `close()` ends) its own `pg.Pool`. */
  connectionString?: string | undefined;
  /** Or your own `pg.Pool` (then `close()` leaves it open). */
  pool?: PgPool | undefined;
  /** Connections of the store's own pool. @default 4 */
  max?: number | undefined;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS plumb_sessions (
  id TEXT PRIMARY KEY,
  user_id TEXT,
  revision INTEGER NOT NULL,
  length INTEGER NOT NULL,
  state TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS plumb_sessions_by_user ON plumb_sessions (user_id, updated_at);
CREATE TABLE IF NOT EXISTS plumb_session_messages (
  session_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  message TEXT NOT NULL,
  PRIMARY KEY (session_id, position)
);
`;

/** Serializes schema creation across processes (CREATE TABLE IF NOT EXISTS races otherwise). */
const SCHEMA_LOCK = 7_349_001;

/**
 * Sessions in PostgreSQL (the `pg` driver), for many processes and machines. Messages are kept
 * as `text`, exactly as sent (never `jsonb`, which reorders keys and would change the bytes the
 * cached prefix depends on). A commit is one transaction that locks the session's row
 * (`SELECT ... FOR UPDATE`), checks the revision and length, then writes: concurrent writers
 * queue on the row and the losers get a `SessionConflictError`. Tables are created on first use.
 *
 * @example
 * const store = await postgresSessionStore({ connectionString: process.env.DATABASE_URL });
 */
export async function postgresSessionStore(options: PostgresSessionStoreOptions): Promise<SessionStore> {
  if (typeof options !== 'object' || options === null) {
    throw new SessionStoreError('postgresSessionStore: pass { connectionString } or { pool }.');
  }
  let pool = options.pool;
  const owned = pool === undefined;
  if (pool === undefined) {
    if (typeof options.connectionString !== 'string' || options.connectionString === '') {
      throw new SessionStoreError(
        'postgresSessionStore: `connectionString` must be a postgres:// URL (or pass your own `pool`).',
      );
    }
    const pg = (await loadDriver('pg', '8')) as {
      Pool: new (config: { connectionString: string; max: number }) => PgPool;
    };
    pool = new pg.Pool({ connectionString: options.connectionString, max: options.max ?? 4 });
    // pg emits an idle connection's failure (a server restart, say) on the pool; unhandled, it
    // would crash the process. The pool drops that connection and opens a new one when needed.
    pool.on?.('error', () => {});
  }
  try {
    await transaction(pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
      await client.query(SCHEMA);
    });
  } catch (error) {
    if (owned) await pool.end().catch(() => {});
    throw new SessionStoreError(
      `postgresSessionStore: cannot prepare the tables: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  return new PostgresSessionStore(pool, owned);
}

class PostgresSessionStore implements SessionStore {
  readonly #pool: PgPool;
  readonly #owned: boolean;

  constructor(pool: PgPool, owned: boolean) {
    this.#pool = pool;
    this.#owned = owned;
  }

  async load(id: string): Promise<StoredSession | undefined> {
    return transaction(
      this.#pool,
      async (client) => {
        const { rows } = await client.query('SELECT * FROM plumb_sessions WHERE id = $1', [id]);
        const row = rows[0];
        if (row === undefined) return undefined;
        const messages = await client.query(
          'SELECT message FROM plumb_session_messages WHERE session_id = $1 ORDER BY position',
          [id],
        );
        return {
          id: row.id,
          userId: row.user_id ?? undefined,
          messages: messages.rows.map((entry: { message: string }) => entry.message),
          state: row.state ?? undefined,
          revision: row.revision,
          createdAt: new Date(row.created_at),
          updatedAt: new Date(row.updated_at),
        };
      },
      'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
    );
  }

  async commit(write: SessionWrite): Promise<number> {
    return transaction(this.#pool, async (client) => {
      if (write.expectedRevision === 0) {
        // A new session: create its row (revision 0) so that there is a row to lock.
        await client.query(
          'INSERT INTO plumb_sessions (id, user_id, revision, length) VALUES ($1, $2, 0, 0) ON CONFLICT (id) DO NOTHING',
          [write.id, write.userId ?? null],
        );
      }
      const { rows } = await client.query(
        'SELECT revision, length FROM plumb_sessions WHERE id = $1 FOR UPDATE',
        [write.id],
      );
      const revision = checkWrite(write, rows[0] as { revision: number; length: number } | undefined);
      await client.query('DELETE FROM plumb_session_messages WHERE session_id = $1 AND position >= $2', [
        write.id,
        write.from,
      ]);
      if (write.messages.length > 0) {
        await client.query(
          `INSERT INTO plumb_session_messages (session_id, position, message)
           SELECT $1, $2 + ordinality - 1, message FROM unnest($3::text[]) WITH ORDINALITY AS t(message, ordinality)`,
          [write.id, write.from, write.messages],
        );
      }
      await client.query(
        'UPDATE plumb_sessions SET revision = $2, length = $3, state = $4, updated_at = clock_timestamp() WHERE id = $1',
        [write.id, revision + 1, write.from + write.messages.length, write.state ?? null],
      );
      return revision + 1;
    });
  }

  async list(options: ListSessionsOptions = {}): Promise<SessionSummary[]> {
    const limit = options.limit ?? 100;
    const columns =
      'SELECT id, user_id, revision, length, state IS NOT NULL AS paused, created_at, updated_at FROM plumb_sessions';
    const { rows } =
      options.userId === undefined
        ? await this.#pool.query(`${columns} WHERE revision > 0 ORDER BY updated_at DESC, id LIMIT $1`, [
            limit,
          ])
        : await this.#pool.query(
            `${columns} WHERE revision > 0 AND user_id = $2 ORDER BY updated_at DESC, id LIMIT $1`,
            [limit, options.userId],
          );
    return rows.map((row) => ({
      id: row.id,
      userId: row.user_id ?? undefined,
      length: row.length,
      revision: row.revision,
      paused: row.paused,
      createdAt: new Date(row.created_at),
      updatedAt: new Date(row.updated_at),
    }));
  }

  async delete(id: string): Promise<boolean> {
    return transaction(this.#pool, async (client) => {
      await client.query('DELETE FROM plumb_session_messages WHERE session_id = $1', [id]);
      const result = await client.query('DELETE FROM plumb_sessions WHERE id = $1', [id]);
      return (result.rowCount ?? 0) > 0;
    });
  }

  async close(): Promise<void> {
    if (this.#owned) await this.#pool.end();
  }
}

async function transaction<T>(
  pool: PgPool,
  body: (client: PgPoolClient) => Promise<T>,
  begin = 'BEGIN',
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(begin);
    const value = await body(client);
    await client.query('COMMIT');
    client.release();
    return value;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
      client.release();
    } catch (rollbackError) {
      client.release(rollbackError as Error); // a broken connection leaves the pool
    }
    throw error;
  }
}
