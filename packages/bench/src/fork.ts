import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ForkOptions {
  /** Resolve @plumb/* to their TypeScript source (`@plumb/source`), else to their built dist. */
  source: boolean;
  /** Start Node with --expose-gc (the child collects garbage before each measured run). */
  exposeGc?: boolean | undefined;
}

/** Forks a TypeScript file of this package in a fresh Node process (run by tsx), with an IPC channel. */
export function forkTs(file: string, args: string[], options: ForkOptions): ChildProcess {
  const execArgv = ['--import', import.meta.resolve('tsx')];
  if (options.source) execArgv.push('--conditions=@plumb/source');
  if (options.exposeGc) execArgv.push('--expose-gc');
  return fork(fileURLToPath(new URL(file, import.meta.url)), args, {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** Resolves with the first IPC message matching `accept`; rejects if the child exits or times out first. */
export function nextMessage<T>(
  child: ChildProcess,
  accept: (message: unknown) => message is T,
  timeoutMs: number,
  what: string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onMessage = (message: unknown) => {
      if (!accept(message)) return;
      cleanup();
      resolve(message);
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanup();
      reject(
        new Error(`${what}: the child process exited (code ${code}, signal ${signal}) before answering.`),
      );
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${what}: no answer from the child process within ${timeoutMs} ms.`));
    }, timeoutMs);
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}
