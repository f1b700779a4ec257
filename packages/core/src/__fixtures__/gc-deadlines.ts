/**
 * Run by deadlines-gc.test.ts in a child `node --expose-gc` process: every deadline of a request
 * (timeout, idleTimeout, the caller's signal, stream.abort(), the maxConcurrency slot wait) must
 * fire while garbage collections run. Prints one JSON line per path: { name, error, kind }.
 * Each path is bounded: after GUARD_MS without an outcome it reports `hung`.
 * PLUMB_TEST_TRANSPORT=fetch runs them over the fetch transport (Node's own fetch passed as
 * `fetch`); by default they run over Node's default, node:http.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ClientOptions, DeepSeek } from '@plumb/core';
import { startEmulator } from '@plumb/testing';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

const DEADLINE_MS = 300;
const GUARD_MS = 5_000;

// A server that accepts connections and never answers (no status line, no headers).
const silent = createServer(() => {});
await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
const silentURL = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;

// The emulator: `hang` sends the 200 headers then nothing; `idle` stalls after two chunks.
const emulator = await startEmulator({
  apiKey: 'sk-fake-gc',
  faults: [
    { hang: true, match: (request) => request.body?.messages?.[0]?.content === 'hang' },
    { hangAfterChunks: 2, match: (request) => request.body?.messages?.[0]?.content === 'idle' },
    { hangAfterChunks: 2, match: (request) => request.body?.suffix === 'idle' },
  ],
});

const ask = (content: string) => ({ model: 'deepseek-flash', messages: [{ role: 'user' as const, content }] });
const transport: ClientOptions = process.env.PLUMB_TEST_TRANSPORT === 'fetch' ? { fetch: globalThis.fetch } : {};
const client = (baseURL: string, options: ClientOptions = {}) =>
  new DeepSeek({
    apiKey: 'sk-fake-gc',
    baseURL,
    maxRetries: 0,
    timeout: 60_000,
    idleTimeout: 60_000,
    ...transport,
    ...options,
  });
const fast = { timeout: DEADLINE_MS, idleTimeout: DEADLINE_MS };
// The idle paths keep the long attempt timeout: on a loaded machine the first chunk can take
// longer than DEADLINE_MS, and only the idle timeout is under test there.
const idle = { idleTimeout: DEADLINE_MS };

/** Runs one path with a GC every 20 ms; reports the error it ended with, or `hung`. */
async function path(name: string, run: () => Promise<unknown>): Promise<void> {
  const collect = setInterval(gc!, 20);
  let guard: ReturnType<typeof setTimeout> | undefined;
  const outcome = await Promise.race([
    run().then(
      () => ({ error: 'resolved' }),
      (error: { name?: string; kind?: string; cause?: { name?: string; kind?: string } }) => ({
        error: error?.name,
        kind: error?.kind ?? error?.cause?.kind,
        cause: error?.cause?.name,
      }),
    ),
    new Promise<{ error: string }>((resolve) => {
      guard = setTimeout(() => resolve({ error: 'hung' }), GUARD_MS);
    }),
  ]);
  clearTimeout(guard);
  clearInterval(collect);
  process.stdout.write(`${JSON.stringify({ name, ...outcome })}\n`);
}

/** A signal that aborts after the deadline, from a timer this process holds strongly. */
function abortLater(): AbortSignal {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), DEADLINE_MS);
  return controller.signal;
}

await path('create: timeout before headers', () => client(silentURL, fast).chat.completions.create(ask('x')));
await path('create: timeout after headers', () => client(emulator.url, fast).chat.completions.create(ask('hang')));
await path('create: signal before headers', () =>
  client(silentURL).chat.completions.create(ask('x'), { signal: abortLater() }),
);
await path('create: signal after headers', () =>
  client(emulator.url).chat.completions.create(ask('hang'), { signal: abortLater() }),
);
await path('stream: timeout before headers', () =>
  client(silentURL, fast).chat.completions.stream(ask('x')).finalCompletion(),
);
await path('stream: timeout after headers', () =>
  client(emulator.url, fast).chat.completions.stream(ask('hang')).finalCompletion(),
);
await path('stream: idleTimeout', () => client(emulator.url, idle).chat.completions.stream(ask('idle')).finalCompletion());
await path('stream: signal while idle', () =>
  client(emulator.url).chat.completions.stream(ask('idle'), { signal: abortLater() }).finalCompletion(),
);
await path('stream: abort() before headers', () => {
  const stream = client(silentURL).chat.completions.stream(ask('x'));
  setTimeout(() => stream.abort(), DEADLINE_MS);
  return stream.finalCompletion();
});
await path('stream: abort() while idle', () => {
  const stream = client(emulator.url).chat.completions.stream(ask('idle'));
  setTimeout(() => stream.abort(), DEADLINE_MS);
  return stream.finalCompletion();
});
await path('fim stream: idleTimeout', () =>
  client(emulator.url, idle)
    .completions.stream({ model: 'deepseek-flash', prompt: 'def f(', suffix: 'idle' })
    .finalCompletion(),
);
await path('slot wait: timeout', async () => {
  const limited = client(silentURL, { ...fast, maxConcurrency: 1 });
  const holder = limited.chat.completions.create(ask('x'), { timeout: 60_000 });
  holder.catch(() => {});
  try {
    return await limited.chat.completions.create(ask('y'));
  } finally {
    limited.withOptions({}); // keep the client reachable until the end of the path
  }
});

// A stream read partly and then dropped (no break, no abort()): once collected, its slot comes back.
await path('slot: a started stream dropped unfinished', async () => {
  const limited = client(emulator.url, { maxConcurrency: 1 });
  await (async () => {
    const iterator = limited.chat.completions.stream(ask('idle'))[Symbol.asyncIterator]();
    await iterator.next();
  })();
  const completion = await limited.chat.completions.create(ask('next'), { timeout: 3_000 });
  throw Object.assign(new Error('got the slot'), { name: completion.object === 'chat.completion' ? 'SlotFreed' : 'Wrong' });
});

silent.closeAllConnections();
silent.close();
await emulator.close();
process.exit(0);
