import type { LoopSpec } from '../bench-script.js';
import type { BenchContext } from '../context.js';
import { NODE_STREAM_FLOOR_LABEL } from '../frameworks/floor.js';
import { type Candidate, measureInterleaved } from '../measure.js';
import { buildRows, skippedRows } from '../rows.js';
import type { Row } from '../table.js';
import { pairedRows } from './tool-loop.js';

const PARALLEL_CALLS = 8;
const TOOL_MS = 100;
/** plumb's goal: the 8 calls overlap, so the run takes about one call (<= 1.5x 100 ms), not 8. */
const PARALLEL_GOAL = 1.5;

/**
 * Scenario 5: one turn with 8 calls of a 100 ms tool, then the final answer. Reports the wall
 * time of the whole run (two model requests included) and its ratio to 100 ms (absolute).
 */
export async function parallelToolsScenario(context: BenchContext): Promise<Row[]> {
  const spec: LoopSpec = { steps: 1, calls: PARALLEL_CALLS, tool: 'wait', ms: TOOL_MS };
  const scenario = `parallel tools, ${PARALLEL_CALLS} x ${TOOL_MS} ms in one turn`;
  context.log(`${scenario}:`);
  // Each framework's agent loop, and the floor's node:http loop beside its fetch one.
  const runners = context.frameworks.flatMap(({ remote }) => {
    if (remote === undefined) return [];
    const own = [{ label: remote.agentLoop.label, run: () => remote.agent(spec) }];
    const node = remote.loops.find((loop) => loop.label === NODE_STREAM_FLOOR_LABEL);
    if (node !== undefined)
      own.push({ label: node.label, run: () => remote.loop(node.label, node.mode, spec) });
    return own;
  });
  const candidates: Candidate[] = runners.map((runner) => ({ key: runner.label, run: runner.run }));
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
  return [
    ...buildRows(
      {
        scenario,
        unit: 'ms',
        reference: { value: TOOL_MS, name: `${TOOL_MS} ms` },
        goal: { text: `<= ${PARALLEL_GOAL}x ${TOOL_MS} ms`, met: (value) => value <= PARALLEL_GOAL },
      },
      runners.map((runner) => ({ key: runner.label })),
      outcomes,
    ),
    // plumb against the floor round by round (adjacent runs): median and spread of the ratios.
    ...pairedRows(scenario, runners, outcomes, false),
    ...skippedRows(scenario, 'ms', context.frameworks),
  ];
}
