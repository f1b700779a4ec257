import type { LoopSpec } from '../bench-script.js';
import type { BenchContext } from '../context.js';
import { TRACED_LABEL } from '../frameworks/plumb.js';
import { type Candidate, measureInterleaved } from '../measure.js';
import { medianPairedRatio } from '../paired.js';
import { buildRows } from '../rows.js';
import type { Row } from '../table.js';

/** The goal: tracing on (no-op exporter) costs under 5% of the tool loop. */
export const TELEMETRY_GOAL = 1.05;

const PLAIN_LABEL = 'plumb Agent.run()';

/**
 * The overhead of OpenTelemetry tracing: the streaming tool loop of `loopSteps` turns run by the
 * same agent with telemetry off and on (a real SDK tracer: BasicTracerProvider, BatchSpanProcessor
 * as in production, an exporter that drops the batches), in the same framework process, back to
 * back in each round (the order alternates). The ratio is the median of the per-round ratios
 * (paired.ts): the load of a shared machine drifts between rounds, and a ratio of medians over
 * different rounds would keep that drift. Twice the tool loop's rounds, as the goal is a 5% margin.
 */
export async function telemetryScenario(context: BenchContext): Promise<Row[]> {
  const spec: LoopSpec = { steps: context.counts.loopSteps, calls: 1, tool: 'step', ms: 0 };
  const scenario = `telemetry overhead, tool loop of ${spec.steps} steps`;
  context.log(`${scenario}:`);
  const remote = context.frameworks.find(({ entry }) => entry.name === 'plumb')?.remote;
  if (remote === undefined) return [];
  const candidates: Candidate[] = [PLAIN_LABEL, TRACED_LABEL].map((label) => ({
    key: label,
    run: async () => (await remote.loop(label, 'stream', spec)) / spec.steps,
  }));
  const outcomes = await measureInterleaved(
    candidates,
    {
      runs: context.counts.loopRuns * 2,
      warmups: context.counts.loopWarmups,
      timeoutMs: context.counts.runTimeoutMs,
      server: context.server,
    },
    context.log,
  );
  const rows = buildRows(
    {
      scenario,
      unit: 'ms/step',
      reference: { key: PLAIN_LABEL, name: 'telemetry off' },
      goal: { text: `<= ${TELEMETRY_GOAL}x telemetry off`, met: (value) => value <= TELEMETRY_GOAL },
    },
    [{ key: PLAIN_LABEL, label: 'plumb Agent.run(), telemetry off' }, { key: TRACED_LABEL }],
    outcomes,
  );
  const plain = outcomes.get(PLAIN_LABEL);
  const traced = outcomes.get(TRACED_LABEL);
  // Paired only when both ran every round (an error stops a candidate: the rounds no longer pair).
  if (
    plain &&
    traced &&
    'samples' in plain &&
    'samples' in traced &&
    plain.samples.length === traced.samples.length
  ) {
    const paired = medianPairedRatio(traced.samples, plain.samples);
    const row = rows.find((each) => each.framework === TRACED_LABEL);
    if (row !== undefined && paired !== undefined && row.goal !== undefined) {
      row.ratio = paired;
      row.reference = 'telemetry off (median of per-round ratios)';
      row.goal = { ...row.goal, met: paired <= TELEMETRY_GOAL };
    }
  }
  return rows;
}
