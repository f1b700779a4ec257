/** The base class of @plumb/durable's errors. */
export class DurableError extends Error {
  override name = 'DurableError';
}

/** A bad option of `new Durable()` or of one of its methods; names the field and the fix. */
export class DurableConfigError extends DurableError {
  override name = 'DurableConfigError';
  readonly field: string;
  constructor(field: string, fix: string) {
    super(`Invalid ${field}: ${fix}`);
    this.field = field;
  }
}

/** No run has this id in the store. */
export class RunNotFoundError extends DurableError {
  override name = 'RunNotFoundError';
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
  override name = 'RunStatusError';
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
  override name = 'DurableRunFailedError';
  readonly runId: string;
  constructor(runId: string, error: string) {
    super(`The durable run ${JSON.stringify(runId)} failed: ${error}`);
    this.runId = runId;
  }
}
