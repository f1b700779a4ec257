import type { BenchContext } from '../context.js';
import { forkTs, nextMessage } from '../fork.js';
import { NODE_STREAM_FLOOR_LABEL } from '../frameworks/floor.js';
import type { FrameworkEntry } from '../frameworks/registry.js';
import type { ManyAgentsConfig, ManyAgentsResult } from '../many-agents-child.js';
import { errorText, type Outcome } from '../measure.js';
import { buildRows } from '../rows.js';
import type { Row } from '../table.js';
import { pairedRows } from './tool-loop.js';

type Metric = 'time' | 'peak' | 'growth';
const METRICS: Metric[] = ['time', 'peak', 'growth'];

function isResult(message: unknown): message is ManyAgentsResult {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'result';
}

/** Who runs: a framework's agent loop, or (the floor's node:http loop) another of its loops. */
interface Participant {
  /** Row key, and the name in paired rows (`floor...` and `plumb...` are paired). */
  key: string;
  label: string;
  entry: FrameworkEntry;
  loop?: string | undefined;
}

/** Runs one framework's concurrent loops in a fresh child process (plumb from its built dist). */
async function runChild(context: BenchContext, participant: Participant): Promise<ManyAgentsResult> {
  const { entry } = participant;
  const config: ManyAgentsConfig = {
    framework: entry.name,
    loop: participant.loop,
    target: context.target,
    concurrency: context.counts.manyAgents,
    steps: context.counts.manySteps,
  };
  const child = forkTs('./many-agents-child.ts', [JSON.stringify(config)], { source: false });
  try {
    const result = await nextMessage(
      child,
      isResult,
      context.counts.runTimeoutMs,
      `many agents (${participant.key})`,
    );
    const report = await context.server.reset();
    if (report.failures.length > 0) throw new Error(`emulator: ${report.failures[0]}`);
    return result;
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

/**
 * Scenario 4: `manyAgents` concurrent agent loops of `manySteps` steps (streaming), each framework
 * in its own fresh process so its peak memory (`maxRSS`) is its own. Reports total wall time,
 * peak RSS and RSS growth during the runs, with ratios to the floor.
 */
export async function manyAgentsScenario(context: BenchContext): Promise<Row[]> {
  const { manyAgents, manySteps, manyRuns } = context.counts;
  const scenario = `many agents, ${manyAgents} x ${manySteps} steps`;
  context.log(`${scenario}:`);
  const participants: Participant[] = context.frameworks.map((loaded) => ({
    key: loaded.entry.name,
    label: loaded.remote?.agentLoop.label ?? loaded.entry.name,
    entry: loaded.entry,
  }));
  // The floor's node:http loop too: plumb's agent runs on node:http by default.
  const floor = context.frameworks.find((loaded) => loaded.entry.name === 'floor');
  if (floor?.remote?.loops.some((loop) => loop.label === NODE_STREAM_FLOOR_LABEL)) {
    participants.splice(participants.findIndex((each) => each.key === 'floor') + 1, 0, {
      key: 'floor (node:http)',
      label: NODE_STREAM_FLOOR_LABEL,
      entry: floor.entry,
      loop: NODE_STREAM_FLOOR_LABEL,
    });
  }
  const outcomes: Record<Metric, Map<string, Outcome>> = {
    time: new Map(),
    peak: new Map(),
    growth: new Map(),
  };
  for (const { key, entry } of participants) {
    const blocked = entry.name === 'plumb' && !context.dist.ok ? context.dist.error : undefined;
    for (const metric of METRICS) outcomes[metric].set(key, blocked ? { error: blocked } : { samples: [] });
  }
  for (let round = 0; round < manyRuns; round++) {
    for (let offset = 0; offset < participants.length; offset++) {
      const participant = participants[(round + offset) % participants.length]!;
      const { key } = participant;
      if ('error' in outcomes.time.get(key)!) continue;
      try {
        const result = await runChild(context, participant);
        push(outcomes.time, key, result.elapsedMs);
        push(outcomes.peak, key, result.peakRssMB);
        push(outcomes.growth, key, result.peakRssMB - result.rssBeforeMB);
      } catch (error) {
        await context.server.reset().catch(() => undefined);
        for (const metric of METRICS) outcomes[metric].set(key, { error: errorText(error) });
        context.log(`  ${key}: FAILED: ${errorText(error)}`);
      }
    }
    context.log(`  round ${round + 1}/${manyRuns} done`);
  }
  const rowEntries = participants.map(({ key, label }) => ({ key, label }));
  const reference = { key: 'floor', name: 'floor' };
  // plumb against each floor round by round (the processes of a round run one after the other).
  const byName = participants.map(({ key }) => ({ label: key }));
  return [
    ...buildRows({ scenario: `${scenario}: total time`, unit: 'ms', reference }, rowEntries, outcomes.time),
    ...pairedRows(`${scenario}: total time`, byName, outcomes.time, false),
    ...buildRows({ scenario: `${scenario}: peak RSS`, unit: 'MB', reference }, rowEntries, outcomes.peak),
    ...pairedRows(`${scenario}: peak RSS`, byName, outcomes.peak, false),
    ...buildRows(
      { scenario: `${scenario}: RSS growth during the runs`, unit: 'MB', reference },
      rowEntries,
      outcomes.growth,
    ),
  ];
}

function push(map: Map<string, Outcome>, key: string, sample: number): void {
  const outcome = map.get(key);
  if (outcome !== undefined && 'samples' in outcome) outcome.samples.push(sample);
}
