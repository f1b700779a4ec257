import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchContext } from '../context.js';
import type { FrameworkEntry } from '../frameworks/registry.js';
import { errorText, type Outcome } from '../measure.js';
import { buildRows } from '../rows.js';
import type { Row } from '../table.js';

const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));

interface ColdSample {
  /** Time to import every specifier, measured inside the fresh process. */
  importMs: number;
  /** Spawn to exit, measured by the parent (Node's own start-up included). */
  wallMs: number;
}

/**
 * One fresh `node` process (no tsx, no source condition: plumb resolves to its built dist, as
 * users get it) that imports `specifiers` in order and reports how long that took.
 */
function coldImport(specifiers: readonly string[], timeoutMs: number): Promise<ColdSample> {
  const code = `const start = performance.now();
for (const specifier of ${JSON.stringify(specifiers)}) await import(specifier);
process.stdout.write(JSON.stringify({ importMs: performance.now() - start }));`;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
      cwd: PACKAGE_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const wallMs = performance.now() - started;
      if (code !== 0) {
        const reason = stderr.split('\n').find((line) => /Error/.test(line)) ?? stderr.trim();
        reject(new Error(`node exited with ${code ?? signal}: ${reason.slice(0, 200)}`));
        return;
      }
      try {
        resolve({ importMs: (JSON.parse(stdout) as { importMs: number }).importMs, wallMs });
      } catch {
        reject(new Error(`unexpected output ${JSON.stringify(stdout.slice(0, 100))}`));
      }
    });
  });
}

/**
 * Scenario 3: importing each framework's stack in a fresh Node process, interleaved round by
 * round after one unmeasured round (warms the disk cache). Ratios are to `ai`; plumb's goal is
 * to be faster (ratio < 1).
 */
export async function coldStartScenario(context: BenchContext): Promise<Row[]> {
  context.log('cold start:');
  const entries = context.frameworks.map((loaded) => loaded.entry);
  const imports = new Map<string, Outcome>();
  const walls = new Map<string, Outcome>();
  for (const entry of entries) {
    const blocked = entry.name === 'plumb' && !context.dist.ok ? context.dist.error : undefined;
    imports.set(entry.name, blocked ? { error: blocked } : { samples: [] });
    walls.set(entry.name, blocked ? { error: blocked } : { samples: [] });
  }
  const rounds = 1 + context.counts.coldRuns;
  for (let round = 0; round < rounds; round++) {
    for (let offset = 0; offset < entries.length; offset++) {
      await sampleOnce(entries[(round + offset) % entries.length]!, round > 0, imports, walls);
    }
    context.log(`  round ${round + 1}/${rounds}${round === 0 ? ' (warm-up)' : ''} done`);
  }
  const goal = { text: '< 1x ai', met: (value: number) => value < 1 };
  const rowEntries = entries.map((entry) => ({
    key: entry.name,
    label: entry.imports.length === 0 ? 'floor (bare node)' : entry.name,
    note: entry.imports.length === 0 ? undefined : `imports ${entry.imports.join(', ')}`,
  }));
  return [
    ...buildRows(
      { scenario: 'cold start: import time', unit: 'ms', reference: { key: 'ai', name: 'ai' }, goal },
      rowEntries,
      imports,
    ),
    ...buildRows(
      { scenario: 'cold start: process spawn to exit', unit: 'ms', reference: { key: 'ai', name: 'ai' } },
      rowEntries,
      walls,
    ),
  ];
}

async function sampleOnce(
  entry: FrameworkEntry,
  measured: boolean,
  imports: Map<string, Outcome>,
  walls: Map<string, Outcome>,
): Promise<void> {
  const importOutcome = imports.get(entry.name)!;
  const wallOutcome = walls.get(entry.name)!;
  if ('error' in importOutcome || 'error' in wallOutcome) return;
  try {
    const sample = await coldImport(entry.imports, 30_000);
    if (!measured) return;
    importOutcome.samples.push(sample.importMs);
    wallOutcome.samples.push(sample.wallMs);
  } catch (error) {
    imports.set(entry.name, { error: errorText(error) });
    walls.set(entry.name, { error: errorText(error) });
  }
}
