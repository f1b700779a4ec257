/**
 * `pnpm bench`: plumb side by side with the anchors (a hand-written fetch floor, openai, ai +
 * @ai-sdk/deepseek, @openai/agents) against the @plumb/testing emulator served from a separate
 * process, in one run. Prints a Markdown table of medians, spreads and ratios (absolute times
 * drift on a shared machine; ratios within one run hold). `--short` is the CI smoke mode.
 * Progress goes to stderr, the table to stdout. Exits 1 when a floor or plumb row failed.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type BenchContext, type Counts, FULL, type LoadedFramework, SHORT } from './context.js';
import { type EmulatorProcess, startEmulatorProcess } from './emulator-process.js';
import { FRAMEWORKS, versionsOf } from './frameworks/registry.js';
import type { Target } from './frameworks/types.js';
import { errorText } from './measure.js';
import { startFramework } from './remote-framework.js';
import { clientOnlyScenario } from './scenarios/client-only.js';
import { coldStartScenario } from './scenarios/cold-start.js';
import { hostileInputScenario } from './scenarios/hostile-input.js';
import { manyAgentsScenario } from './scenarios/many-agents.js';
import { parallelToolsScenario } from './scenarios/parallel-tools.js';
import { streamScenario } from './scenarios/stream.js';
import { telemetryScenario } from './scenarios/telemetry.js';
import { toolLoopScenario } from './scenarios/tool-loop.js';
import { type Row, renderTable } from './table.js';

const SCENARIOS: Record<string, (context: BenchContext) => Promise<Row[]>> = {
  'tool-loop': toolLoopScenario,
  stream: streamScenario,
  'cold-start': coldStartScenario,
  'many-agents': manyAgentsScenario,
  'parallel-tools': parallelToolsScenario,
  telemetry: telemetryScenario,
  'hostile-input': hostileInputScenario,
  'client-only': clientOnlyScenario,
};

const USAGE = `Usage: tsx --conditions=@plumb/source src/main.ts [--short] [--only a,b] [--frameworks a,b] [--skip-build]
  --short        CI smoke mode: tiny counts, under a minute
  --only         scenarios to run: ${Object.keys(SCENARIOS).join(', ')}
  --frameworks   frameworks to run besides the floor: ${FRAMEWORKS.slice(1)
    .map((entry) => entry.name)
    .join(', ')}
  --skip-build   use plumb's existing dist (default: build it first; every plumb row runs from dist)`;

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const log = (line: string) => process.stderr.write(`${line}\n`);

function machine(): string {
  const [one, five] = loadavg();
  return [
    `node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'}),`,
    `${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, load average ${one?.toFixed(2)} / ${five?.toFixed(2)} (1 / 5 min)`,
  ].join(' ');
}

/** Builds core, tools and agent so cold start and many agents measure what users install. */
function buildDist(): BenchContext['dist'] {
  log('building @plumb/core, @plumb/tools, @plumb/agent (dist, for cold start and many agents)...');
  const filters = ['@plumb/core', '@plumb/tools', '@plumb/agent'].flatMap((name) => ['--filter', name]);
  const result = spawnSync('pnpm', [...filters, 'run', 'build'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 180_000,
  });
  if (result.status === 0) return { ok: true };
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-3).join(' ');
  return { ok: false, error: `building plumb failed: ${result.error?.message ?? output}` };
}

/** Starts each selected framework in its own process (the floor always runs). */
async function startFrameworks(
  target: Target,
  server: EmulatorProcess,
  counts: Counts,
  names: string[] | undefined,
): Promise<LoadedFramework[]> {
  const entries = FRAMEWORKS.filter(
    (entry) => names === undefined || entry.name === 'floor' || names.includes(entry.name),
  );
  log(`starting ${entries.map((entry) => entry.name).join(', ')}, each in its own process...`);
  return Promise.all(
    entries.map(async (entry): Promise<LoadedFramework> => {
      const versions = versionsOf(entry);
      try {
        const remote = await startFramework(entry, target, server.streamChars, counts.runTimeoutMs);
        return { entry, versions, remote };
      } catch (error) {
        return { entry, versions, error: errorText(error) };
      }
    }),
  );
}

function selectFrameworks(list: string | undefined): string[] | undefined {
  if (list === undefined) return undefined;
  const names = list.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !FRAMEWORKS.some((entry) => entry.name === name));
  if (unknown.length > 0) throw new TypeError(`unknown framework ${unknown.join(', ')}\n${USAGE}`);
  return names;
}

function selectScenarios(only: string | undefined): string[] {
  if (only === undefined) return Object.keys(SCENARIOS);
  const names = only.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(name in SCENARIOS));
  if (unknown.length > 0) throw new TypeError(`unknown scenario ${unknown.join(', ')}\n${USAGE}`);
  return names;
}

interface Selection {
  scenarios: string[];
  frameworks: string[] | undefined;
}

async function run(
  server: EmulatorProcess,
  counts: Counts,
  selection: Selection,
  dist: BenchContext['dist'],
) {
  const target: Target = {
    url: server.url,
    streamURL: server.streamURL,
    apiKey: server.apiKey,
    model: 'deepseek-flash',
  };
  const frameworks = await startFrameworks(target, server, counts, selection.frameworks);
  const context: BenchContext = { counts, server, target, frameworks, dist, log };
  const rows: Row[] = [];
  try {
    for (const name of selection.scenarios) {
      try {
        rows.push(...(await SCENARIOS[name]!(context)));
      } catch (error) {
        rows.push({
          scenario: name,
          framework: '(scenario)',
          unit: '',
          error: `failed: ${errorText(error)}`,
        });
      }
    }
  } finally {
    for (const loaded of frameworks) loaded.remote?.close();
  }
  return { rows, frameworks };
}

async function main(): Promise<number> {
  // `pnpm bench -- --only x` passes the `--` through (after `--short` with bench:short); drop it.
  const args = process.argv.slice(2).filter((arg) => arg !== '--');
  const { values } = parseArgs({
    args,
    options: {
      short: { type: 'boolean', default: false },
      only: { type: 'string' },
      frameworks: { type: 'string' },
      'skip-build': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const counts = values.short ? SHORT : FULL;
  const selection: Selection = {
    scenarios: selectScenarios(values.only),
    frameworks: selectFrameworks(values.frameworks),
  };
  const names = selection.scenarios;
  const before = machine();
  log(`plumb bench (${values.short ? 'short' : 'full'} mode) on ${before}`);
  // plumb is measured as users get it, from its built dist, in every scenario (the framework
  // processes resolve @plumb/* without the @plumb/source condition).
  const needsDist = names.length > 0;
  const dist: BenchContext['dist'] = needsDist && !values['skip-build'] ? buildDist() : { ok: true };
  const server = await startEmulatorProcess({ streamBytes: counts.streamBytes, deltaSize: counts.deltaSize });
  const stop = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping the emulator`);
    void server.close().then(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // Everything is bounded: single runs time out, and the whole bench stops after this.
  const watchdog = setTimeout(
    () => {
      log('the bench exceeded its time limit; stopping');
      void server.close().then(() => process.exit(1));
    },
    values.short ? 120_000 : 40 * 60_000,
  );
  try {
    const started = performance.now();
    const { rows, frameworks } = await run(server, counts, selection, dist);
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    const versions = frameworks.flatMap((loaded) =>
      Object.entries(loaded.versions).map(([name, v]) => `${name} ${v}`),
    );
    process.stdout.write(
      `\n${renderTable(rows, !values.short)}\n\nbefore: ${before}\nafter:  ${machine()}\nversions: ${[...new Set(versions)].join(', ')}\n` +
        `mode: ${values.short ? 'short (CI smoke, tiny counts: numbers are not meaningful)' : 'full'}, ${seconds} s\n`,
    );
    const broken = rows.filter((row) => row.error !== undefined && /^(floor|plumb)/.test(row.framework));
    if (broken.length > 0)
      log(`FAILED rows: ${broken.map((row) => `${row.scenario} / ${row.framework}`).join('; ')}`);
    return broken.length > 0 ? 1 : 0;
  } finally {
    clearTimeout(watchdog);
    await server.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
