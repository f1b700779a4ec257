/**
 * Child process that hosts ONE framework for the in-process scenarios (tool loop, stream, parallel
 * tools). Each framework gets its own process, so one cannot slow another down: @openai/agents,
 * for one, turns on AsyncLocalStorage, which taxes every promise in its process on Node 20. The
 * child times each run itself (after a full GC) and checks its result; the parent only sends
 * what to run and interleaves the frameworks. Started by remote-framework.ts.
 */
import { type LoopSpec, loopAnswer } from './bench-script.js';
import { FRAMEWORKS } from './frameworks/registry.js';
import type { Framework, LoopMode, LoopRunner, Target } from './frameworks/types.js';
import { collectGarbage, errorText, time } from './measure.js';
import { printWarningsOnce } from './warnings.js';

/** The single argument (JSON). */
export interface FrameworkProcessConfig {
  framework: string;
  target: Target;
  /** Content length every stream reader must return. */
  streamChars: number;
}

/** What the parent asks: a loop (by label and mode), the agent loop, or a stream reader. */
export type RunRequest =
  | { type: 'run'; id: number; kind: 'loop'; label: string; mode: LoopMode; spec: LoopSpec }
  | { type: 'run'; id: number; kind: 'agent'; spec: LoopSpec }
  | { type: 'run'; id: number; kind: 'read'; label: string };

/** A loop's description, without its function. */
export type LoopInfo = Pick<LoopRunner, 'label' | 'mode' | 'note' | 'notJudged'>;

export type ChildReply =
  | { type: 'ready'; loops: LoopInfo[]; agentLoop: LoopInfo; readers: string[] }
  | { type: 'failed'; error: string }
  | { type: 'done'; id: number; ms: number; cpuMs: number }
  | { type: 'done'; id: number; error: string };

const send = (reply: ChildReply) => process.send?.(reply);

function describe(loop: LoopRunner): LoopInfo {
  return { label: loop.label, mode: loop.mode, note: loop.note, notJudged: loop.notJudged };
}

/** Elapsed wall time of a run, and the CPU time (user + system) this process spent meanwhile. */
interface Times {
  ms: number;
  cpuMs: number;
}

async function runLoop(loop: LoopRunner | undefined, spec: LoopSpec): Promise<Times> {
  if (loop === undefined) throw new Error('no such loop');
  const expected = loopAnswer(spec);
  let answer = '';
  const cpu = process.cpuUsage();
  const ms = await time(async () => {
    answer = await loop.run(spec);
  });
  const used = process.cpuUsage(cpu);
  if (answer !== expected) throw new Error(`final answer ${JSON.stringify(answer)}, expected ${expected}`);
  return { ms, cpuMs: (used.user + used.system) / 1000 };
}

async function runRequest(framework: Framework, request: RunRequest, streamChars: number): Promise<Times> {
  collectGarbage();
  if (request.kind === 'agent') return runLoop(framework.agentLoop, request.spec);
  if (request.kind === 'loop') {
    const loop = framework.loops.find((each) => each.label === request.label && each.mode === request.mode);
    return runLoop(loop, request.spec);
  }
  const reader = framework.readers.find((each) => each.label === request.label);
  if (reader === undefined) throw new Error(`no reader ${request.label}`);
  let content = '';
  const cpu = process.cpuUsage();
  const ms = await time(async () => {
    content = await reader.read();
  });
  const used = process.cpuUsage(cpu);
  if (content.length !== streamChars) {
    throw new Error(`read ${content.length} characters of content, expected ${streamChars}`);
  }
  return { ms, cpuMs: (used.user + used.system) / 1000 };
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as FrameworkProcessConfig;
  printWarningsOnce(config.framework);
  let framework: Framework;
  try {
    const entry = FRAMEWORKS.find((candidate) => candidate.name === config.framework);
    if (entry === undefined) throw new Error(`unknown framework ${config.framework}`);
    framework = (await entry.load())(config.target, {});
  } catch (error) {
    send({ type: 'failed', error: `could not load: ${errorText(error)}` });
    return;
  }
  process.on('message', (request: RunRequest) => {
    runRequest(framework, request, config.streamChars).then(
      ({ ms, cpuMs }) => send({ type: 'done', id: request.id, ms, cpuMs }),
      (error: unknown) => send({ type: 'done', id: request.id, error: errorText(error) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
  send({
    type: 'ready',
    loops: framework.loops.map(describe),
    agentLoop: describe(framework.agentLoop),
    readers: framework.readers.map((reader) => reader.label),
  });
}

void main();
