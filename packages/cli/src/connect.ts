import { DeepSeek } from '@plumb/core';
import { type Emulator, startEmulator } from '@plumb/testing';

/** Printed once when a command runs without a key. */
export const OFFLINE_BANNER =
  'offline: DeepSeek emulator on 127.0.0.1 (set DEEPSEEK_API_KEY for the real model)';

/** Where model calls go: the real API, or an emulator this process started. */
export interface Connection {
  offline: boolean;
  emulator: Emulator | undefined;
  /** A client for agents built by a factory export. */
  client: DeepSeek;
  close(): Promise<void>;
}

function hasApiKey(env: NodeJS.ProcessEnv = process.env): boolean {
  return (env.DEEPSEEK_API_KEY ?? '').trim() !== '';
}

/**
 * With DEEPSEEK_API_KEY: the real API. Without: starts the emulator on loopback and points
 * `new DeepSeek()` at it through DEEPSEEK_API_KEY and DEEPSEEK_BASE_URL, so an agent module that
 * builds its client at import time talks to the emulator too. Call before importing the module.
 */
export async function connect(): Promise<Connection> {
  if (hasApiKey()) {
    return { offline: false, emulator: undefined, client: new DeepSeek(), close: async () => {} };
  }
  const emulator = await startEmulator({ host: '127.0.0.1', port: 0 });
  process.env.DEEPSEEK_API_KEY = emulator.apiKey;
  process.env.DEEPSEEK_BASE_URL = emulator.url;
  const client = new DeepSeek({ apiKey: emulator.apiKey, baseURL: emulator.url });
  let closed = false;
  return {
    offline: true,
    emulator,
    client,
    close: async () => {
      if (closed) return;
      closed = true;
      delete process.env.DEEPSEEK_API_KEY;
      delete process.env.DEEPSEEK_BASE_URL;
      await emulator.close();
    },
  };
}
