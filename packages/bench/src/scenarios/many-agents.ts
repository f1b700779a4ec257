import type { BenchContext } from '../context.js';
import { forkTs, nextMessage } from '../fork.js';
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

/** Runs one framework's concurrent loops in a fresh child process (plumb from its built dist). */
async function runChild(context: BenchContext, entry: FrameworkEntry): Promise<ManyAgentsResult> {
  const config: ManyAgentsConfig = {
    framework: entry.name,
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
      `many agents (${entry.name})`,
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
  const entries = context.frameworks.map((loaded) => loaded.entry);
  const outcomes: Record<Metric, Map<string, Outcome>> = {
    time: new Map(),
    peak: new Map(),
    growth: new Map(),
  };
  for (const entry of entries) {
    const blocked = entry.name === 'plumb' && !context.dist.ok ? context.dist.error : undefined;
    for (const metric of METRICS)
      outcomes[metric].set(entry.name, blocked ? { error: blocked } : { samples: [] });
  }
  for (let round = 0; round < manyRuns; round++) {
    for (let offset = 0; offset < entries.length; offset++) {
      const entry = entries[(round + offset) % entries.length]!;
      if ('error' in outcomes.time.get(entry.name)!) continue;
      try {
        const result = await runChild(context, entry);
        push(outcomes.time, entry.name, result.elapsedMs);
        push(outcomes.peak, entry.name, result.peakRssMB);
        push(outcomes.growth, entry.name, result.peakRssMB - result.rssBeforeMB);
      } catch (error) {
        await context.server.reset().catch(() => undefined);
        for (const metric of METRICS) outcomes[metric].set(entry.name, { error: errorText(error) });
        context.log(`  ${entry.name}: FAILED: ${errorText(error)}`);
      }
    }
    context.log(`  round ${round + 1}/${manyRuns} done`);
  }
  const rowEntries = entries.map((entry) => ({ key: entry.name, label: agentLabel(context, entry) }));
  const reference = { key: 'floor', name: 'floor' };
  // plumb against the floor round by round (the two processes of a round run one after the other).
  const byName = entries.map((entry) => ({ label: entry.name }));
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

function agentLabel(context: BenchContext, entry: FrameworkEntry): string {
  const loaded = context.frameworks.find((candidate) => candidate.entry === entry);
  return loaded?.remote?.agentLoop.label ?? entry.name;
}

function push(map: Map<string, Outcome>, key: string, sample: number): void {
  const outcome = map.get(key);
  if (outcome !== undefined && 'samples' in outcome) outcome.samples.push(sample);
}
