import type { ChildProcess } from 'node:child_process';
import type { LoopSpec } from './bench-script.js';
import { forkTs, nextMessage } from './fork.js';
import type { ChildReply, FrameworkProcessConfig, LoopInfo, RunRequest } from './framework-process.js';
import type { FrameworkEntry } from './frameworks/registry.js';
import type { LoopMode, Target } from './frameworks/types.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A framework living in its own process (framework-process.ts); every call resolves with the run's ms. */
export interface RemoteFramework {
  loops: LoopInfo[];
  agentLoop: LoopInfo;
  readers: string[];
  /** Runs a loop to the end and checks its answer; the elapsed ms, timed in the child. */
  loop(label: string, mode: LoopMode, spec: LoopSpec): Promise<number>;
  /** `loop`, with the CPU time (user + system) the child spent during the run. */
  loopTimed(label: string, mode: LoopMode, spec: LoopSpec): Promise<{ ms: number; cpuMs: number }>;
  /** Runs the agent loop (streaming) once. */
  agent(spec: LoopSpec): Promise<number>;
  /** Reads the long stream once and checks its length. */
  read(label: string): Promise<number>;
  close(): void;
}

function isType<T extends ChildReply['type']>(type: T) {
  return (message: unknown): message is Extract<ChildReply, { type: T }> =>
    typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;
}

function isStartReply(message: unknown): message is Extract<ChildReply, { type: 'ready' | 'failed' }> {
  return isType('ready')(message) || isType('failed')(message);
}

/**
 * Starts `entry` in its own process (tsx, @plumb/* from source, --expose-gc). Rejects with the
 * reason when the framework cannot load (shown as a skipped row).
 */
export async function startFramework(
  entry: FrameworkEntry,
  target: Target,
  streamChars: number,
  runTimeoutMs: number,
): Promise<RemoteFramework> {
  const config: FrameworkProcessConfig = { framework: entry.name, target, streamChars };
  // source: false: plumb resolves to its built dist, as users get it (the bench builds it first).
  const child = forkTs('./framework-process.ts', [JSON.stringify(config)], { source: false, exposeGc: true });
  let ready: Extract<ChildReply, { type: 'ready' }>;
  try {
    const reply = await nextMessage(child, isStartReply, 60_000, `starting ${entry.name}`);
    if (reply.type === 'failed') throw new Error(reply.error);
    ready = reply;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  let nextId = 0;
  const callTimed = async (
    request: DistributiveOmit<RunRequest, 'type' | 'id'>,
  ): Promise<{ ms: number; cpuMs: number }> => {
    const id = nextId++;
    child.send({ ...request, type: 'run', id } as RunRequest);
    const reply = await nextMessage(
      child,
      (message): message is Extract<ChildReply, { type: 'done' }> =>
        isType('done')(message) && message.id === id,
      runTimeoutMs + 5_000,
      `${entry.name} run`,
    );
    if ('error' in reply) throw new Error(reply.error);
    return { ms: reply.ms, cpuMs: reply.cpuMs };
  };
  const call = async (request: DistributiveOmit<RunRequest, 'type' | 'id'>): Promise<number> =>
    (await callTimed(request)).ms;
  return {
    loops: ready.loops,
    agentLoop: ready.agentLoop,
    readers: ready.readers,
    loop: (label, mode, spec) => call({ kind: 'loop', label, mode, spec }),
    loopTimed: (label, mode, spec) => callTimed({ kind: 'loop', label, mode, spec }),
    agent: (spec) => call({ kind: 'agent', spec }),
    read: (label) => call({ kind: 'read', label }),
    close: () => stop(child),
  };
}

function stop(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
}
