import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Emulator, type EmulatorOptions, startEmulator } from '@plumb/testing';
import { afterEach, beforeEach } from 'vitest';
import { DeepSeek } from './client/client.js';
import type { ClientOptions } from './client/options.js';
import type { ChatCompletionStreamParams } from './resources/chat.js';
import type { ChatCompletionCreateParamsNonStreaming } from './wire/wire-types.js';

/** Test-only helpers (excluded from the build). */

const open: Emulator[] = [];
let latest: Emulator | undefined;

afterEach(async () => {
  latest = undefined;
  await Promise.all(open.splice(0).map((emulator) => emulator.close()));
});

/** Starts an emulator on loopback, closed after the test; `clientFor` points at the latest one. */
export async function emulate(options?: EmulatorOptions): Promise<Emulator> {
  const emulator = await startEmulator(options);
  open.push(emulator);
  latest = emulator;
  return emulator;
}

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    }),
  );
});

/**
 * Starts a plain HTTP server on loopback answering with `handler` (for what the emulator does not
 * do: a compressed answer, a redirect, an endless line), closed with its connections after the
 * test. Resolves with its base URL and the server.
 */
export async function serve(handler: RequestListener): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/**
 * The transports every HTTP behaviour test runs over: `node` (node:http, the default on Node) and
 * `fetch` (every other runtime, and Node with a `fetch` or `fetchOptions`). Passing Node's own
 * `fetch` selects the fetch transport with everything else as by default.
 */
export const TRANSPORTS = ['node', 'fetch'] as const;
export type TransportName = (typeof TRANSPORTS)[number];

/** The client options that select a transport. */
export function transportOptions(name: TransportName): ClientOptions {
  return name === 'fetch' ? { fetch: globalThis.fetch } : {};
}

let current: ClientOptions = {};

/** Call inside a describe: its tests' `clientFor` clients use this transport. */
export function useTransport(name: TransportName): void {
  beforeEach(() => {
    current = transportOptions(name);
  });
  afterEach(() => {
    current = {};
  });
}

/** A real client for the latest `emulate`d server (its key and URL), without retries unless asked. */
export function clientFor(options: ClientOptions = {}): DeepSeek {
  if (latest === undefined) throw new Error('clientFor: call emulate() first in this test');
  return new DeepSeek({ apiKey: latest.apiKey, baseURL: latest.url, maxRetries: 0, ...current, ...options });
}

/** One user message; fits both `create` (non-streaming) and `stream`. */
export const hello: ChatCompletionCreateParamsNonStreaming & ChatCompletionStreamParams = {
  model: 'deepseek-flash',
  messages: [{ role: 'user', content: 'Hello' }],
};

/** Fault headers that let the client retry at once. */
export const noWait = { 'retry-after-ms': '0' };

/** The error `promise` rejects with; fails the test if it resolves. */
export async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

/** Splits `bytes` at the given cut points (any positions, even inside a UTF-8 sequence). */
export function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let start = 0;
  for (const point of points) {
    parts.push(bytes.subarray(start, point));
    start = point;
  }
  parts.push(bytes.subarray(start));
  return parts;
}
