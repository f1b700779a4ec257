import type { EmulatorProcess } from './emulator-process.js';

/** One thing measured repeatedly: `run` resolves with the sample (e.g. elapsed ms). */
export interface Candidate {
  key: string;
  run(): Promise<number>;
}

/**
 * Samples per candidate (measured rounds only), and the first run's sample (the first warm-up
 * round: the first run of this candidate in its process), or why it failed (the first error; it is
 * not run again after one).
 */
export type Outcome = { samples: number[]; first?: number | undefined } | { error: string };

export interface MeasureOptions {
  warmups: number;
  runs: number;
  /** A run that takes longer than this fails (bounded time). */
  timeoutMs: number;
  server: EmulatorProcess;
}

/** V8's options for `gc()`: a regular full collection (see collectGarbage). */
const REGULAR_MAJOR_GC = { type: 'major', execution: 'sync', flavor: 'regular' } as const;

/**
 * A full GC before a measured run (when Node runs with --expose-gc, as the bench's processes do),
 * so garbage of an earlier run is not collected on this one's time. A *regular* full collection:
 * the bare `gc()` is V8's last-resort one, which also throws compiled code away, so the run after
 * it compiles again (by hand on 2026-12-02, a warm 100-step client-only loop: plumb 88 -> 247 us
 * per step, the minimal loop 68 -> 118, and ten times the optimizations of a run without it).
 * Runs right after a forced GC measured that, not the framework. (Node without the option object
 * ignores it and does a bare `gc()`.)
 */
export function collectGarbage(): void {
  (globalThis as { gc?: (options?: object) => void }).gc?.(REGULAR_MAJOR_GC);
}

/** Elapsed milliseconds of `task` (started now). */
export async function time(task: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await task();
  return performance.now() - start;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

/**
 * Runs every candidate `warmups + runs` times, interleaved round by round (the starting candidate
 * rotates), so drift on a shared machine hits all of them alike. The emulator is reset after each
 * run (outside the timing): its script failures turn the candidate into an error.
 */
export async function measureInterleaved(
  candidates: readonly Candidate[],
  options: MeasureOptions,
  log: (line: string) => void,
): Promise<Map<string, Outcome>> {
  const outcomes = new Map<string, Outcome>();
  for (const candidate of candidates) outcomes.set(candidate.key, { samples: [] });
  const rounds = options.warmups + options.runs;
  for (let round = 0; round < rounds; round++) {
    for (let offset = 0; offset < candidates.length; offset++) {
      const candidate = candidates[(round + offset) % candidates.length]!;
      const outcome = outcomes.get(candidate.key)!;
      if ('error' in outcome) continue;
      try {
        const sample = await withTimeout(candidate.run(), options.timeoutMs);
        const report = await options.server.reset();
        if (report.failures.length > 0) throw new Error(`emulator: ${report.failures[0]}`);
        if (round >= options.warmups) outcome.samples.push(sample);
        else if (round === 0) outcome.first = sample;
      } catch (error) {
        await options.server.reset().catch(() => undefined);
        outcomes.set(candidate.key, { error: errorText(error) });
        log(`  ${candidate.key}: FAILED: ${errorText(error)}`);
      }
    }
    log(`  round ${round + 1}/${rounds}${round < options.warmups ? ' (warm-up)' : ''} done`);
  }
  return outcomes;
}
