import type { LoopSpec } from '../bench-script.js';
import type { BenchContext } from '../context.js';
import type { LoopMode } from '../frameworks/types.js';
import { type Candidate, measureInterleaved } from '../measure.js';
import { buildRows, skippedRows } from '../rows.js';
import type { Row } from '../table.js';

/** plumb's goal (issue 14): no slower per step than the hand-written floor. */
export const LOOP_GOAL = 1.0;

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
  const candidates: Candidate[] = runners.map((runner) => ({
    key: runner.label,
    run: async () => (await runner.remote.loop(runner.label, mode, spec)) / spec.steps,
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
  return [...rows, ...skippedRows(scenario, 'ms/step', context.frameworks)];
}
