import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ClientOnlyConfig, ClientOnlyReport } from '../client-only-child.js';
import type { BenchContext } from '../context.js';
import { errorText } from '../measure.js';
import { ratio, type Summary, summarize } from '../stats.js';
import type { Row } from '../table.js';

/** Goals (docs/performance.md): client work at most the minimal loop's, per-step cost flat. */
const CLIENT_ONLY_GOAL = 1.0;
/** "Flat": the per-step cost at the longest run at most this multiple of the 10-step cost. */
const FLAT_GOAL = 1.25;
/** Step counts whose client-only ratio is judged. */
const JUDGED_STEPS = new Set([100, 1000]);

const FULL_CONFIG: ClientOnlyConfig = {
  paired: [
    { steps: 10, rounds: 30 },
    { steps: 100, rounds: 15 },
    { steps: 1000, rounds: 3 },
  ],
  warmups: 3,
  warmupSteps: 3000,
  perStep: [
    { steps: 10, runs: 30 },
    { steps: 100, runs: 10 },
    { steps: 1000, runs: 3 },
    { steps: 10_000, runs: 3 },
  ],
  memorySteps: 1000,
  concurrent: { runs: 1000, steps: 3 },
};

const SHORT_CONFIG: ClientOnlyConfig = {
  paired: [
    { steps: 10, rounds: 2 },
    { steps: 100, rounds: 1 },
  ],
  warmups: 1,
  warmupSteps: 0,
  perStep: [
    { steps: 10, runs: 2 },
    { steps: 100, runs: 1 },
  ],
  memorySteps: 50,
  concurrent: { runs: 50, steps: 2 },
};

const CHILD = fileURLToPath(new URL('../client-only-child.ts', import.meta.url));

/** Runs the child (plumb from its built dist: no @plumb/source condition) and reads its report. */
function runChild(config: ClientOnlyConfig, timeoutMs: number): Promise<ClientOnlyReport> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--expose-gc', '--import', import.meta.resolve('tsx'), CHILD, JSON.stringify(config)],
      { timeout: timeoutMs, maxBuffer: 16 * 2 ** 20 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${error.message} ${stderr.split('\n').slice(-4).join(' ')}`));
        else resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ClientOnlyReport);
      },
    );
  });
}

const one = (value: number): Summary => summarize([value]);

/**
 * Client-only work, without a network: `Agent.run()` against the minimal streaming loop, both on
 * an in-process fake `fetch` (client-only-child.ts), CPU time per step, ratios paired per round.
 */
export async function clientOnlyScenario(context: BenchContext): Promise<Row[]> {
  const short = context.counts === undefined || context.counts.loopSteps < 100;
  const config = short ? SHORT_CONFIG : FULL_CONFIG;
  context.log('client-only work (in-process fake fetch, CPU time):');
  if (!context.dist.ok) {
    return [{ scenario: 'client-only', framework: 'plumb', unit: '', error: context.dist.error }];
  }
  let report: ClientOnlyReport;
  try {
    report = await runChild(config, short ? 60_000 : 15 * 60_000);
  } catch (error) {
    return [{ scenario: 'client-only', framework: 'plumb Agent.run()', unit: '', error: errorText(error) }];
  }
  const rows: Row[] = [];
  for (const { steps, floor, plumb, ratios, cold } of report.paired) {
    const scenario = `client-only, ${steps} steps (fake fetch, CPU)`;
    const floorSummary = summarize(floor);
    const plumbSummary = summarize(plumb);
    const ratioSummary = summarize(ratios);
    const judged = JUDGED_STEPS.has(steps);
    rows.push(
      {
        scenario,
        framework: 'floor: minimal streaming loop',
        unit: 'ms/step',
        summary: floorSummary,
        ratio: 1,
        reference: 'floor',
      },
      {
        scenario,
        framework: 'plumb Agent.run()',
        unit: 'ms/step',
        summary: plumbSummary,
        ratio: ratio(plumbSummary.median, floorSummary.median),
        reference: 'floor',
      },
      {
        scenario,
        framework: 'plumb / floor, paired per round',
        unit: 'x',
        summary: ratioSummary,
        ratio: ratioSummary.median,
        reference: 'floor',
        goal: judged
          ? { text: `<= ${CLIENT_ONLY_GOAL}x floor`, met: ratioSummary.median <= CLIENT_ONLY_GOAL }
          : undefined,
      },
    );
    if (steps === report.paired[0]?.steps) {
      const coldScenario = `client-only, ${steps} steps, cold (first run of a fresh process)`;
      rows.push(
        {
          scenario: coldScenario,
          framework: 'floor: minimal streaming loop',
          unit: 'ms/step',
          summary: one(cold[0]),
          ratio: 1,
          reference: 'floor',
        },
        {
          scenario: coldScenario,
          framework: 'plumb Agent.run()',
          unit: 'ms/step',
          summary: one(cold[1]),
          ratio: ratio(cold[1], cold[0]),
          reference: 'floor',
        },
      );
    }
  }
  const base = report.perStep[0];
  const baseMedian = base === undefined ? undefined : summarize(base.msPerStep).median;
  const longest = report.perStep[report.perStep.length - 1]?.steps;
  for (const { steps, msPerStep } of report.perStep) {
    const summary = summarize(msPerStep);
    const value = ratio(summary.median, baseMedian);
    rows.push({
      scenario: 'client-only, per-step cost of Agent.run() (CPU)',
      framework: `plumb, ${steps} steps`,
      unit: 'ms/step',
      summary,
      ratio: value,
      reference: `${base?.steps ?? 10} steps`,
      goal:
        steps === longest && steps !== base?.steps
          ? {
              text: `<= ${FLAT_GOAL}x ${base?.steps} steps (flat)`,
              met: value !== undefined && value <= FLAT_GOAL,
            }
          : undefined,
    });
  }
  const { memory, concurrent } = report;
  const memoryScenario = `memory held per step after a ${memory.steps}-step run (heap after GC)`;
  rows.push(
    {
      scenario: memoryScenario,
      framework: 'floor: minimal streaming loop',
      unit: 'B/step',
      summary: summarize(memory.floorBytesPerStep),
      ratio: 1,
      reference: 'floor',
    },
    {
      scenario: memoryScenario,
      framework: 'plumb Agent.run() (result kept)',
      unit: 'B/step',
      summary: summarize(memory.plumbBytesPerStep),
      ratio: ratio(summarize(memory.plumbBytesPerStep).median, summarize(memory.floorBytesPerStep).median),
      reference: 'floor',
    },
  );
  const { promises } = report;
  const promiseScenario = `async work: promises created per step of a ${promises.steps}-step run`;
  rows.push(
    {
      scenario: promiseScenario,
      framework: 'floor: minimal streaming loop',
      unit: '/step',
      summary: one(promises.floorPerStep),
      ratio: 1,
      reference: 'floor',
    },
    {
      scenario: promiseScenario,
      framework: 'plumb Agent.run()',
      unit: '/step',
      summary: one(promises.plumbPerStep),
      ratio: ratio(promises.plumbPerStep, promises.floorPerStep),
      reference: 'floor',
    },
  );
  const concurrentScenario = `${concurrent.runs} concurrent runs of ${concurrent.steps} steps on one signal (wall)`;
  rows.push(
    {
      scenario: concurrentScenario,
      framework: 'floor: minimal streaming loop',
      unit: 'ms',
      summary: one(concurrent.floorMs),
      ratio: 1,
      reference: 'floor',
    },
    {
      scenario: concurrentScenario,
      framework: 'plumb Agent.run()',
      unit: 'ms',
      summary: one(concurrent.plumbMs),
      ratio: ratio(concurrent.plumbMs, concurrent.floorMs),
      reference: 'floor',
    },
    {
      scenario: concurrentScenario,
      framework: 'plumb: abort listeners on the caller signal (max)',
      unit: '',
      summary: one(concurrent.maxListeners),
      goal: {
        text: '1 listener, no warning',
        met: concurrent.maxListeners <= 1 && concurrent.warnings.length === 0,
      },
      note: concurrent.warnings.length > 0 ? `warnings: ${concurrent.warnings.join('; ')}` : undefined,
    },
  );
  return rows;
}
