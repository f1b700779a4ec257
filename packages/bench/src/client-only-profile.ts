/**
 * By hand, not part of `pnpm bench`: where plumb's client-only cost per step goes. In one process,
 * warm (thousands of runs after a warm-up), on the client-only scenario's fake `fetch`: the
 * minimal streaming loop, plumb's core client in a hand-written loop with a frozen history, and
 * `Agent.run()`, each run alone (not interleaved: no loop runs on another's garbage). Prints CPU
 * microseconds per step of each. Core minus the floor is what plumb's client adds per request;
 * the agent minus core is what the agent adds per step; short runs show the fixed cost per run.
 *
 *   tsx src/client-only-profile.ts [steps=100] [steps per loop measured=30000]
 *
 * (No @plumb/source condition: plumb resolves to its built dist, as users get it.)
 */
import { coreRun, floorRun, plumbRun } from './client-only-loops.js';

const steps = Number(process.argv[2] ?? 100);
const budget = Number(process.argv[3] ?? 30_000);
const runs = Math.max(1, Math.round(budget / steps));
const loops = { floor: floorRun, core: coreRun, agent: plumbRun } as const;

for (const [name, run] of Object.entries(loops)) {
  for (let i = 0; i < Math.max(20, runs / 10); i++) await run(steps); // warm-up
  const start = process.cpuUsage();
  for (let i = 0; i < runs; i++) await run(steps);
  const used = process.cpuUsage(start);
  const perStep = (used.user + used.system) / (runs * steps);
  process.stdout.write(
    `${name.padEnd(6)} ${perStep.toFixed(1).padStart(7)} us/step (${runs} runs of ${steps} steps)\n`,
  );
}
