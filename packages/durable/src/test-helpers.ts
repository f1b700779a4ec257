import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Emulator, type RecordedRequest, startEmulator, type Turn } from '@plumb/testing';
import { type PostgresCluster, postgresUnavailableReason, startPostgres } from '@plumb/testing/postgres';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { Durable } from './index.js';

/** Test-only helpers (excluded from the build). */

/** Why the Postgres tests cannot run here; CI must run them. */
export const postgresSkipReason: string | undefined = (() => {
  const reason = postgresUnavailableReason();
  if (reason !== undefined && process.env.CI === 'true') {
    throw new Error(`CI must run the durable tests, but ${reason}.`);
  }
  return reason;
})();

const workerScript = fileURLToPath(new URL('./fixtures/worker.ts', import.meta.url));
const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** A worker child process. */
interface Worker {
  id: string;
  process: ChildProcess;
  pid: number;
  output: () => string;
}

/** One test file's world: a private Postgres, an emulator, a client `Durable`, worker processes. */
export interface World {
  url: string;
  pool: pg.Pool;
  durable: Durable;
  emulator: Emulator;
  /** Arrival time (ms since epoch) of each emulator request, by index. */
  arrivals: Map<number, number>;
  workers: Worker[];
  spawnWorker(id: string, env?: Record<string, string>): Promise<Worker>;
  kill(worker: Worker, signal?: NodeJS.Signals): Promise<void>;
  /** The worker id (DBOS executor) running segment `segment` of run `runId`. */
  owner(runId: string, segment?: number): Promise<string | undefined>;
  waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs?: number): Promise<T>;
  ledger(): Promise<Array<{ key: string; note: string; pid: number }>>;
}

/**
 * Starts the world for a test file (bounded: every wait has a deadline) and tears it down after.
 * `script` answers each chat request (it may be async to hold a request).
 */
export function useWorld(
  name: string,
  script: (request: RecordedRequest) => Turn | Promise<Turn>,
  options: { concurrencyLimit?: number } = {},
): () => World {
  let cluster: PostgresCluster | undefined;
  let world: World | undefined;
  beforeAll(async () => {
    if (postgresSkipReason !== undefined) return;
    cluster = await startPostgres();
    const url = await cluster.createDatabase(name);
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    pool.on('error', () => {});
    await pool.query(`
      CREATE TABLE ledger (n serial PRIMARY KEY, key text NOT NULL, note text NOT NULL, pid integer NOT NULL);
      CREATE TABLE effects (key text PRIMARY KEY, note text NOT NULL);
      CREATE TABLE hook_ledger (n serial PRIMARY KEY, run_id text, type text, key text, pid integer);`);
    const arrivals = new Map<number, number>();
    const emulator = await startEmulator({
      port: 0,
      apiKey: 'sk-test',
      concurrencyLimit: options.concurrencyLimit,
      script: (request) => {
        arrivals.set(request.index, Date.now());
        return script(request);
      },
    });
    const durable = new Durable({ databaseUrl: url, pollMs: 50 });
    const workers: Worker[] = [];
    world = {
      url,
      pool,
      durable,
      emulator,
      arrivals,
      workers,
      spawnWorker: (id, env = {}) =>
        spawnWorker(id, { DATABASE_URL: url, EMULATOR_URL: emulator.url, ...env }, workers),
      kill: async (worker, signal = 'SIGKILL') => {
        const exited = new Promise<void>((resolve) => {
          if (worker.process.exitCode !== null || worker.process.signalCode !== null) resolve();
          else worker.process.once('exit', () => resolve());
        });
        process.kill(worker.pid, signal);
        if (signal === 'SIGKILL' || signal === 'SIGTERM') await exited;
      },
      owner: async (runId, segment = 0) => {
        const { rows } = await pool.query<{ executor_id: string; status: string }>(
          'SELECT executor_id, status FROM dbos.workflow_status WHERE workflow_uuid = $1',
          [`${runId}#${segment}`],
        );
        const row = rows[0];
        return row?.status === 'PENDING' ? row.executor_id : undefined;
      },
      waitFor: async (what, check, timeoutMs = 30_000) => {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const value = await check();
          if (value !== undefined && value !== false) return value as never;
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      },
      ledger: async () =>
        (
          await pool.query<{ key: string; note: string; pid: number }>(
            'SELECT key, note, pid FROM ledger ORDER BY n',
          )
        ).rows,
    };
  }, 60_000);
  afterAll(async () => {
    if (world !== undefined) {
      for (const worker of world.workers) {
        if (worker.process.exitCode === null && worker.process.signalCode === null) {
          try {
            process.kill(worker.pid, 'SIGCONT');
            process.kill(worker.pid, 'SIGKILL');
          } catch {
            // Already gone.
          }
        }
      }
      await world.durable.close();
      await world.pool.end();
      await world.emulator.close();
    }
    await cluster?.stop();
  }, 60_000);
  return () => {
    if (world === undefined) throw new Error('the world is not started (no Postgres?)');
    return world;
  };
}

function spawnWorker(id: string, env: Record<string, string>, workers: Worker[]): Promise<Worker> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@plumb/source', workerScript], {
      cwd: packageDir,
      env: { ...process.env, ...env, WORKER_ID: id },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`worker ${id} did not start in 150 s: ${out.slice(-2000)}`));
    }, 150_000);
    const worker: Worker = { id, process: child, pid: child.pid as number, output: () => out };
    workers.push(worker);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (process.env.PLUMB_DURABLE_DEBUG) appendFileSync(`/tmp/durable-${id}.log`, chunk);
      if (out.includes('ready\n')) {
        clearTimeout(timer);
        resolve(worker);
      }
    });
    child.stderr.on('data', (chunk) => {
      out += chunk;
      if (process.env.PLUMB_DURABLE_DEBUG) appendFileSync(`/tmp/durable-${id}.log`, chunk);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!out.includes('ready\n'))
        reject(new Error(`worker ${id} exited (${code ?? signal}) before it was ready: ${out.slice(-2000)}`));
    });
  });
}

/** The user message of a chat request. */
export function userText(request: RecordedRequest): string {
  const messages = request.body?.messages as Array<{ role: string; content: string }> | undefined;
  return messages?.find((message) => message.role === 'user')?.content ?? '';
}

/** How many tool messages a chat request carries. */
export function toolResults(request: RecordedRequest): number {
  const messages = request.body?.messages as Array<{ role: string }> | undefined;
  return messages?.filter((message) => message.role === 'tool').length ?? 0;
}

/** The chat requests whose user message is `text`. */
export function requestsFor(emulator: Emulator, text: string): RecordedRequest[] {
  return emulator.requests.filter(
    (request) => request.path.endsWith('/chat/completions') && userText(request) === text,
  );
}
