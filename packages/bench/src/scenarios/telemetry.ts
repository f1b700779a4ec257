import type { LoopSpec } from '../bench-script.js';
import type { BenchContext } from '../context.js';
import { TRACED_LABEL } from '../frameworks/plumb.js';
import { type Candidate, measureInterleaved } from '../measure.js';
import { buildRows } from '../rows.js';
import type { Row } from '../table.js';

/** The goal: tracing on (no-op exporter) costs under 5% of the tool loop. */
export const TELEMETRY_GOAL = 1.05;

const PLAIN_LABEL = 'plumb Agent.run()';

/**
 * The overhead of OpenTelemetry tracing: the streaming tool loop of `loopSteps` turns run by the
 * same agent with telemetry off and on (a real SDK tracer, spans exported nowhere), interleaved.
 * Reports ms per step and the ratio of the traced run to the plain one.
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
      runs: context.counts.loopRuns,
      warmups: context.counts.loopWarmups,
      timeoutMs: context.counts.runTimeoutMs,
      server: context.server,
    },
    context.log,
  );
  return buildRows(
    {
      scenario,
      unit: 'ms/step',
      reference: { key: PLAIN_LABEL, name: 'telemetry off' },
      goal: { text: `<= ${TELEMETRY_GOAL}x telemetry off`, met: (value) => value <= TELEMETRY_GOAL },
    },
    [{ key: PLAIN_LABEL, label: 'plumb Agent.run(), telemetry off' }, { key: TRACED_LABEL }],
    outcomes,
  );
}
