import { SessionConflictError } from './errors.js';
import type {
  ListSessionsOptions,
  SessionStore,
  SessionSummary,
  SessionWrite,
  StoredSession,
} from './store.js';

/**
 * Sessions in this process's memory: for tests, demos and short-lived servers. Lost on exit; use
 * `@plumb/sessions` (SQLite or Postgres) to keep conversations across restarts.
 */
export class MemorySessionStore implements SessionStore {
  readonly #sessions = new Map<string, StoredSession>();

  async load(id: string): Promise<StoredSession | undefined> {
    const session = this.#sessions.get(id);
    return session === undefined ? undefined : { ...session, messages: session.messages.slice() };
  }

  async commit(write: SessionWrite): Promise<number> {
    // Runs synchronously from check to write: no other commit can interleave.
    const current = this.#sessions.get(write.id);
    const revision = checkWrite(
      write,
      current === undefined ? undefined : { revision: current.revision, length: current.messages.length },
    );
    const now = new Date();
    const messages = (current?.messages ?? []).slice(0, write.from).concat(write.messages);
    this.#sessions.set(write.id, {
      id: write.id,
      userId: current === undefined ? write.userId : current.userId,
      messages,
      state: write.state,
      revision: revision + 1,
      createdAt: current?.createdAt ?? now,
      updatedAt: now,
    });
    return revision + 1;
  }

  async list(options: ListSessionsOptions = {}): Promise<SessionSummary[]> {
    const limit = options.limit ?? 100;
    return [...this.#sessions.values()]
      .filter((session) => options.userId === undefined || session.userId === options.userId)
      .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())
      .slice(0, limit)
      .map(summarize);
  }

  async delete(id: string): Promise<boolean> {
    return this.#sessions.delete(id);
  }
}

/** What `list()` reports for a stored session. */
function summarize(session: StoredSession): SessionSummary {
  return {
    id: session.id,
    userId: session.userId,
    length: session.messages.length,
    revision: session.revision,
    paused: session.state !== undefined,
    createdAt: session.createdAt,
    updatedAt: session.updatedAt,
  };
}

/**
 * The checks every store makes before a write, given what it stored for the session (`undefined`:
 * nothing yet): the optimistic-concurrency check (the stored revision and length are the ones the
 * writer read; else a `SessionConflictError`) and `checkFrom`. Returns the stored revision; the
 * write then stores revision + 1.
 */
export function checkWrite(
  write: SessionWrite,
  stored: { readonly revision: number; readonly length: number } | undefined,
): number {
  const revision = stored?.revision ?? 0;
  const length = stored?.length ?? 0;
  if (revision !== write.expectedRevision || length !== write.expectedLength) {
    throw new SessionConflictError(
      write.id,
      write.expectedRevision,
      stored === undefined && write.expectedRevision > 0 ? undefined : revision,
    );
  }
  checkFrom(write, length);
  return revision;
}

/** A write's `from` must point inside the stored messages (stores share this check). */
export function checkFrom(write: SessionWrite, length: number): void {
  if (!Number.isInteger(write.from) || write.from < 0 || write.from > length) {
    throw new RangeError(
      `Session write for ${JSON.stringify(write.id)}: \`from\` must be an integer from 0 to ${length} (the stored length), got ${write.from}.`,
    );
  }
}
