/**
 * By hand, not part of `pnpm bench`: the streaming tool loop of plumb's `Agent.run()` and of the
 * `node:http` floor, each in its own process (loop-profile-child.ts, plumb from its built
 * `dist/`), against the bench emulator (its own process), rounds interleaved (the order alternates).
 * Faster than the bench's tool loop (two loops instead of eleven), for trying a change; optionally
 * with a CPU profile of the measured rounds only. Prints the medians of CPU and wall ms per step
 * and the median and spread of the per-round ratios (plumb / floor).
 *
 *   tsx --conditions=@plumb/source src/loop-profile.ts [rounds] [node flags...]
 *
 * STEPS=n sets the loop length (default 100), WARMUPS=n the unmeasured rounds (default 30),
 * PROFILE=dir writes `plumb.cpuprofile` and `floor.cpuprofile` (100 us sampling) of the measured
 * rounds to `dir`. BASELINE=dir adds a third loop: `Agent.run()` of another checkout of this
 * repository (built, with its dependencies installed: e.g. `git worktree add /tmp/base main`,
 * then `pnpm install` and a build there), run by that checkout's own child, for an A/B of a
 * change in one run; it prints plumb / baseline paired per round.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoopSpec } from './bench-script.js';
import { startEmulatorProcess } from './emulator-process.js';
import type { LoopChildConfig, LoopChildReply, LoopChildRequest, LoopKind } from './loop-profile-child.js';
import { pairedRatios } from './paired.js';
import { formatNumber, summarize } from './stats.js';

const CHILD = fileURLToPath(new URL('./loop-profile-child.ts', import.meta.url));
const rounds = Number(process.argv[2] ?? 10);
const flags = process.argv.slice(3);
const warmups = Number(process.env.WARMUPS ?? 30);
const spec: LoopSpec = { steps: Number(process.env.STEPS ?? 100), calls: 1, tool: 'step', ms: 0 };
const load = () => loadavg()[0]!.toFixed(2);
const loadBefore = load();
const server = await startEmulatorProcess({ streamBytes: 1000, deltaSize: 8 });

function ask(child: ChildProcess, request: LoopChildRequest | undefined): Promise<LoopChildReply> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`child exited (${code})`));
    child.once('exit', onExit);
    child.once('message', (reply: LoopChildReply) => {
      child.off('exit', onExit);
      if ('error' in reply) reject(new Error(reply.error));
      else resolve(reply);
    });
    if (request !== undefined) child.send(request);
  });
}

type Loop = LoopKind | 'baseline';
const baseline = process.env.BASELINE;
const kinds: Loop[] = baseline === undefined ? ['floor', 'plumb'] : ['floor', 'plumb', 'baseline'];
const children = new Map<Loop, ChildProcess>();
try {
  for (const kind of kinds) {
    const config: LoopChildConfig = {
      kind: kind === 'baseline' ? 'plumb' : kind,
      target: {
        url: server.url,
        streamURL: server.streamURL,
        apiKey: server.apiKey,
        model: 'deepseek-flash',
      },
      profile:
        process.env.PROFILE === undefined ? undefined : join(process.env.PROFILE, `${kind}.cpuprofile`),
    };
    // No @plumb/source condition: plumb resolves to its built dist, as users get it.
    const script = kind === 'baseline' ? join(baseline!, 'packages/bench/src/loop-profile-child.ts') : CHILD;
    const child = fork(script, [JSON.stringify(config)], {
      execArgv: ['--expose-gc', ...flags, '--import', import.meta.resolve('tsx')],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.set(kind, child);
    await ask(child, undefined);
  }
  const cpu: Record<Loop, number[]> = { floor: [], plumb: [], baseline: [] };
  const wall: Record<Loop, number[]> = { floor: [], plumb: [], baseline: [] };
  for (let round = 0; round < warmups + rounds; round++) {
    if (round === warmups && process.env.PROFILE !== undefined)
      for (const child of children.values()) await ask(child, { type: 'profile', on: true });
    // The order rotates, so no loop always runs right after the same other one.
    const order = kinds.map((_, i) => kinds[(round + i) % kinds.length]!);
    for (const kind of round % 2 === 0 ? order : order.reverse()) {
      const reply = (await ask(children.get(kind)!, { type: 'run', spec })) as { cpuMs: number; ms: number };
      await server.reset();
      if (round < warmups) continue;
      cpu[kind].push(reply.cpuMs / spec.steps);
      wall[kind].push(reply.ms / spec.steps);
    }
  }
  if (process.env.PROFILE !== undefined)
    for (const child of children.values()) await ask(child, { type: 'profile', on: false });
  const show = (values: number[]) => {
    const summary = summarize(values);
    return `${formatNumber(summary.median)} (${formatNumber(summary.min)}-${formatNumber(summary.max)}, n=${summary.n})`;
  };
  const lines = [`load (1 min) ${loadBefore} -> ${load()}, ${spec.steps} steps`];
  for (const kind of kinds) lines.push(`${kind} CPU ms/step ${show(cpu[kind])}, wall ${show(wall[kind])}`);
  lines.push(`plumb / floor CPU, paired: ${show(pairedRatios(cpu.plumb, cpu.floor))}`);
  lines.push(`plumb / floor wall, paired: ${show(pairedRatios(wall.plumb, wall.floor))}`);
  if (baseline !== undefined) {
    lines.push(`baseline / floor CPU, paired: ${show(pairedRatios(cpu.baseline, cpu.floor))}`);
    lines.push(`plumb / baseline CPU, paired: ${show(pairedRatios(cpu.plumb, cpu.baseline))}`);
    lines.push(`plumb / baseline wall, paired: ${show(pairedRatios(wall.plumb, wall.baseline))}`);
  }
  process.stdout.write(`${lines.join('\n')}\n${JSON.stringify({ cpu, wall })}\n`);
} finally {
  for (const child of children.values()) child.disconnect();
  await server.close();
}
