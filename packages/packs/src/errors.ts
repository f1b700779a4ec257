/**
 * Errors thrown by the built-in packs, grouped by who caused them.
 *
 * - {@link PackConfigError}: the developer configured a pack wrongly (thrown when the pack is built).
 * - {@link PackInputError}: the model asked for something the pack refuses or cannot parse (a path
 *   outside the root, a blocked address, a malformed expression). Its message is written for the
 *   model: it says what was wrong and what to do instead, and the tools executor hands it back as
 *   the tool result.
 * - {@link PackRemoteError}: the outside world failed (a connection refused, a timeout, a server
 *   that answered nonsense).
 *
 * All are `PlumbError`s (the root of every plumb error; `name` is the class name).
 */
import { PlumbError } from '@plumb/core';

export class PackError extends PlumbError {
  /** A stable, machine-readable reason, e.g. `outside_root`, `blocked_address`, `timeout`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** The developer's mistake: a pack option is missing or invalid. Thrown when the pack is built. */
export class PackConfigError extends PackError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('invalid_config', message, options);
  }
}

/** The model's request was refused or could not be understood. The message says how to fix it. */
export class PackInputError extends PackError {}

/** The remote side or the environment failed: connection errors, timeouts, bad replies. */
export class PackRemoteError extends PackError {}
