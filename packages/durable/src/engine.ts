/** What the run workflow receives: everything else is read from the store. */
export interface RunWorkflowArgs {
  runId: string;
  /** 0 for the first part of a run; +1 after each approval (each part is its own workflow). */
  segment: number;
}

/**
 * The seam between plumb's durable runs and a durable-execution engine. `@plumb/durable` ships
 * DBOS Transact (`dbosEngine`); a Temporal or Restate adapter implements the same methods:
 * a workflow registry, an idempotent start by id, replayable steps and the adoption of the
 * workflows of dead workers.
 */
export interface DurableEngine {
  /** A name for errors and docs, e.g. 'dbos'. */
  readonly name: string;
  /** Creates or upgrades the engine's own tables; called once, under plumb's migration lock. */
  migrate(): Promise<void>;
  /** Registers the run workflow (workers only, before `launch`). */
  register(workflow: (args: RunWorkflowArgs) => Promise<string>): void;
  /** Starts executing workflows in this process as worker `workerId` (recovering its own unfinished ones). */
  launch(workerId: string): Promise<void>;
  /** Starts the run workflow under `workflowId`; starting an id that exists starts nothing. */
  enqueue(workflowId: string, args: RunWorkflowArgs): Promise<void>;
  /** Runs `fn` as a step of the current workflow: on replay, its saved result, without running it. */
  step<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Whether the calling code runs inside a workflow (steps are plain calls outside). */
  inWorkflow(): boolean;
  /** Hands the unfinished workflows of dead workers to the live ones; returns their ids. */
  adopt(deadWorkerIds: readonly string[]): Promise<string[]>;
  /** Whether `error` says this execution lost its workflow to another worker (it must stop quietly). */
  isOwnershipLost(error: unknown): boolean;
  /** The error that ends an execution which lost its workflow, without recording an outcome. */
  ownershipError(workflowId: string): Error;
  /** The worker executing workflow `workflowId` now, if it is running. */
  workerOf(workflowId: string): Promise<string | undefined>;
  /** Whether worker `workerId` still executes workflow `workflowId` (false once it was adopted). */
  owns(workflowId: string, workerId: string): Promise<boolean>;
  /** Stops executing workflows here and closes connections. */
  shutdown(): Promise<void>;
}
