import { hostname } from 'node:os';
import type { Agent, AgentResult, ApprovalDecision, RunInput } from '@plumb/agent';
import pg from 'pg';
import { AccountGate, type AccountGateOptions } from './account-gate.js';
import { dbosEngine, IDLE_TIMEOUT } from './dbos-engine.js';
import type { DurableEngine } from './engine.js';
import { DurableConfigError, DurableRunFailedError, RunNotFoundError, RunStatusError } from './errors.js';
import { CHANNEL, type DurableEvent } from './events.js';
import { migrate, SCHEMA } from './schema.js';
import { type DurableRunInfo, type DurableRunStatus, getRun, type RunRow, runInfo } from './store.js';
import { runWorkflow, workflowId } from './workflow.js';

/** What an agent factory receives: the fleet-wide gated `fetch` for its `DeepSeek` client. */
export interface AgentFactoryContext {
  /** Pass it as `new DeepSeek({ fetch })`: every request then takes an account-wide slot. */
  fetch: typeof fetch;
}

// biome-ignore lint/suspicious/noExplicitAny: agents of any output schema
type AnyAgent = Agent<any>;

/** An agent, or a function that builds it once per process (with the gated `fetch`). */
export type DurableAgentEntry = AnyAgent | ((context: AgentFactoryContext) => AnyAgent);

/** Options of `new Durable()`. */
export interface DurableOptions {
  /** Postgres URL of plumb's tables and (by default) of DBOS's system database. */
  databaseUrl: string;
  /**
   * The agents runs may use, by name. Every worker must define the same agents with the same
   * tools (a resumed run whose tools changed fails with a RunStateError). Processes that only
   * start runs or read them may leave it out.
   */
  agents?: Record<string, DurableAgentEntry> | undefined;
  /** The durable-execution engine. @default dbosEngine({ systemDatabaseUrl: databaseUrl }) */
  engine?: DurableEngine | undefined;
  /** The account-wide cap on in-flight DeepSeek requests and the shared 429 back-off. @default none */
  gate?: AccountGateOptions | undefined;
  /**
   * Signs the paused `RunState`s kept in the database (HMAC-SHA-256, at least 32 bytes): a state
   * edited in the database is refused on resume. Keep it out of the database. @default unsigned
   */
  stateSecret?: string | undefined;
  /** How often a worker writes its heartbeat, adopts dead workers' runs and expires approvals, in ms. @default 2000 */
  heartbeatMs?: number | undefined;
  /** A worker whose heartbeat is older than this is dead and its runs are adopted, in ms. @default 15000 */
  workerTimeoutMs?: number | undefined;
  /** How often `result()` and `events()` look at the store, in ms. @default 200 */
  pollMs?: number | undefined;
  /** Called once per stored event of any run this worker executes (never twice on a replay). */
  onEvent?: ((runId: string, event: DurableEvent) => void | Promise<void>) | undefined;
}

/** Options of `durable.start()`. */
export interface StartOptions {
  /** The run's id; starting the same id again starts nothing and returns the same run. @default a random id */
  runId?: string | undefined;
  /** A waiting approval is rejected after this many ms, with a reason the model reads. @default never */
  approvalExpiresInMs?: number | undefined;
}

/** Totals of `durable.usage()`. */
export interface UsageRow {
  /** The run id, agent name or day (YYYY-MM-DD, UTC), per `by`. */
  key: string;
  requests: number;
  promptTokens: number;
  completionTokens: number;
  cacheHitTokens: number;
  cacheMissTokens: number;
  /** USD, from core's price table; null when a model has no published price. */
  cost: number | null;
}

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$/;

/** How long close() waits for the runs this worker is executing to finish, in ms. */
const CLOSE_GRACE_MS = 5_000;

/**
 * Durable, distributed agent runs on Postgres: `start()` a run from any process, run
 * `startWorker()` in as many processes and machines as you like, and read `status()`,
 * `events()` and `result()` from anywhere. See docs/guides/durable.md.
 */
export class Durable {
  readonly #options: DurableOptions;
  readonly #pool: pg.Pool;
  readonly #engine: DurableEngine;
  readonly #gate: AccountGate | undefined;
  readonly #gatePool: pg.Pool | undefined;
  readonly #agents = new Map<string, AnyAgent>();
  #workerId: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #tick: Promise<void> = Promise.resolve();
  #migrated: Promise<void> | undefined;
  #closed = false;
  /** The run workflows this worker is executing (their promises), for close(). */
  readonly #running = new Set<Promise<string>>();

  constructor(options: DurableOptions) {
    checkOptions(options);
    this.#options = options;
    this.#pool = new pg.Pool({ connectionString: options.databaseUrl, max: 6, options: IDLE_TIMEOUT });
    this.#pool.on('error', () => {});
    this.#engine = options.engine ?? dbosEngine({ systemDatabaseUrl: options.databaseUrl });
    if (options.gate !== undefined) {
      this.#gatePool = new pg.Pool({
        connectionString: options.databaseUrl,
        max: options.gate.maxInFlight + 2,
      });
      this.#gatePool.on('error', () => {});
      this.#gate = new AccountGate(this.#gatePool, options.gate);
    }
  }

  /** The account gate's `fetch` (plain `fetch` without a `gate`): give it to `new DeepSeek({ fetch })`. */
  get fetch(): typeof fetch {
    return this.#gate?.fetch() ?? globalThis.fetch;
  }

  /** The account gate, when configured (its `backoffLeft()` tells the shared deadline). */
  get gate(): AccountGate | undefined {
    return this.#gate;
  }

  /** This process's worker id, once `startWorker()` ran. */
  get workerId(): string | undefined {
    return this.#workerId;
  }

  /**
   * Creates or upgrades the tables (plumb's and the engine's) once, under an advisory lock:
   * workers starting together run it one after the other. `startWorker()` and `start()` call it.
   */
  migrate(): Promise<void> {
    this.#migrated ??= migrate(this.#pool, () => this.#engine.migrate()).catch((error: unknown) => {
      this.#migrated = undefined;
      throw error;
    });
    return this.#migrated;
  }

  /**
   * Makes this process a worker: migrates, launches the engine (which first continues this
   * worker id's own unfinished runs), then every `heartbeatMs` writes a heartbeat, adopts the
   * runs of workers silent for `workerTimeoutMs`, expires approvals and re-queues runs whose
   * start was interrupted. One worker per process (DBOS is process-global).
   */
  async startWorker(options: { workerId?: string | undefined } = {}): Promise<void> {
    if (this.#workerId !== undefined)
      throw new DurableConfigError('startWorker', 'this process is already a worker.');
    const workerId = options.workerId ?? `worker-${hostname()}-${process.pid}-${Date.now().toString(36)}`;
    if (!RUN_ID.test(workerId))
      throw new DurableConfigError('workerId', 'use letters, digits and _ . : - only.');
    await this.migrate();
    this.#workerId = workerId;
    await this.#pool.query(
      `INSERT INTO ${SCHEMA}.workers (worker_id, pid, host) VALUES ($1, $2, $3)
       ON CONFLICT (worker_id) DO UPDATE SET pid = $2, host = $3, last_seen = now(), adopted_by = NULL, adopted_at = NULL`,
      [workerId, process.pid, hostname()],
    );
    const workflow = runWorkflow({
      pool: this.#pool,
      engine: this.#engine,
      agent: (name) => this.#agent(name),
      stateSecret: this.#options.stateSecret,
      onEvent: this.#options.onEvent,
      owns: (id) => this.#engine.owns(id, workerId),
    });
    this.#engine.register((args) => {
      const run = workflow(args);
      this.#running.add(run);
      const settled = () => this.#running.delete(run);
      run.then(settled, settled);
      return run;
    });
    await this.#engine.launch(workerId);
    const every = this.#options.heartbeatMs ?? 2000;
    this.#timer = setInterval(() => {
      this.#tick = this.#tick.then(() => this.#housekeeping()).catch(() => {});
    }, every);
    this.#timer.unref?.();
  }

  /**
   * Starts a run of agent `agent` on `input` (a user message or a message history) and returns
   * its id at once; a worker picks it up. The same `runId` twice is one run.
   */
  async start(agent: string, input: RunInput, options: StartOptions = {}): Promise<string> {
    if (typeof agent !== 'string' || agent === '')
      throw new DurableConfigError('agent', 'name one of the agents.');
    if (this.#options.agents !== undefined && !(agent in this.#options.agents)) {
      throw new DurableConfigError(
        'agent',
        `no agent is named ${JSON.stringify(agent)}; defined: ${Object.keys(this.#options.agents).join(', ')}.`,
      );
    }
    const runId = options.runId ?? `run_${globalThis.crypto.randomUUID().replaceAll('-', '')}`;
    if (!RUN_ID.test(runId)) {
      throw new DurableConfigError(
        'runId',
        'expected 1 to 200 characters of letters, digits and _ . : - (e.g. "order-1234").',
      );
    }
    const expires = options.approvalExpiresInMs;
    if (expires !== undefined && (!Number.isInteger(expires) || expires <= 0)) {
      throw new DurableConfigError(
        'approvalExpiresInMs',
        'expected a positive whole number of milliseconds.',
      );
    }
    if (typeof input !== 'string' && !Array.isArray(input)) {
      throw new DurableConfigError('input', 'expected a user message (string) or a message history (array).');
    }
    await this.migrate();
    const stored = JSON.stringify(expires === undefined ? { input } : { input, expiresInMs: expires });
    const { rows } = await this.#pool.query<{ segment: number; status: DurableRunStatus; agent: string }>(
      `INSERT INTO ${SCHEMA}.runs (run_id, agent, status, input) VALUES ($1, $2, 'queued', $3::jsonb)
       ON CONFLICT (run_id) DO UPDATE SET run_id = EXCLUDED.run_id RETURNING segment, status, agent`,
      [runId, agent, stored],
    );
    const row = rows[0];
    if (row !== undefined && row.agent !== agent) {
      throw new DurableConfigError(
        'runId',
        `run ${JSON.stringify(runId)} already exists for agent ${JSON.stringify(row.agent)}.`,
      );
    }
    if (row !== undefined && row.status === 'queued') {
      await this.#engine.enqueue(workflowId(runId, row.segment), { runId, segment: row.segment });
    }
    return runId;
  }

  /** Where run `runId` is. @throws RunNotFoundError */
  async status(runId: string): Promise<DurableRunInfo> {
    const row = await getRun(this.#pool, runId);
    if (row === undefined) throw new RunNotFoundError(runId);
    const info = runInfo(row);
    if (row.status === 'running') info.worker = await this.#engine.workerOf(workflowId(runId, row.segment));
    return info;
  }

  /** Runs, newest first. */
  async list(
    filter: {
      status?: DurableRunStatus | undefined;
      agent?: string | undefined;
      limit?: number | undefined;
    } = {},
  ): Promise<DurableRunInfo[]> {
    const { rows } = await this.#pool.query<RunRow>(
      `SELECT * FROM ${SCHEMA}.runs WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR agent = $2)
       ORDER BY created_at DESC, run_id LIMIT $3`,
      [filter.status ?? null, filter.agent ?? null, filter.limit ?? 100],
    );
    return rows.map(runInfo);
  }

  /**
   * The run's outcome once it has one: the final `AgentResult` (as JSON data: `state` is left
   * out), or the interrupted result while it waits for an approval (`finishReason:
   * 'interrupted'`, `interruptions`). Waits up to `timeoutMs`.
   * @throws DurableRunFailedError when the run failed; RunStatusError on timeout.
   */
  async result(
    runId: string,
    options: { timeoutMs?: number | undefined } = {},
  ): Promise<AgentResult<unknown>> {
    const deadline = Date.now() + (options.timeoutMs ?? 600_000);
    for (;;) {
      const row = await getRun(this.#pool, runId);
      if (row === undefined) throw new RunNotFoundError(runId);
      if (row.status === 'completed' || row.status === 'awaiting_approval')
        return row.result as AgentResult<unknown>;
      if (row.status === 'failed') throw new DurableRunFailedError(runId, row.error ?? 'unknown error');
      if (Date.now() >= deadline) {
        throw new RunStatusError(runId, row.status, `Run ${runId} is still ${row.status} after the timeout.`);
      }
      await sleep(this.#options.pollMs ?? 200);
    }
  }

  /**
   * The run's events as they happen, from the first stored one: its stored events (each once)
   * and, while you listen, its live deltas. Ends when the run completes, fails or waits for an
   * approval (`end` with `finishReason: 'interrupted'`); break out of the loop to stop early.
   */
  async *events(
    runId: string,
    options: { signal?: AbortSignal | undefined } = {},
  ): AsyncGenerator<DurableEvent> {
    const listener = new pg.Client({ connectionString: this.#options.databaseUrl });
    listener.on('error', () => {});
    const live: DurableEvent[] = [];
    let wake: (() => void) | undefined;
    listener.on('notification', (message) => {
      if (message.payload === undefined) return;
      try {
        const parsed = JSON.parse(message.payload) as { runId: string; event?: DurableEvent };
        if (parsed.runId !== runId) return;
        if (parsed.event !== undefined) live.push(parsed.event);
        wake?.();
      } catch {
        // Not ours.
      }
    });
    await listener.connect();
    try {
      await listener.query(`LISTEN ${CHANNEL}`);
      let seq = 0;
      for (;;) {
        options.signal?.throwIfAborted();
        const status = (await getRun(this.#pool, runId))?.status;
        if (status === undefined) throw new RunNotFoundError(runId);
        const { rows } = await this.#pool.query<{ seq: string; event: DurableEvent }>(
          `SELECT seq, event FROM ${SCHEMA}.events WHERE run_id = $1 AND seq > $2 ORDER BY seq`,
          [runId, seq],
        );
        while (live.length > 0) yield live.shift() as DurableEvent;
        for (const row of rows) {
          seq = Number(row.seq);
          yield row.event;
        }
        if (
          (status === 'completed' || status === 'failed' || status === 'awaiting_approval') &&
          rows.length === 0
        ) {
          return;
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.#options.pollMs ?? 200);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    } finally {
      await listener.end().catch(() => {});
    }
  }

  /**
   * Approves pending call `callId` of a run that waits (every pending call when left out). Once
   * every pending call is decided, the run resumes, exactly once, on some worker; returns
   * whether this decision resumed it (false when the run already moved on).
   */
  approve(runId: string, callId?: string): Promise<boolean> {
    return this.decide(runId, callId, { approved: true });
  }

  /** Rejects pending call `callId` (every pending call when left out); the model reads `reason`. */
  reject(runId: string, callId?: string, options: { reason?: string | undefined } = {}): Promise<boolean> {
    return this.decide(runId, callId, { approved: false, reason: options.reason });
  }

  /** Records a decision on one pending call (or all); resumes the run once all are decided. */
  async decide(runId: string, callId: string | undefined, decision: ApprovalDecision): Promise<boolean> {
    const row = await getRun(this.#pool, runId);
    if (row === undefined) throw new RunNotFoundError(runId);
    if (row.status !== 'awaiting_approval') return false;
    const pending = row.interruptions ?? [];
    if (callId !== undefined && !pending.some((call) => call.id === callId)) {
      throw new DurableConfigError(
        'callId',
        `run ${runId} waits for ${pending.map((call) => JSON.stringify(call.id)).join(', ')}, not ${JSON.stringify(callId)}.`,
      );
    }
    const decided = Object.fromEntries(
      (callId === undefined ? pending : pending.filter((call) => call.id === callId)).map((call) => [
        call.id,
        decision,
      ]),
    );
    // Compare-and-set on the segment: of concurrent approvers, one resumes the run.
    const { rows } = await this.#pool.query<{ segment: number }>(
      `UPDATE ${SCHEMA}.runs SET decisions = COALESCE(decisions, '{}'::jsonb) || $3::jsonb,
         status = CASE WHEN (SELECT bool_and((COALESCE(decisions, '{}'::jsonb) || $3::jsonb) ? (call->>'id'))
                             FROM jsonb_array_elements(interruptions) AS call)
                       THEN 'queued' ELSE status END,
         segment = CASE WHEN (SELECT bool_and((COALESCE(decisions, '{}'::jsonb) || $3::jsonb) ? (call->>'id'))
                              FROM jsonb_array_elements(interruptions) AS call)
                        THEN segment + 1 ELSE segment END,
         updated_at = now()
       WHERE run_id = $1 AND segment = $2 AND status = 'awaiting_approval'
       RETURNING segment, status`,
      [runId, row.segment, JSON.stringify(decided)],
    );
    const updated = rows[0] as { segment: number; status?: string } | undefined;
    if (updated === undefined || updated.status !== 'queued') return false;
    await this.#engine.enqueue(workflowId(runId, updated.segment), { runId, segment: updated.segment });
    return true;
  }

  /** Tokens and cost from the store, per run, agent or day (UTC), optionally for one run/agent. */
  async usage(
    by: 'run' | 'agent' | 'day',
    filter: { runId?: string | undefined; agent?: string | undefined; since?: Date | undefined } = {},
  ): Promise<UsageRow[]> {
    const key = by === 'run' ? 'run_id' : by === 'agent' ? 'agent' : `to_char(day, 'YYYY-MM-DD')`;
    const { rows } = await this.#pool.query(
      `SELECT ${key} AS key, count(*)::int AS requests, sum(prompt_tokens)::float8 AS prompt,
         sum(completion_tokens)::float8 AS completion, sum(cache_hit_tokens)::float8 AS hit,
         sum(cache_miss_tokens)::float8 AS miss,
         CASE WHEN bool_and(cost IS NOT NULL) THEN round(sum(cost)::numeric, 9)::float8 END AS cost
       FROM ${SCHEMA}.usage
       WHERE ($1::text IS NULL OR run_id = $1) AND ($2::text IS NULL OR agent = $2) AND ($3::date IS NULL OR day >= $3)
       GROUP BY 1 ORDER BY 1`,
      [filter.runId ?? null, filter.agent ?? null, filter.since ?? null],
    );
    return rows.map((row) => ({
      key: row.key,
      requests: row.requests,
      promptTokens: row.prompt,
      completionTokens: row.completion,
      cacheHitTokens: row.hit,
      cacheMissTokens: row.miss,
      cost: row.cost,
    }));
  }

  /**
   * Stops the worker (if any) and closes every connection. Runs this worker is executing get up
   * to 5 s to finish; any still going after that are continued from their last step by another
   * worker.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    await this.#tick;
    await this.#settleRunning();
    await this.#engine.shutdown();
    await this.#gatePool?.end();
    await this.#pool.end();
  }

  /**
   * Gives the runs this worker is executing up to CLOSE_GRACE_MS to finish (a run whose result
   * was just stored is still returning from its workflow). A run still going after that is
   * stopped with the engine and continued from its last step by another worker.
   */
  async #settleRunning(): Promise<void> {
    if (this.#running.size === 0) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CLOSE_GRACE_MS);
    });
    await Promise.race([Promise.allSettled([...this.#running]), grace]);
    clearTimeout(timer);
  }

  #agent(name: string): AnyAgent {
    let agent = this.#agents.get(name);
    if (agent !== undefined) return agent;
    const entry = this.#options.agents?.[name];
    if (entry === undefined) {
      throw new DurableConfigError('agents', `this worker defines no agent named ${JSON.stringify(name)}.`);
    }
    agent = typeof entry === 'function' ? entry({ fetch: this.fetch }) : entry;
    this.#agents.set(name, agent);
    return agent;
  }

  /** Heartbeat, adoption of dead workers' runs, approval expiry, re-queueing of stranded starts. */
  async #housekeeping(): Promise<void> {
    const me = this.#workerId;
    if (me === undefined || this.#closed) return;
    const pool = this.#pool;
    const beat = await pool.query(
      `UPDATE ${SCHEMA}.workers SET last_seen = now() WHERE worker_id = $1 AND adopted_by IS NULL`,
      [me],
    );
    if (beat.rowCount === 0) {
      // Frozen long enough to be adopted: our runs went elsewhere; be a live worker again.
      await pool.query(
        `UPDATE ${SCHEMA}.workers SET last_seen = now(), adopted_by = NULL, adopted_at = NULL WHERE worker_id = $1`,
        [me],
      );
      return;
    }
    const timeout = this.#options.workerTimeoutMs ?? 15_000;
    // One adopter per dead worker: the compare-and-set on adopted_by.
    const dead = await pool.query<{ worker_id: string }>(
      `UPDATE ${SCHEMA}.workers SET adopted_by = $1, adopted_at = now()
       WHERE worker_id <> $1 AND adopted_by IS NULL AND last_seen < now() - $2 * interval '1 millisecond'
       RETURNING worker_id`,
      [me, timeout],
    );
    if (dead.rows.length > 0) await this.#engine.adopt(dead.rows.map((row) => row.worker_id));
    const expired = await pool.query<{ run_id: string; segment: number }>(
      `UPDATE ${SCHEMA}.runs SET status = 'queued', segment = segment + 1, updated_at = now(),
         decisions = jsonb_build_object('*', jsonb_build_object('approved', false, 'reason',
           'nobody answered the approval request before it expired at ' ||
           to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')))
       WHERE status = 'awaiting_approval' AND expires_at IS NOT NULL AND expires_at < now()
       RETURNING run_id, segment`,
    );
    const stranded = await pool.query<{ run_id: string; segment: number }>(
      `SELECT run_id, segment FROM ${SCHEMA}.runs WHERE status = 'queued' AND updated_at < now() - $1 * interval '1 millisecond'`,
      [timeout],
    );
    for (const run of [...expired.rows, ...stranded.rows]) {
      // Starting an id that exists starts nothing; one refusal must not hold back the others.
      await this.#engine
        .enqueue(workflowId(run.run_id, run.segment), { runId: run.run_id, segment: run.segment })
        .catch(() => {});
    }
  }
}

function checkOptions(options: DurableOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new DurableConfigError('options', 'expected { databaseUrl, agents, ... }.');
  }
  if (typeof options.databaseUrl !== 'string' || !/^postgres(ql)?:\/\//.test(options.databaseUrl)) {
    throw new DurableConfigError('databaseUrl', 'expected a postgres:// URL.');
  }
  for (const key of ['heartbeatMs', 'workerTimeoutMs', 'pollMs'] as const) {
    const value = options[key];
    if (value !== undefined && (!Number.isInteger(value) || value <= 0)) {
      throw new DurableConfigError(key, 'expected a positive whole number of milliseconds.');
    }
  }
  const gate = options.gate;
  if (
    gate !== undefined &&
    (!Number.isInteger(gate.maxInFlight) || gate.maxInFlight < 1 || gate.maxInFlight > 1000)
  ) {
    throw new DurableConfigError('gate.maxInFlight', 'expected a whole number from 1 to 1000.');
  }
  if (
    options.stateSecret !== undefined &&
    (typeof options.stateSecret !== 'string' || options.stateSecret.length < 32)
  ) {
    throw new DurableConfigError(
      'stateSecret',
      'expected a string of at least 32 characters (keep it out of the database).',
    );
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
