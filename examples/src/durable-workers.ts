/**
 * Durable runs on two worker processes and one Postgres (@plumb/durable on DBOS Transact): a
 * worker is killed in the middle of a tool call and the other one finishes the run without
 * asking the model again for what was done; the run then waits for an approval, which this
 * process (not a worker) gives.
 *   pnpm example durable-workers
 * Needs PostgreSQL: DATABASE_URL, or the server binaries to start a private one
 * (`apt-get install -y postgresql`, or PLUMB_PG_BIN=/path/to/bin).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Durable, type DurableEvent } from '@plumb/durable';
import { postgresUnavailableReason, startPostgres } from '@plumb/testing/postgres';
import { connect } from './lib/connect.js';
import { run } from './lib/run.js';

const workerFile = fileURLToPath(new URL('./lib/durable-worker.ts', import.meta.url));

function startWorker(id: string, env: Record<string, string>): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, workerFile], {
      env: { ...process.env, ...env, WORKER_ID: id },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      const text = String(chunk);
      process.stdout.write(text);
      if (text.includes(`[${id}] ready`)) resolve(child);
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`worker ${id} exited with ${code} before it was ready`)));
  });
}

run(async () => {
  let databaseUrl = process.env.DATABASE_URL;
  let stopPostgres = async (): Promise<void> => {};
  if (databaseUrl === undefined) {
    const missing = postgresUnavailableReason();
    if (missing !== undefined) {
      console.error(`This example needs PostgreSQL: set DATABASE_URL, or ${missing}.`);
      process.exitCode = 1;
      return;
    }
    const cluster = await startPostgres(); // a private cluster on 127.0.0.1, removed at the end
    databaseUrl = await cluster.createDatabase('durable_example');
    stopPostgres = () => cluster.stop();
  }
  const { emulator } = await connect({
    script: (request) => {
      const tools = (request.body.messages as Array<{ role: string }>).filter(
        (m) => m.role === 'tool',
      ).length;
      if (tools === 0) return { toolCalls: [{ name: 'lookup_order', arguments: { order: 1042 } }] };
      if (tools === 1) return { toolCalls: [{ name: 'refund', arguments: { order: 1042, amount: 30 } }] };
      return { content: 'I refunded $30 for order 1042: it arrived damaged.' };
    },
  });
  const env: Record<string, string> = { DATABASE_URL: databaseUrl };
  // Offline, the workers talk to this process's emulator; with a key, to DeepSeek.
  if (emulator !== undefined)
    Object.assign(env, { DEEPSEEK_API_KEY: emulator.apiKey, DEEPSEEK_BASE_URL: emulator.url });
  const workers = new Map<string, ChildProcess>();
  const durable = new Durable({ databaseUrl });
  /** Kills the worker running lookup_order, in the middle of the call (once). */
  const crashDemo = async (event: DurableEvent): Promise<void> => {
    if (event.type !== 'tool-call' || event.name !== 'lookup_order') return;
    const owner = (await durable.status('order-1042')).worker ?? '';
    workers.get(owner)?.kill('SIGKILL');
    console.log(`killed ${owner} during lookup_order; the other worker adopts the run`);
  };
  try {
    for (const id of ['worker-a', 'worker-b']) workers.set(id, await startWorker(id, env));
    // #region start
    const runId = await durable.start('support', 'Order 1042 arrived damaged. Refund it.', {
      runId: 'order-1042', // starting order-1042 again is the same run
      approvalExpiresInMs: 24 * 3600_000, // unanswered for a day: rejected, and the model is told
    });
    for await (const event of durable.events(runId)) {
      if (event.type === 'tool-call') console.log(`event: tool-call ${event.name} ${event.rawArguments}`);
      if (event.type === 'end') console.log(`event: end (${event.finishReason})`);
      await crashDemo(event); // this example kills the worker running lookup_order
    }
    const waiting = await durable.status(runId); // from any process
    for (const call of waiting.interruptions)
      console.log(`awaiting approval: ${call.name} ${JSON.stringify(call.args)}`);
    await durable.approve(runId); // from any process: the run resumes once, on some worker
    const result = await durable.result(runId);
    console.log(`answer: ${result.text}`);
    // #endregion
    // #region usage
    for (const row of await durable.usage('run', { runId })) {
      console.log(`usage of ${row.key}: ${row.requests} requests, ${row.promptTokens} prompt tokens`);
    }
    // #endregion
  } finally {
    for (const child of workers.values())
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await durable.close();
    await stopPostgres();
  }
});
