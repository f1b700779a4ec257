/**
 * A child of loop-profile.ts (by hand, not part of `pnpm bench`; plumb from its built `dist/`,
 * --expose-gc): ONE loop in its own process, as the bench runs each framework: the `node:http`
 * floor's streaming tool loop, or plumb's `Agent.run()`. The parent sends `run` (one loop, after a
 * full GC; the reply holds its CPU time of this process and its wall time) and `profile` (start or
 * stop a CPU profile, written to the configured file on stop).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { type LoopSpec, loopAnswer } from './bench-script.js';
import { floor, NODE_STREAM_FLOOR_LABEL } from './frameworks/floor.js';
import { plumb } from './frameworks/plumb.js';
import type { LoopRunner, Target } from './frameworks/types.js';
import { collectGarbage } from './measure.js';

export type LoopKind = 'floor' | 'plumb';

export interface LoopChildConfig {
  kind: LoopKind;
  target: Target;
  /** Where `profile` (on: false) writes the CPU profile. */
  profile?: string | undefined;
}

export type LoopChildRequest = { type: 'run'; spec: LoopSpec } | { type: 'profile'; on: boolean };
export type LoopChildReply = { cpuMs: number; ms: number } | { error: string } | { profiled: true };

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('loop-profile-child needs --expose-gc');
const config = JSON.parse(process.argv[2] ?? '{}') as LoopChildConfig;
const loop: LoopRunner =
  config.kind === 'floor'
    ? floor(config.target).loops.find((each) => each.label === NODE_STREAM_FLOOR_LABEL)!
    : plumb(config.target, {}).agentLoop;
let session: Session | undefined;

async function handle(request: LoopChildRequest): Promise<LoopChildReply> {
  if (request.type === 'profile') {
    if (request.on) {
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 100 });
      await session.post('Profiler.start');
    } else if (session !== undefined) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(config.profile!, JSON.stringify(profile));
      session.disconnect();
    }
    return { profiled: true };
  }
  collectGarbage();
  const cpu = process.cpuUsage();
  const start = performance.now();
  const answer = await loop.run(request.spec);
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  if (answer !== loopAnswer(request.spec)) throw new Error(`final answer ${JSON.stringify(answer)}`);
  return { cpuMs: (used.user + used.system) / 1000, ms };
}

process.on('message', (request: LoopChildRequest) => {
  handle(request).then(
    (reply) => process.send?.(reply),
    (error: unknown) => process.send?.({ error: String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
process.send?.({ profiled: true });
