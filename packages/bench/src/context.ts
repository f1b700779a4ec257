import type { EmulatorProcess } from './emulator-process.js';
import type { FrameworkEntry } from './frameworks/registry.js';
import type { Target } from './frameworks/types.js';
import type { RemoteFramework } from './remote-framework.js';

/** How much work each scenario does (the full run, or the CI smoke run). */
export interface Counts {
  /** Measured runs per candidate, after `warmups` unmeasured ones (stream, parallel tools). */
  runs: number;
  warmups: number;
  /** Tool turns of the tool-loop scenario; runs of it and of parallel tools (cheap, so more: steadier medians). */
  loopSteps: number;
  loopRuns: number;
  loopWarmups: number;
  /** Fresh processes per framework (cold start). */
  coldRuns: number;
  /** Concurrent runs and steps per run (many agents), and fresh processes per framework. */
  manyAgents: number;
  manySteps: number;
  manyRuns: number;
  /** UTF-8 bytes of the stream answer and characters per delta. */
  streamBytes: number;
  deltaSize: number;
  /** A single run that takes longer fails. */
  runTimeoutMs: number;
}

export const FULL: Counts = {
  runs: 5,
  warmups: 1,
  loopSteps: 100,
  loopRuns: 10,
  // 3,000 steps before a loop is measured: V8 needs that long to compile a framework's code in
  // full (with 3 warm-up runs, plumb's 100-step loop was still compiling: 2.5x its warm cost).
  loopWarmups: 30,
  coldRuns: 7,
  manyAgents: 200,
  manySteps: 10,
  manyRuns: 5,
  streamBytes: 2_000_000,
  deltaSize: 8,
  runTimeoutMs: 120_000,
};

export const SHORT: Counts = {
  runs: 1,
  warmups: 1,
  loopSteps: 10,
  loopRuns: 1,
  loopWarmups: 1,
  coldRuns: 1,
  manyAgents: 10,
  manySteps: 3,
  manyRuns: 1,
  streamBytes: 100_000,
  deltaSize: 8,
  runTimeoutMs: 20_000,
};

/** A framework of the registry, running in its own process (or why it could not start). */
export interface LoadedFramework {
  entry: FrameworkEntry;
  versions: Record<string, string>;
  remote?: RemoteFramework | undefined;
  error?: string | undefined;
}

export interface BenchContext {
  counts: Counts;
  server: EmulatorProcess;
  target: Target;
  frameworks: LoadedFramework[];
  /** Whether plumb's dist was built (cold start and many agents run against it). */
  dist: { ok: true } | { ok: false; error: string };
  log(line: string): void;
}
