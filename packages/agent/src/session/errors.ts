import { AgentError } from '../errors.js';
import type { AgentResult } from '../run/result.js';

/**
 * A session write lost a race: another writer committed to the session after this run read it.
 * Nothing was written. The run's own outcome is in `result` (its messages, steps and usage), so
 * nothing already done is lost; to continue, run again (the next run reads the newer history).
 * plumb does not retry by itself: the turn was generated against a history that is now stale.
 */
export class SessionConflictError extends AgentError {
  override readonly name: string = 'SessionConflictError';
  readonly sessionId: string;
  readonly expectedRevision: number;
  /** The revision found in the store (undefined when the session was deleted meanwhile). */
  readonly actualRevision: number | undefined;
  /** The run whose turns could not be saved (undefined for a direct `store.commit`). */
  result: AgentResult<unknown> | undefined;

  constructor(sessionId: string, expectedRevision: number, actualRevision: number | undefined) {
    super(
      `Session ${JSON.stringify(sessionId)} changed while this run was going on (read at revision ${expectedRevision}, now ${
        actualRevision === undefined ? 'deleted' : `at revision ${actualRevision}`
      }); nothing was written. The run's result is in error.result; run again to continue from the newer history.`,
    );
    this.sessionId = sessionId;
    this.expectedRevision = expectedRevision;
    this.actualRevision = actualRevision;
    this.result = undefined;
  }
}

/**
 * A session cannot be used as asked: bad id or user id, a session of another user, stored data
 * that does not parse (tampered or corrupt), or a paused run that must be resumed first.
 */
export class SessionError extends AgentError {
  override readonly name: string = 'SessionError';
  readonly sessionId: string;
  /** The field at fault, e.g. `session.userId` or `messages[3]`. */
  readonly field: string;

  constructor(sessionId: string, field: string, message: string) {
    super(`Session ${JSON.stringify(sessionId)}: \`${field}\` ${message}`);
    this.sessionId = sessionId;
    this.field = field;
  }
}
