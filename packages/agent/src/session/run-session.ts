import type { ChatMessage } from '@plumb/core';
import type { Agent } from '../agent.js';
import { AgentError } from '../errors.js';
import type { RunInput, RunOptions } from '../options/options.js';
import type { AgentEvent, EndEvent } from '../run/events.js';
import type { AgentResult } from '../run/result.js';
import { AgentStream } from '../run/run-stream.js';
import { RunState } from '../state/run-state.js';
import { SessionConflictError, SessionError } from './errors.js';
import { checkSessionOptions, loadOwned, parseMessages, type SessionOptions } from './session.js';
import type { StoredSession } from './store.js';

/** A run of a session: the history to run on, and how to save its outcome. */
interface OpenedSession {
  input: RunInput | RunState;
  save(result: AgentResult<unknown>): Promise<void>;
}

/**
 * Loads the session and builds the run's input: the stored history plus the new input (a string
 * becomes a user message; an array is appended as is), or a paused run's `RunState`.
 */
async function openSession(session: SessionOptions, input: RunInput | RunState): Promise<OpenedSession> {
  const stored = await loadOwned(session.store, session.id, session.userId);
  let runInput: RunInput | RunState;
  if (input instanceof RunState) {
    checkPausedState(session.id, stored, input);
    runInput = input;
  } else {
    if (stored?.state !== undefined) {
      throw new SessionError(
        session.id,
        'state',
        'holds a run paused for approvals. Resume it first: const { state } = await readSession(store, id); state.approve(callId) (or reject); await agent.run(state, { session }).',
      );
    }
    const history = stored === undefined ? [] : parseMessages(stored);
    if (typeof input === 'string') runInput = [...history, { role: 'user', content: input }];
    else if (Array.isArray(input)) runInput = [...history, ...input];
    else runInput = input; // run() rejects it with its own message
  }
  return { input: runInput, save: (result) => save(session, stored, result) };
}

/** A resumed `RunState` must be the session's stored paused run (not an older or foreign one). */
function checkPausedState(id: string, stored: StoredSession | undefined, state: RunState): void {
  const messages = state.data.messages;
  const same =
    stored?.state !== undefined &&
    stored.messages.length === messages.length &&
    messages.every((message, i) => JSON.stringify(message) === stored.messages[i]);
  if (!same) {
    throw new SessionError(
      id,
      'state',
      "is not this session's paused run (it was resumed already, or belongs to another session). Read the current one with readSession(store, id).",
    );
  }
}

/**
 * Saves what the run changed: the messages from the first one that differs from the stored
 * history (an append, or a rewrite after compaction), and the paused state, compare-and-set
 * against the revision read at the start.
 */
async function save(
  session: SessionOptions,
  stored: StoredSession | undefined,
  result: AgentResult<unknown>,
): Promise<void> {
  const before = stored?.messages ?? [];
  const after = result.messages.map((message: ChatMessage) => JSON.stringify(message));
  let from = 0;
  while (from < before.length && from < after.length && before[from] === after[from]) from++;
  try {
    await session.store.commit({
      id: session.id,
      userId: session.userId,
      expectedRevision: stored?.revision ?? 0,
      expectedLength: before.length,
      from,
      messages: after.slice(from),
      state: await stateText(result, session),
    });
  } catch (error) {
    // By name too: a store built on another copy of @plumb/agent throws that copy's class.
    if (
      error instanceof SessionConflictError ||
      (AgentError.isInstance(error) && error.name === 'SessionConflictError')
    ) {
      (error as SessionConflictError).result = result;
    }
    throw error;
  }
}

/** The paused state as stored: signed with the session's `stateSecret`, else plain JSON. */
async function stateText(result: AgentResult<unknown>, session: SessionOptions): Promise<string | undefined> {
  if (result.state === undefined) return undefined;
  if (session.stateSecret === undefined) return JSON.stringify(result.state);
  return result.state.toSignedJSON({ secret: session.stateSecret });
}

/** Per-run options without `session`, with the session's user as `userId`. */
function innerOptions(options: RunOptions, session: SessionOptions): RunOptions {
  const { session: _session, ...rest } = options;
  return session.userId === undefined ? rest : { ...rest, userId: session.userId };
}

/** `agent.run(input, { session })`. */
export async function runInSession(
  agent: Agent<never>,
  input: RunInput | RunState,
  options: RunOptions,
): Promise<AgentResult<unknown>> {
  const session = checkSessionOptions(options.session);
  const opened = await openSession(session, input);
  const result = await agent.run(opened.input, innerOptions(options, session));
  await opened.save(result);
  return result;
}

/** `agent.stream(input, { session })`: the `end` event comes once the session is saved. */
export function streamInSession(
  agent: Agent<never>,
  input: RunInput | RunState,
  options: RunOptions,
): AgentStream<unknown> {
  const session = checkSessionOptions(options.session);
  const controller = new AbortController();
  const outer = options.signal;
  const signal = outer === undefined ? controller.signal : AbortSignal.any([outer, controller.signal]);
  return new AgentStream<unknown>(
    async (push) => {
      const opened = await openSession(session, input);
      const inner = agent.stream(opened.input, { ...innerOptions(options, session), signal });
      let end: EndEvent | undefined;
      for await (const event of inner as AsyncIterable<AgentEvent<unknown>>) {
        if (event.type === 'end') end = event;
        else push(event);
      }
      const result = await inner.result;
      await opened.save(result);
      push(end ?? { type: 'end', result });
      return result;
    },
    (reason) => controller.abort(reason),
  );
}
