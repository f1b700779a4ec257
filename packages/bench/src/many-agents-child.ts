/**
 * Child process of the many-agents scenario: loads ONE framework (so the process's memory is that
 * framework's), runs one warm-up loop, then `concurrency` loops of `steps` steps at once, and
 * reports the wall time and memory over IPC. Started by scenarios/many-agents.ts.
 */
import { type LoopSpec, loopAnswer } from './bench-script.js';
import { FRAMEWORKS } from './frameworks/registry.js';
import type { Target } from './frameworks/types.js';
import { printWarningsOnce } from './warnings.js';

/** What the parent passes as the single argument (JSON). */
export interface ManyAgentsConfig {
  framework: string;
  /** The label of the loop to run, when not the framework's agent loop (the floor's node:http loop). */
  loop?: string | undefined;
  target: Target;
  concurrency: number;
  steps: number;
}

/** What the child reports. */
export interface ManyAgentsResult {
  type: 'result';
  elapsedMs: number;
  /** `process.resourceUsage().maxRSS`: the process's peak resident memory. */
  peakRssMB: number;
  /** Resident memory just before the concurrent runs started. */
  rssBeforeMB: number;
  /** Highest V8 heapUsed sampled every 20 ms during the runs. */
  peakHeapMB: number;
}

const MB = 1024 * 1024;

async function main(): Promise<void> {
  process.on('disconnect', () => process.exit(1)); // the parent went away (Ctrl-C, crash)
  const config = JSON.parse(process.argv[2] ?? '{}') as ManyAgentsConfig;
  printWarningsOnce(config.framework);
  const entry = FRAMEWORKS.find((candidate) => candidate.name === config.framework);
  if (entry === undefined) throw new Error(`unknown framework ${config.framework}`);
  const framework = (await entry.load())(config.target, {});
  const loop =
    config.loop === undefined
      ? framework.agentLoop
      : framework.loops.find((candidate) => candidate.label === config.loop);
  if (loop === undefined) throw new Error(`${config.framework} has no loop ${config.loop}`);
  const spec: LoopSpec = { steps: config.steps, calls: 1, tool: 'step', ms: 0 };
  const expected = loopAnswer(spec);
  const check = (answer: string) => {
    if (answer !== expected) throw new Error(`final answer ${JSON.stringify(answer)}, expected ${expected}`);
  };
  check(await loop.run(spec));

  const rssBefore = process.memoryUsage.rss();
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 20);
  const start = performance.now();
  const answers = await Promise.all(Array.from({ length: config.concurrency }, () => loop.run(spec)));
  const elapsedMs = performance.now() - start;
  clearInterval(sampler);
  answers.forEach(check);
  const result: ManyAgentsResult = {
    type: 'result',
    elapsedMs,
    peakRssMB: (process.resourceUsage().maxRSS * 1024) / MB,
    rssBeforeMB: rssBefore / MB,
    peakHeapMB: peakHeap / MB,
  };
  process.send?.(result, () => process.exit(0));
}

main().catch((error: unknown) => {
  process.stderr.write(`many-agents child: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
