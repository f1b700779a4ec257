/**
 * By hand, not part of `pnpm bench`: runs telemetry-child.ts against the bench emulator with extra
 * Node flags (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`), or only some kinds of run, or under a
 * wrapper command, and prints its report's medians and paired ratios.
 *
 *   tsx --conditions=@plumb/source src/telemetry-profile.ts [rounds] [kinds: plain,stub | -] [node flags...]
 *
 * WARMUPS=n sets the unmeasured rounds (default 30). WRAP="valgrind --tool=cachegrind --cache-sim=no
 * --smc-check=all-non-file" runs the child under valgrind (one kind per process): its instruction
 * count does not depend on the machine's load, but two identical processes differed by 7% on
 * 2026-12-02 (JIT and GC timing), more than tracing adds: only large differences show.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startEmulatorProcess } from './emulator-process.js';
import { medianPairedRatio } from './paired.js';
import type { Kind, TelemetryConfig, TelemetryReport } from './telemetry-child.js';

const CHILD = fileURLToPath(new URL('./telemetry-child.ts', import.meta.url));
const rounds = Number(process.argv[2] ?? 10);
const kinds = process.argv[3] === '-' ? undefined : (process.argv[3]?.split(',') as Kind[] | undefined);
const flags = process.argv.slice(4);
const server = await startEmulatorProcess({ streamBytes: 1000, deltaSize: 8 });
try {
  const config: TelemetryConfig = {
    url: server.url,
    apiKey: server.apiKey,
    steps: 100,
    rounds,
    warmups: Number(process.env.WARMUPS ?? 30),
    kinds,
  };
  const report = await new Promise<TelemetryReport>((resolve, reject) => {
    // WRAP: a command to run the child under (e.g. valgrind, to count instructions).
    const wrap = process.env.WRAP?.split(' ').filter(Boolean) ?? [];
    const args = [
      '--expose-gc',
      ...flags,
      '--import',
      import.meta.resolve('tsx'),
      CHILD,
      JSON.stringify(config),
    ];
    const child = spawn(
      wrap[0] ?? process.execPath,
      wrap.length > 0 ? [...wrap.slice(1), process.execPath, ...args] : args,
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '{}'))
        : reject(new Error(`exit ${code}`)),
    );
  });
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const out: Record<string, unknown> = {};
  for (const [key, values] of Object.entries(report))
    out[Array.isArray(values) ? `${key} median` : key] = Array.isArray(values) ? median(values) : values;
  for (const kind of ['traced', 'control', 'stub', 'sdk'] as const) {
    if (report[`${kind}Cpu`].length === 0 || report.plainCpu.length === 0) continue;
    out[`${kind}/plain CPU`] = medianPairedRatio(report[`${kind}Cpu`], report.plainCpu);
    out[`${kind}/plain wall`] = medianPairedRatio(report[`${kind}Wall`], report.plainWall);
  }
  process.stdout.write(`${JSON.stringify(out, null, 1)}\n${JSON.stringify(report)}\n`);
} finally {
  await server.close();
}
