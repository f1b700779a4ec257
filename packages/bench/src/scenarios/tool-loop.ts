import type { LoopSpec } from '../bench-script.js';
import type { BenchContext } from '../context.js';
import type { LoopMode } from '../frameworks/types.js';
import { type Candidate, measureInterleaved, type Outcome } from '../measure.js';
import { pairedRatios } from '../paired.js';
import { buildRows, skippedRows } from '../rows.js';
import { summarize } from '../stats.js';
import type { Row } from '../table.js';

/** plumb's goal (issue 14): no slower per step than the hand-written floor. */
const LOOP_GOAL = 1.0;

/**
 * Scenario 1: a tool loop of `loopSteps` turns with one `step` call each, then a final answer,
 * per mode (non-streaming, streaming). Reports ms per step (total / steps) and the ratio to the
 * floor of the same mode.
 */
export async function toolLoopScenario(context: BenchContext): Promise<Row[]> {
  const spec: LoopSpec = { steps: context.counts.loopSteps, calls: 1, tool: 'step', ms: 0 };
  const rows: Row[] = [];
  for (const mode of ['non-stream', 'stream'] as const)
    rows.push(...(await measureMode(context, spec, mode)));
  return rows;
}

async function measureMode(context: BenchContext, spec: LoopSpec, mode: LoopMode): Promise<Row[]> {
  const scenario = `tool loop, ${spec.steps} steps, ${mode === 'stream' ? 'streaming' : 'non-streaming'}`;
  context.log(`${scenario}:`);
  const runners = context.frameworks.flatMap(({ remote }) =>
    remote === undefined
      ? []
      : remote.loops.filter((loop) => loop.mode === mode).map((loop) => ({ ...loop, remote })),
  );
  // CPU time of the framework's process per run, every run in order (warm-ups first): the client's
  // own work, which the load of a shared machine does not inflate the way it does wall time.
  const cpu = new Map<string, number[]>(runners.map((runner) => [runner.label, []]));
  const candidates: Candidate[] = runners.map((runner) => ({
    key: runner.label,
    run: async () => {
      const { ms, cpuMs } = await runner.remote.loopTimed(runner.label, mode, spec);
      cpu.get(runner.label)!.push(cpuMs / spec.steps);
      return ms / spec.steps;
    },
  }));
  const outcomes = await measureInterleaved(
    candidates,
    {
      runs: context.counts.loopRuns,
      warmups: context.counts.loopWarmups,
      timeoutMs: context.counts.runTimeoutMs,
      server: context.server,
    },
    context.log,
  );
  const floor = runners.find((runner) => runner.label.startsWith('floor'));
  const rows = buildRows(
    {
      scenario,
      unit: 'ms/step',
      reference: { key: floor?.label ?? 'floor', name: 'floor' },
      goal: { text: `<= ${LOOP_GOAL}x floor`, met: (value) => value <= LOOP_GOAL },
    },
    runners.map((runner) => ({ key: runner.label, note: runner.note, notJudged: runner.notJudged })),
    outcomes,
  );
  const cpuOutcomes = new Map<string, Outcome>();
  for (const runner of runners) {
    const outcome = outcomes.get(runner.label);
    const runs = cpu.get(runner.label)!;
    // Only the runs whose wall sample was kept (a failed candidate is left out).
    if (outcome === undefined || 'error' in outcome) continue;
    cpuOutcomes.set(runner.label, {
      samples: runs.slice(context.counts.loopWarmups, context.counts.loopWarmups + outcome.samples.length),
      first: runs[0],
    });
  }
  const cpuScenario = `${scenario} (CPU time of the client process)`;
  const cpuRows = buildRows(
    { scenario: cpuScenario, unit: 'ms/step', reference: { key: floor?.label ?? 'floor', name: 'floor' } },
    runners.map((runner) => ({ key: runner.label, note: runner.note })),
    cpuOutcomes,
  );
  return [
    ...rows,
    ...pairedRows(scenario, runners, outcomes),
    ...cpuRows,
    ...pairedRows(cpuScenario, runners, cpuOutcomes, false),
    ...skippedRows(scenario, 'ms/step', context.frameworks),
  ];
}
/**
 * Every plumb row against every floor of its mode (fetch, node:http), as ratios taken inside each
 * round (the two runs adjacent in time) and summarized over the rounds: median and spread. Then
 * the same for the first run of each (cold: a single ratio). The goal is judged (`judge`) on the
 * warm paired median against each floor.
 */
export function pairedRows(
  scenario: string,
  runners: ReadonlyArray<{ label: string; notJudged?: string | undefined }>,
  outcomes: Map<string, Outcome>,
  judge = true,
): Row[] {
  const floors = runners.filter((runner) => runner.label.startsWith('floor'));
  const rows: Row[] = [];
  for (const cold of [false, true]) {
    for (const runner of runners) {
      if (!runner.label.startsWith('plumb')) continue;
      const own = outcomes.get(runner.label);
      for (const floor of floors) {
        const base = outcomes.get(floor.label);
        if (own === undefined || base === undefined || 'error' in own || 'error' in base) continue;
        const ratios = cold
          ? own.first !== undefined && base.first !== undefined && base.first > 0
            ? [own.first / base.first]
            : []
          : pairedRatios(own.samples, base.samples);
        if (ratios.length === 0) continue;
        const summary = summarize(ratios);
        const judged = judge && !cold && runner.notJudged === undefined;
        rows.push({
          scenario: `${scenario}, ${cold ? 'cold (first run), ' : ''}paired per round`,
          framework: `${runner.label} / ${floor.label}`,
          unit: 'x',
          summary,
          ratio: summary.median,
          reference: 'floor',
          goal: judged ? { text: `<= ${LOOP_GOAL}x floor`, met: summary.median <= LOOP_GOAL } : undefined,
        });
      }
    }
  }
  return rows;
}
