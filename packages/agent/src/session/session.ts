import type { ChatMessage } from '@plumb/core';
import { AgentConfigError } from '../errors.js';
import { RunState } from '../state/run-state.js';
import type { StateSecret } from '../state/state-signing.js';
import { SessionError } from './errors.js';
import type { SessionStore, StoredSession } from './store.js';

/** `run(input, { session })`: which stored conversation the run continues. */
export interface SessionOptions {
  /** Where the conversation lives: `new MemorySessionStore()`, or a store from `@plumb/sessions`. */
  store: SessionStore;
  /** The conversation's id (1 to 256 characters). */
  id: string;
  /**
   * The end user the conversation belongs to. Sent as DeepSeek's `user_id` (cache and scheduling
   * isolation), so it must match `^[a-zA-Z0-9_-]+$` and be at most 512 characters. A session
   * created with a user id can only be used with the same one.
   */
  userId?: string | undefined;
  /**
   * Signs the paused run's state stored with the session (`RunState.toSignedJSON`), so that an
   * edited state (say, a pending call's arguments changed in the database) is refused when read
   * back. At least 32 bytes; keep it out of the session store. @default none (plain JSON)
   */
  stateSecret?: StateSecret | undefined;
}

/** A session read back: parsed messages and, when a run is paused, its `RunState`. */
export interface SessionSnapshot {
  id: string;
  userId: string | undefined;
  /** The wire history, as sent (ready for `agent.run([...messages, next])` too). */
  messages: ChatMessage[];
  /** The paused run's state (approve or reject its calls, then `agent.run(state, { session })`). */
  state: RunState | undefined;
  /** Index in `messages` of each turn's user message: turn `n` starts at `turns[n]`. */
  turns: number[];
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

const USER_ID = /^[a-zA-Z0-9_-]+$/;

/** Checks `id` and `userId` (DeepSeek's `user_id` rule); names the field and the fix. */
export function checkSessionKey(id: unknown, userId: unknown, field = 'session'): void {
  if (typeof id !== 'string' || id.length === 0 || id.length > 256) {
    throw new SessionError(String(id), `${field}.id`, 'must be a string of 1 to 256 characters.');
  }
  if (userId !== undefined && (typeof userId !== 'string' || userId.length > 512 || !USER_ID.test(userId))) {
    throw new SessionError(
      id,
      `${field}.userId`,
      "must match DeepSeek's user_id rule: letters, digits, '_' and '-', at most 512 characters.",
    );
  }
}

/** Checks the `session` run option: `{ store, id, userId? }`. */
export function checkSessionOptions(session: unknown): SessionOptions {
  const value = session as Partial<SessionOptions> | null;
  if (typeof value !== 'object' || value === null) {
    throw new SessionError('?', 'session', 'must be an object { store, id, userId? }.');
  }
  checkSessionKey(value.id, value.userId);
  const store = value.store as Partial<SessionStore> | undefined;
  if (typeof store?.load !== 'function' || typeof store.commit !== 'function') {
    throw new SessionError(
      value.id as string,
      'session.store',
      'must be a session store (new MemorySessionStore(), or sqliteSessionStore() / postgresSessionStore() from @plumb/sessions).',
    );
  }
  return value as SessionOptions;
}

/**
 * Loads a session for `userId` (undefined when it does not exist).
 * @throws SessionError when it belongs to another user.
 */
export async function loadOwned(
  store: SessionStore,
  id: string,
  userId: string | undefined,
): Promise<StoredSession | undefined> {
  const stored = await store.load(id);
  if (stored !== undefined && stored.userId !== userId) {
    throw new SessionError(
      id,
      'session.userId',
      stored.userId === undefined
        ? 'was given, but this session has no user id; use it without one.'
        : 'does not match the user this session belongs to.',
    );
  }
  return stored;
}

/** Parses stored message texts; a text that is not a chat message is a SessionError naming it. */
export function parseMessages(stored: StoredSession): ChatMessage[] {
  const messages: ChatMessage[] = new Array(stored.messages.length);
  for (let i = 0; i < stored.messages.length; i++) {
    let message: unknown;
    try {
      message = JSON.parse(stored.messages[i] as string);
    } catch {
      throw new SessionError(
        stored.id,
        `messages[${i}]`,
        'is not valid JSON: the stored session is corrupt.',
      );
    }
    const role = (message as { role?: unknown } | null)?.role;
    if (typeof role !== 'string' || !['system', 'user', 'assistant', 'tool'].includes(role)) {
      throw new SessionError(
        stored.id,
        `messages[${i}]`,
        'is not a chat message (role system, user, assistant or tool): the stored session is corrupt.',
      );
    }
    messages[i] = message as ChatMessage;
  }
  return messages;
}

/** The stored paused run, if any (verified with `stateSecret` when one is given). */
async function parseState(
  stored: StoredSession,
  stateSecret: StateSecret | undefined,
): Promise<RunState | undefined> {
  if (stored.state === undefined) return undefined;
  try {
    return stateSecret === undefined
      ? RunState.fromJSON(stored.state)
      : await RunState.fromSignedJSON(stored.state, { secret: stateSecret });
  } catch (error) {
    throw new SessionError(stored.id, 'state', `does not load as a RunState: ${(error as Error).message}`);
  }
}

/** Index of each user message. */
function turnStarts(messages: readonly ChatMessage[]): number[] {
  const starts: number[] = [];
  for (let i = 0; i < messages.length; i++) if (messages[i]?.role === 'user') starts.push(i);
  return starts;
}

/**
 * Reads a session: its messages (parsed), the paused run if any, and where each turn starts.
 * Resolves undefined when there is no such session.
 * @throws SessionError for a session of another user or stored data that does not parse.
 */
export async function readSession(
  store: SessionStore,
  id: string,
  options: { userId?: string | undefined; stateSecret?: StateSecret | undefined } = {},
): Promise<SessionSnapshot | undefined> {
  checkSessionKey(id, options.userId, 'readSession');
  const stored = await loadOwned(store, id, options.userId);
  if (stored === undefined) return undefined;
  const messages = parseMessages(stored);
  return {
    id: stored.id,
    userId: stored.userId,
    messages,
    state: await parseState(stored, options.stateSecret),
    turns: turnStarts(messages),
    revision: stored.revision,
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
  };
}

/** Options of `forkSession`. */
export interface ForkSessionOptions {
  /** The new session's id (must not exist yet). */
  to: string;
  /**
   * Keep the first `turn` turns (a turn is a user message and everything up to the next one):
   * `turn: 2` branches just before the third user message. @default every turn (a full copy)
   */
  turn?: number | undefined;
  /** The user of the source session (and of the copy). */
  userId?: string | undefined;
  /** The sessions' `stateSecret`, to read back a copied paused run that was signed. */
  stateSecret?: StateSecret | undefined;
}

/**
 * Branches a conversation: a new session `to` with the source's messages up to a turn boundary
 * (so no tool call is ever split from its result), byte for byte, so the copy shares the
 * source's cached prefix. A paused run is copied only with a full copy.
 * @throws SessionError when the source does not exist or `turn` is out of range;
 *   SessionConflictError when `to` already exists.
 */
export async function forkSession(
  store: SessionStore,
  id: string,
  options: ForkSessionOptions,
): Promise<SessionSnapshot> {
  checkSessionKey(id, options.userId, 'forkSession');
  checkSessionKey(options.to, undefined, 'forkSession.to');
  const stored = await loadOwned(store, id, options.userId);
  if (stored === undefined) throw new SessionError(id, 'id', 'does not exist: nothing to fork.');
  const starts = turnStarts(parseMessages(stored));
  const turn = options.turn;
  let end = stored.messages.length;
  if (turn !== undefined) {
    if (!Number.isInteger(turn) || turn < 0 || turn > starts.length) {
      throw new SessionError(
        id,
        'turn',
        `must be an integer from 0 to ${starts.length} (its number of turns).`,
      );
    }
    end = turn < starts.length ? (starts[turn] as number) : stored.messages.length;
  }
  const whole = end === stored.messages.length;
  await store.commit({
    id: options.to,
    userId: stored.userId,
    expectedRevision: 0,
    expectedLength: 0,
    from: 0,
    messages: stored.messages.slice(0, end),
    state: whole ? stored.state : undefined,
  });
  const copy = await readSession(store, options.to, {
    userId: stored.userId,
    stateSecret: options.stateSecret,
  });
  return copy as SessionSnapshot;
}

/** The `userId` run option: DeepSeek's `user_id` rule. */
export function checkRunUserId(userId: unknown): string | undefined {
  if (userId === undefined) return undefined;
  if (typeof userId !== 'string' || userId.length > 512 || !USER_ID.test(userId)) {
    throw new AgentConfigError(
      'userId',
      "must match DeepSeek's user_id rule: letters, digits, '_' and '-', at most 512 characters.",
    );
  }
  return userId;
}
