/**
 * The client-only scenario's child process (started by scenarios/client-only.ts, with plumb
 * resolved to its built `dist/` and --expose-gc). No network: both loops get an in-process fake
 * `fetch` that answers from pre-encoded SSE bytes, so only client work is timed: building and
 * checking the request, parsing the stream, running the tool, growing the history.
 *
 * - paired rounds: the minimal streaming loop and `Agent.run()` run back to back (order
 *   alternating) and the ratio is taken per round; the first round is the cold one (fresh process).
 * - per-step cost of `Agent.run()` at growing lengths (flat is the goal).
 * - memory held per step: heap after a full GC with the run's history alive, minus before (five
 *   times each, alternating: one heap difference moves by hundreds of bytes per step).
 * - async work per step: promises created per step (counted with an async hook, in runs of their
 *   own: the hook slows everything down, so these runs are never timed). Unlike CPU time it does
 *   not depend on the machine's load: a change that removes an await shows here exactly.
 * - concurrent runs on one caller signal: wall time, abort listeners on the signal, warnings.
 *
 * Prints one JSON line (ClientOnlyReport) on stdout.
 */
import { createHook } from 'node:async_hooks';
import { getEventListeners } from 'node:events';
import { floorRun, plumbRun } from './client-only-loops.js';
import { collectGarbage } from './measure.js';

export interface ClientOnlyConfig {
  /** Step counts of the paired comparison, and rounds of each (after warmups). */
  paired: Array<{ steps: number; rounds: number }>;
  /**
   * Unmeasured rounds before each step count's paired rounds: at least `warmups`, and enough for
   * `warmupSteps` steps (V8 compiles a framework's code in full only after a few thousand steps).
   */
  warmups: number;
  warmupSteps: number;
  /** Step counts of plumb's per-step cost, and runs of each. */
  perStep: Array<{ steps: number; runs: number }>;
  /** Steps of the memory measurement. */
  memorySteps: number;
  /** Concurrent runs on one signal, steps each. */
  concurrent: { runs: number; steps: number };
}

export interface ClientOnlyReport {
  paired: Array<{
    steps: number;
    floor: number[];
    plumb: number[];
    ratios: number[];
    cold: [number, number];
  }>;
  perStep: Array<{ steps: number; msPerStep: number[] }>;
  memory: { steps: number; floorBytesPerStep: number[]; plumbBytesPerStep: number[] };
  promises: { steps: number; floorPerStep: number; plumbPerStep: number };
  concurrent: {
    runs: number;
    steps: number;
    floorMs: number;
    plumbMs: number;
    maxListeners: number;
    warnings: string[];
  };
}

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('client-only-child needs --expose-gc');

/** How often memory held per step is measured (each loop, alternating). */
const MEMORY_REPEATS = 5;
/** Steps of the runs whose promises are counted. */
const PROMISE_STEPS = 100;

/**
 * Milliseconds of CPU time (user + system, the whole process) that `task` took. CPU time, not
 * wall time: without a network every step is client work, and on a shared machine the wall clock
 * also counts the time other processes held the cores.
 */
async function timed(task: () => Promise<unknown>): Promise<number> {
  collectGarbage();
  const start = process.cpuUsage();
  await task();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** Wall-clock milliseconds of `task` (the concurrent runs, where waiting is part of the cost). */
async function wall(task: () => Promise<unknown>): Promise<number> {
  collectGarbage();
  const start = performance.now();
  await task();
  return performance.now() - start;
}

async function paired(steps: number, rounds: number, warmups: number) {
  const floor: number[] = [];
  const plumb: number[] = [];
  const ratios: number[] = [];
  let cold: [number, number] = [0, 0];
  for (let round = 0; round < warmups + rounds; round++) {
    // Alternate who goes first, so neither always runs on the other's garbage or warm caches.
    let f: number;
    let p: number;
    if (round % 2 === 0) {
      f = await timed(() => floorRun(steps));
      p = await timed(() => plumbRun(steps));
    } else {
      p = await timed(() => plumbRun(steps));
      f = await timed(() => floorRun(steps));
    }
    if (round === 0) cold = [f / steps, p / steps];
    if (round < warmups) continue;
    floor.push(f / steps);
    plumb.push(p / steps);
    ratios.push(p / f);
  }
  return { steps, floor, plumb, ratios, cold };
}

async function heldPerStep(steps: number, run: () => Promise<unknown>): Promise<number> {
  // The bare gc() here, not collectGarbage(): a heap size wants the fullest collection, and
  // nothing is timed.
  gc!();
  gc!();
  const before = process.memoryUsage().heapUsed;
  const kept = await run();
  gc!();
  gc!();
  const after = process.memoryUsage().heapUsed;
  if (kept === undefined) throw new Error('nothing kept');
  return (after - before) / steps;
}

/** Promises created per step by `run` (async_hooks `init` of type PROMISE), after a warm-up run. */
async function promisesPerStep(steps: number, run: () => Promise<unknown>): Promise<number> {
  await run();
  let count = 0;
  const hook = createHook({
    init(_id, type) {
      if (type === 'PROMISE') count++;
    },
  });
  hook.enable();
  try {
    await run();
  } finally {
    hook.disable();
  }
  return count / steps;
}

async function concurrent(count: number, steps: number) {
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
  process.on('warning', onWarning);
  try {
    const controller = new AbortController();
    let maxListeners = 0;
    const sample = setInterval(() => {
      maxListeners = Math.max(maxListeners, getEventListeners(controller.signal, 'abort').length);
    }, 1);
    const floorMs = await wall(() =>
      Promise.all(Array.from({ length: count }, () => floorRun(steps, controller.signal))),
    );
    let plumbMax = 0;
    const plumbMs = await wall(async () => {
      const all = Array.from({ length: count }, () => plumbRun(steps, controller.signal));
      plumbMax = getEventListeners(controller.signal, 'abort').length;
      await Promise.all(all);
    });
    clearInterval(sample);
    await new Promise((resolve) => setImmediate(resolve));
    return {
      runs: count,
      steps,
      floorMs,
      plumbMs,
      maxListeners: Math.max(maxListeners, plumbMax),
      warnings: [...new Set(warnings)],
    };
  } finally {
    process.off('warning', onWarning);
  }
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as ClientOnlyConfig;
  const report: ClientOnlyReport = {
    paired: [],
    perStep: [],
    memory: { steps: config.memorySteps, floorBytesPerStep: [], plumbBytesPerStep: [] },
    promises: { steps: PROMISE_STEPS, floorPerStep: 0, plumbPerStep: 0 },
    concurrent: { runs: 0, steps: 0, floorMs: 0, plumbMs: 0, maxListeners: 0, warnings: [] },
  };
  for (const { steps, rounds } of config.paired) {
    process.stderr.write(`  client-only: paired rounds at ${steps} steps\n`);
    const warmups = Math.max(config.warmups, Math.ceil(config.warmupSteps / steps));
    report.paired.push(await paired(steps, rounds, warmups));
  }
  for (const { steps, runs: count } of config.perStep) {
    process.stderr.write(`  client-only: plumb per-step cost at ${steps} steps\n`);
    const msPerStep: number[] = [];
    for (let i = 0; i < count; i++) msPerStep.push((await timed(() => plumbRun(steps))) / steps);
    report.perStep.push({ steps, msPerStep });
  }
  process.stderr.write('  client-only: memory held per step\n');
  for (let i = 0; i < MEMORY_REPEATS; i++) {
    const { memory } = report;
    memory.floorBytesPerStep.push(await heldPerStep(memory.steps, () => floorRun(memory.steps)));
    memory.plumbBytesPerStep.push(await heldPerStep(memory.steps, () => plumbRun(memory.steps)));
  }
  process.stderr.write('  client-only: promises per step\n');
  report.promises.floorPerStep = await promisesPerStep(PROMISE_STEPS, () => floorRun(PROMISE_STEPS));
  report.promises.plumbPerStep = await promisesPerStep(PROMISE_STEPS, () => plumbRun(PROMISE_STEPS));
  process.stderr.write(`  client-only: ${config.concurrent.runs} concurrent runs on one signal\n`);
  report.concurrent = await concurrent(config.concurrent.runs, config.concurrent.steps);
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `client-only-child: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
