/**
 * The session store contract. A store keeps, per session id, the conversation's wire messages as
 * the exact JSON text that was sent (so the replay rule and DeepSeek's cached prefix survive a
 * restart byte for byte), the JSON of a paused run's `RunState`, and a revision that every write
 * bumps. Stores never parse or re-serialize messages.
 *
 * Writes are compare-and-set: `commit` applies only when the stored revision and length are the
 * ones the writer read; otherwise it throws a `SessionConflictError` and changes nothing. Two
 * writers can therefore never interleave turns or overwrite each other's.
 */
export interface SessionStore {
  /** The session, or undefined when there is none with this id. */
  load(id: string): Promise<StoredSession | undefined>;
  /**
   * Atomically: checks `expectedRevision` and `expectedLength` (0 and 0 create the session),
   * keeps `messages[0, from)`, replaces the rest with `write.messages`, sets the state, and bumps
   * the revision. Resolves with the new revision.
   * @throws SessionConflictError when the session changed since it was read (nothing is written).
   */
  commit(write: SessionWrite): Promise<number>;
  /** Sessions, most recently updated first (optionally only one user's). */
  list(options?: ListSessionsOptions): Promise<SessionSummary[]>;
  /** Deletes a session; resolves false when there was none. */
  delete(id: string): Promise<boolean>;
  /** Releases connections or file handles (optional). */
  close?(): Promise<void>;
}

/** A session as stored. */
export interface StoredSession {
  id: string;
  /** The user the session belongs to (sent as DeepSeek's `user_id`), if any. */
  userId: string | undefined;
  /** Each wire message's JSON text, exactly as it was sent, in order. */
  messages: string[];
  /** A paused run's `JSON.stringify(result.state)`, while it waits for approvals. */
  state: string | undefined;
  /** Bumped by every commit; 0 means never written. */
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

/** One compare-and-set write (see `SessionStore.commit`). */
export interface SessionWrite {
  id: string;
  /** Set when the session is created; ignored afterwards. */
  userId: string | undefined;
  /** The revision the writer read (0 for a new session). */
  expectedRevision: number;
  /** The message count the writer read (0 for a new session). */
  expectedLength: number;
  /** Messages before this index are kept; the rest are replaced by `messages`. */
  from: number;
  /** JSON texts of the messages from `from` on. */
  messages: string[];
  /** The paused run's state JSON, or undefined to clear it. */
  state: string | undefined;
}

/** What `list()` returns per session. */
export interface SessionSummary {
  id: string;
  userId: string | undefined;
  /** Number of stored messages. */
  length: number;
  revision: number;
  /** Whether a paused run (awaiting approvals) is stored with it. */
  paused: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface ListSessionsOptions {
  /** Only this user's sessions. */
  userId?: string | undefined;
  /** At most this many. @default 100 */
  limit?: number | undefined;
}
