import { PlumbError } from '@plumb/core';

/** The base class of @plumb/durable's errors (a `PlumbError`, the root of all plumb errors). */
export class DurableError extends PlumbError {}

/** A bad option of `new Durable()` or of one of its methods; names the field and the fix. */
export class DurableConfigError extends DurableError {
  readonly field: string;
  constructor(field: string, fix: string) {
    super(`Invalid ${field}: ${fix}`);
    this.field = field;
  }
}

/** No run has this id in the store. */
export class RunNotFoundError extends DurableError {
  readonly runId: string;
  constructor(runId: string) {
    super(
      `No durable run has the id ${JSON.stringify(runId)}. Start it with durable.start(agent, input, { runId }).`,
    );
    this.runId = runId;
  }
}

/** A run is not in the state an operation needs (e.g. approving a run that waits for nothing). */
export class RunStatusError extends DurableError {
  readonly runId: string;
  readonly status: string;
  constructor(runId: string, status: string, message: string) {
    super(message);
    this.runId = runId;
    this.status = status;
  }
}

/** A durable run ended with an error (its message is the run's `error`). */
export class DurableRunFailedError extends DurableError {
  readonly runId: string;
  constructor(runId: string, error: string) {
    super(`The durable run ${JSON.stringify(runId)} failed: ${error}`);
    this.runId = runId;
  }
}
