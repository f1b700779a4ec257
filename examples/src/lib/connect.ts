/**
 * The client every example uses: the real DeepSeek API when DEEPSEEK_API_KEY is set, otherwise a
 * DeepSeek emulator started in this process that answers from the example's script.
 */
import { DeepSeek } from '@plumb/core';
import { type Emulator, type Script, startEmulator } from '@plumb/testing';

/** Printed once when an example runs without a key. */
export const OFFLINE_BANNER =
  'offline: DeepSeek emulator with scripted replies; set DEEPSEEK_API_KEY for the real model';

/** A client and how to let go of it. */
export interface Connection {
  /** A real client, or one pointed at the emulator. */
  client: DeepSeek;
  /** True when the emulator answers (no DEEPSEEK_API_KEY). */
  offline: boolean;
  /** The emulator, when offline. */
  emulator: Emulator | undefined;
  /** Stops the emulator (safe to call twice). `run()` calls it for you. */
  close(): Promise<void>;
}

/** What the emulator should say when the example runs offline. */
export interface ConnectOptions {
  /** The scripted model turns (a list, or a function of each request). */
  script: Script;
}

const open = new Set<() => Promise<void>>();

/** Closes every emulator still open (called by `run()` whatever happened). */
export async function closeAll(): Promise<void> {
  const closers = [...open];
  open.clear();
  await Promise.allSettled(closers.map((close) => close()));
}

/** Whether examples talk to the real API. */
export function hasApiKey(): boolean {
  return (process.env.DEEPSEEK_API_KEY ?? '').trim() !== '';
}

/**
 * The client for an example. With DEEPSEEK_API_KEY set: `new DeepSeek()` (real API, billed).
 * Without: starts the emulator on 127.0.0.1 with `script`, prints the offline banner, and returns
 * a client pointed at it.
 */
export async function connect(options: ConnectOptions): Promise<Connection> {
  if (hasApiKey()) {
    // #region real-client
    const client = new DeepSeek(); // reads DEEPSEEK_API_KEY (and DEEPSEEK_BASE_URL, if set)
    // #endregion
    return { client, offline: false, emulator: undefined, close: async () => {} };
  }
  // #region emulator-client
  const emulator = await startEmulator({ script: options.script }); // on 127.0.0.1, a free port
  const client = new DeepSeek({ apiKey: emulator.apiKey, baseURL: emulator.url });
  // #endregion
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    open.delete(close);
    await emulator.close();
  };
  open.add(close);
  console.log(OFFLINE_BANNER);
  return { client, offline: true, emulator, close };
}
