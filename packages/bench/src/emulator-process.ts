import type { ChildProcess } from 'node:child_process';
import { forkTs, nextMessage } from './fork.js';

/** Parent → bench-server messages. */
export type ServerMessage = { type: 'reset'; id: number };

/** What the bench server says when it is listening. */
export interface ServerInfo {
  /** The emulator's base URL. */
  url: string;
  /** Base URL of the replay server that serves the pre-rendered stream answer. */
  streamURL: string;
  apiKey: string;
  /** Length of the stream answer's content in UTF-16 code units (what a client's string holds). */
  streamChars: number;
  /** UTF-8 bytes of the stream answer's content. */
  streamBytes: number;
  /** Bytes of the whole SSE body on the wire. */
  streamWireBytes: number;
}

/** What the emulator saw since the last reset. */
export interface ServerReport {
  requests: number;
  /** Script failures (missing tool results, unknown prompts): a framework that skipped work. */
  failures: string[];
}

/** bench-server → parent messages. */
export type ServerReply = ({ type: 'ready' } & ServerInfo) | ({ type: 'reset'; id: number } & ServerReport);

/** The running bench server. */
export interface EmulatorProcess extends ServerInfo {
  /** Forgets recorded requests (they would pile up in the server's memory) and reports them. */
  reset(): Promise<ServerReport>;
  /** Stops the server process (SIGTERM, then SIGKILL after 2 s). */
  close(): Promise<void>;
}

export interface EmulatorProcessOptions {
  /** UTF-8 bytes of the stream scenario's answer. */
  streamBytes: number;
  /** Characters per content delta of the stream answer. */
  deltaSize: number;
}

function isReply<T extends ServerReply['type']>(type: T) {
  return (message: unknown): message is Extract<ServerReply, { type: T }> =>
    typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;
}

/**
 * Starts the emulator in a SEPARATE process (bench-server.ts run by tsx from source), so the
 * server's work never shares the measured process's event loop.
 */
export async function startEmulatorProcess(options: EmulatorProcessOptions): Promise<EmulatorProcess> {
  const child = forkTs(
    './bench-server.ts',
    ['--stream-bytes', String(options.streamBytes), '--delta-size', String(options.deltaSize)],
    { source: true },
  );
  let info: ServerInfo;
  try {
    const { type: _type, ...ready } = await nextMessage(
      child,
      isReply('ready'),
      60_000,
      'starting the emulator',
    );
    info = ready;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  let nextId = 0;
  return {
    ...info,
    async reset() {
      const id = nextId++;
      child.send({ type: 'reset', id } satisfies ServerMessage);
      const reply = await nextMessage(
        child,
        (message): message is Extract<ServerReply, { type: 'reset' }> =>
          isReply('reset')(message) && message.id === id,
        10_000,
        'resetting the emulator',
      );
      return { requests: reply.requests, failures: reply.failures };
    },
    close: () => stop(child),
  };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
