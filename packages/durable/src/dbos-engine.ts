import { DBOS, DBOSClient, DBOSWorkflowConflictError } from '@dbos-inc/dbos-sdk';
import pg from 'pg';
import type { DurableEngine, RunWorkflowArgs } from './engine.js';

/** Options of `dbosEngine()`. */
export interface DbosEngineOptions {
  /** The Postgres URL of DBOS's system database (may be the same database as plumb's tables). */
  systemDatabaseUrl: string;
  /** DBOS's application name: scopes workflows and queues in the system database. @default 'plumb-durable' */
  appName?: string | undefined;
  /**
   * The application version: a worker only runs (and adopts) workflows of its own version. Bump
   * it when a change to the agents or tools would make old runs replay differently.
   * @default '1'
   */
  version?: string | undefined;
  /** How often an idle worker looks for queued runs, in ms. @default 250 */
  pollMs?: number | undefined;
  /** The most runs one worker executes at once. @default 16 */
  workerConcurrency?: number | undefined;
  /** Connections of DBOS's pool in this process. @default 8 */
  poolSize?: number | undefined;
  /** DBOS's log level. @default 'warn' */
  logLevel?: string | undefined;
}

const WORKFLOW = 'plumb.durable.run';
/**
 * A session that sits in an open transaction this long is closed by Postgres: a frozen worker
 * (SIGSTOP, a paused VM) must not hold row locks that the live workers need to adopt its runs.
 */
export const IDLE_TIMEOUT = '-c idle_in_transaction_session_timeout=10000';
const QUEUE = 'plumb-durable-runs';

/** The DBOS Transact engine (`@dbos-inc/dbos-sdk`, MIT). DBOS is process-global: one worker per process. */
export function dbosEngine(options: DbosEngineOptions): DurableEngine {
  const appName = options.appName ?? 'plumb-durable';
  const version = options.version ?? '1';
  let client: DBOSClient | undefined;
  let workflow: ((args: RunWorkflowArgs) => Promise<string>) | undefined;
  let launched = false;
  let pool: pg.Pool | undefined;
  // Our own pool for DBOS: its default one sends SET idle_in_transaction_session_timeout as a
  // query on connect, racing the borrower's first query (a pg deprecation warning on stderr);
  // here the setting travels in the startup packet instead.
  const systemPool = (): pg.Pool => {
    if (pool === undefined) {
      pool = new pg.Pool({
        connectionString: options.systemDatabaseUrl,
        max: options.poolSize ?? 8,
        options: IDLE_TIMEOUT,
      });
      pool.on('error', () => {});
    }
    return pool;
  };
  const dbosClient = async (): Promise<DBOSClient> => {
    client ??= await DBOSClient.create({
      systemDatabaseUrl: options.systemDatabaseUrl,
      systemDatabasePool: systemPool(),
      applicationName: appName,
    });
    return client;
  };
  return {
    name: 'dbos',
    async migrate() {
      // DBOS.migrate prints its progress on the console and takes no logger: keep it quiet.
      const { log, info } = console;
      console.log = () => {};
      console.info = () => {};
      try {
        await DBOS.migrate(options.systemDatabaseUrl);
      } finally {
        console.log = log;
        console.info = info;
      }
    },
    register(run) {
      workflow = DBOS.registerWorkflow(run, { name: WORKFLOW });
    },
    async launch(workerId) {
      if (workflow === undefined) throw new Error('register() the run workflow before launch()');
      DBOS.setConfig({
        name: appName,
        systemDatabaseUrl: options.systemDatabaseUrl,
        systemDatabasePool: systemPool(),
        executorID: workerId,
        applicationVersion: version,
        logLevel: options.logLevel ?? 'warn',
        runMigrations: false,
      });
      await DBOS.launch();
      launched = true;
      await DBOS.registerQueue(QUEUE, {
        workerConcurrency: options.workerConcurrency ?? 16,
        minPollingIntervalMs: options.pollMs ?? 250,
      });
    },
    async enqueue(workflowId, args) {
      const dbos = await dbosClient();
      await dbos.enqueue(
        { workflowName: WORKFLOW, queueName: QUEUE, workflowID: workflowId, appVersion: version },
        args,
      );
    },
    step(name, fn) {
      return DBOS.runStep(fn, { name });
    },
    inWorkflow() {
      return launched && DBOS.isWithinWorkflow();
    },
    async adopt(deadWorkerIds) {
      if (deadWorkerIds.length === 0) return [];
      const pending = await DBOS.listWorkflows({
        status: 'PENDING',
        executorId: [...deadWorkerIds],
        workflowName: WORKFLOW,
      });
      const ids = pending.map((status) => status.workflowID);
      // Back on the queue: the first live worker to dequeue a run continues it from its last
      // recorded step; a frozen former owner loses ownership at its next step.
      if (ids.length > 0) await DBOS.resumeWorkflows(ids, { queueName: QUEUE });
      return ids;
    },
    isOwnershipLost(error) {
      return error instanceof DBOSWorkflowConflictError;
    },
    ownershipError(workflowId) {
      return new DBOSWorkflowConflictError(workflowId);
    },
    async workerOf(workflowId) {
      const status = await (await dbosClient()).getWorkflow(workflowId);
      return status?.status === 'PENDING' ? status.executorId : undefined;
    },
    async owns(workflowId, workerId) {
      // Outside the workflow's context (a plain read): a step must not record it.
      const status = await (await dbosClient()).getWorkflow(workflowId);
      return status === undefined || (status.status === 'PENDING' && status.executorId === workerId);
    },
    async shutdown() {
      if (launched) {
        launched = false;
        await DBOS.shutdown();
      }
      await client?.destroy();
      client = undefined;
      await pool?.end();
      pool = undefined;
    },
  };
}
